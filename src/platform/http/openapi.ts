import { Elysia } from 'elysia'
import { openapi } from '@elysiajs/openapi'
import { join, dirname } from 'node:path'

const SWAGGER_DIST = dirname(Bun.resolveSync('swagger-ui-dist/package.json', import.meta.dir))
const ASSETS = new Set(['swagger-ui-bundle.js', 'swagger-ui.css', 'swagger-ui-standalone-preset.js', 'favicon-32x32.png'])

/**
 * Swagger UI at `/swagger` and the OpenAPI 3 document at `/swagger/json`. The UI's
 * scripts are served from the swagger-ui-dist package, so the page works offline.
 */
export function openapiDocs() {
  return new Elysia({ name: 'openapi-docs' })
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
      }),
    )
}
