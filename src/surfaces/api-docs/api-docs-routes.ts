import { Elysia } from 'elysia'
import { asyncApiDocument } from './asyncapi-document'
import pkg from '../../../package.json'

/** `/asyncapi.json`: the AsyncAPI 3 description of huddle's sockets and streams (public). */
export function apiDocsRoutes() {
  const document = JSON.stringify(asyncApiDocument(pkg.version))
  return new Elysia({ name: 'api-docs-routes', detail: { hide: true } }).get(
    '/asyncapi.json',
    () => new Response(document, { headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache' } }),
  )
}
