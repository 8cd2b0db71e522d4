import { Elysia } from 'elysia'
import { openapi } from '@elysiajs/openapi'
import { join, dirname } from 'node:path'

const SWAGGER_DIST = dirname(Bun.resolveSync('swagger-ui-dist/package.json', import.meta.dir))
const ASSETS = new Set(['swagger-ui-bundle.js', 'swagger-ui.css', 'swagger-ui-standalone-preset.js', 'favicon-32x32.png'])

type Document = Record<string, unknown>

/**
 * Swagger UI at `/swagger` and the OpenAPI 3 document at `/swagger/json`. The UI's
 * scripts are served from the swagger-ui-dist package, so the page works offline. The
 * document is Elysia's, generated from the routes' schemas, then passed through `complete`
 * (what the generator cannot know: request bodies of custom-parsed routes, error answers),
 * once per process. `root` is the whole app, whose routes the document describes.
 */
export function openapiDocs(options: { root?: () => { handle(request: Request): Promise<Response> }; complete?: (doc: Document) => Document } = {}) {
  let document: Promise<Document> | undefined
  const build = async (url: string) => {
    const generated = (await options.root!().handle(new Request(new URL('/swagger/generated.json', url).toString()))).json() as Promise<Document>
    return (options.complete ?? ((d: Document) => d))(structuredClone(await generated))
  }
  return new Elysia({ name: 'openapi-docs' })
    .get('/swagger/json', ({ request }) => (document ??= build(request.url).catch((e) => ((document = undefined), Promise.reject(e)))), {
      detail: { hide: true },
    })
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
    .use(
      openapi({
        path: '/swagger',
        specPath: '/swagger/generated.json',
        provider: 'swagger-ui',
        exclude: { paths: [/^\/swagger/] },
        documentation: {
          info: {
            title: 'huddle',
            version: '0.1.0',
            description:
              'One backend for five chat clients: messenger, couples, advisor, petcare and docs. Authenticate with `Authorization: Bearer <token>`, `?token=` (WebSockets, file links) or the session cookie from `POST /api/auth/login`. The WebSockets and streamed answers are described in AsyncAPI 3 at [/asyncapi.json](/asyncapi.json); a console to try every surface is at [/console](/console).',
          },
          components: {
            securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
          },
        },
        swagger: {
          url: '/swagger/json',
          cdn: '/swagger/assets/swagger-ui-bundle.js',
          theme: '/swagger/assets/swagger-ui.css',
        } as never,
      }),
    )
}
