import { Elysia } from 'elysia'
import { openapi } from '@elysiajs/openapi'
import { join, dirname } from 'node:path'

const SWAGGER_DIST = dirname(Bun.resolveSync('swagger-ui-dist/package.json', import.meta.dir))
const ASSETS = new Set(['swagger-ui-bundle.js', 'swagger-ui.css', 'swagger-ui-standalone-preset.js', 'favicon-32x32.png'])

type Route = Elysia['routes'][number]
/** How the generator reads the app's routes (protected in Elysia's types, public at runtime). */
type RouteSource = { getGlobalRoutes(): Route[] }
const routeSource = (app: unknown) => app as RouteSource

/**
 * The generator documents a request body under the content types of the route's parsers and
 * skips parser functions; every route has one (the HTTP pipeline's JSON parser, which caps
 * the size), so bodies would be documented with no schema at all. Without those functions
 * the generator falls back to the types every route accepts: JSON, form and multipart.
 */
const withoutParserFunctions = (route: Route): Route => {
  const parse = (route.hooks as { parse?: { fn: unknown }[] } | undefined)?.parse
  if (!parse?.length || parse.some((p) => typeof p.fn !== 'function')) return route
  return { ...route, hooks: { ...route.hooks, parse: undefined } } as Route
}

/**
 * Swagger UI at `/swagger` and the OpenAPI 3 document at `/swagger/json`, with the schema of
 * every route's params, query and body. The UI's scripts are served from the swagger-ui-dist
 * package, so the page works offline.
 */
export function openapiDocs() {
  const spec = openapi({
    path: '/swagger',
    specPath: '/swagger/json',
    provider: 'swagger-ui',
    exclude: { paths: [/^\/swagger/] },
    documentation: {
      info: {
        title: 'huddle',
        version: '0.1.0',
        description:
          'One backend for five chat clients: messenger, couples, advisor, petcare and docs. Authenticate with `Authorization: Bearer <token>`, `?token=` (WebSockets, file links) or the session cookie from `POST /api/auth/login`.',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
    swagger: {
      cdn: '/swagger/assets/swagger-ui-bundle.js',
      theme: '/swagger/assets/swagger-ui.css',
    } as never,
  })
  const docs = new Elysia({ name: 'openapi-docs' })
    .get(
      '/swagger/assets/:file',
      ({ params, set }) => {
        if (!ASSETS.has(params.file)) {
          set.status = 404
          return 'Not found'
        }
        return Bun.file(join(SWAGGER_DIST, params.file))
      },
      { detail: { hide: true } },
    )
    .use(spec)
  // The generator reads the app's routes through the plugin instance; give it them without
  // parser functions (read when the document is first requested, after every route exists).
  routeSource(spec).getGlobalRoutes = () => routeSource(docs).getGlobalRoutes().map(withoutParserFunctions)
  return docs
}
