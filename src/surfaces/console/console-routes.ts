import { Elysia } from 'elysia'
import { buildConsole, type ConsoleBundle } from './console-bundle'

/**
 * The huddle console: a small web app, served by huddle itself, that is a client of the
 * public API only (it signs in with the session cookie like any browser client). `/`
 * redirects to it. The bundle is built on the first request and kept.
 */
export function consoleRoutes() {
  let bundle: Promise<ConsoleBundle> | undefined
  const built = () => (bundle ??= buildConsole().catch((e) => ((bundle = undefined), Promise.reject(e))))
  const headers = (type: string) => ({
    'content-type': type,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  })
  return new Elysia({ name: 'console-routes', detail: { tags: ['console'], hide: true } })
    // Status set on `set`, not in a returned Response, so the request log shows the 302.
    .get('/', ({ set }) => {
      set.status = 302
      set.headers.location = '/console'
      return ''
    })
    .get('/console', async () => new Response((await built()).html, { headers: { ...headers('text/html; charset=utf-8'), 'x-frame-options': 'DENY' } }))
    .get('/console/app.js', async () => new Response((await built()).js, { headers: headers('text/javascript; charset=utf-8') }))
    .get('/console/app.css', async () => new Response((await built()).css, { headers: headers('text/css; charset=utf-8') }))
}
