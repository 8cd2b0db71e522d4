import { Elysia } from 'elysia'
import type { Metrics } from '../metrics'

/** `/healthz` (the process answers), `/readyz` (the database answers), `/metrics` (Prometheus text). */
export function opsRoutes(deps: { ping: () => Promise<void>; metrics: Metrics; isShuttingDown: () => boolean }) {
  return new Elysia({ name: 'ops-routes', detail: { tags: ['ops'] } })
    .get('/healthz', () => ({ status: 'ok' }), { detail: { summary: 'Process is up' } })
    .get(
      '/readyz',
      async ({ set }) => {
        if (deps.isShuttingDown()) {
          set.status = 503
          return { status: 'shutting_down' }
        }
        try {
          await Promise.race([deps.ping(), Bun.sleep(2000).then(() => Promise.reject(new Error('timeout')))])
          return { status: 'ready' }
        } catch {
          set.status = 503
          return { status: 'unavailable', reason: 'database unreachable' }
        }
      },
      { detail: { summary: 'Database is reachable' } },
    )
    .get(
      '/metrics',
      () => new Response(deps.metrics.render(), { headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' } }),
      { detail: { summary: 'Prometheus metrics' } },
    )
}
