/**
 * /swagger/json is complete: every operation that takes a body says what it takes, every
 * operation says what it answers (its 2xx and its surface's errors), and the whole document is
 * valid OpenAPI (checked by an OpenAPI schema validator).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { Validator } from '@seriousme/openapi-schema-validator'
import { createTestApp, type TestApp } from '../support/app'

let t: TestApp
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let doc: any
beforeAll(async () => {
  t = await createTestApp()
  doc = await (await t.request('GET', '/swagger/json')).json()
})
afterAll(() => t.close())

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const operations = (): [string, string, any][] =>
  Object.entries<Record<string, unknown>>(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => [method, path, op] as [string, string, unknown]))

describe('OpenAPI document', () => {
  test('is valid OpenAPI', async () => {
    const result = await new Validator().validate(doc)
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
  })

  test('every POST, PUT and PATCH documents its request body with a schema', () => {
    const missing = operations()
      .filter(([method]) => ['post', 'put', 'patch'].includes(method))
      .filter(([, , op]) => !Object.values(op.requestBody?.content ?? {}).some((c) => (c as { schema?: unknown }).schema))
      .map(([method, path]) => `${method} ${path}`)
    expect(missing).toEqual([])
    expect(doc.paths['/api/auth/login'].post.requestBody.content['application/json'].schema.properties.email).toBeDefined()
    expect(doc.paths['/api/ingest'].post.requestBody.content['multipart/form-data'].schema.properties.file.format).toBe('binary')
  })

  test('every operation documents a success answer, and its errors in its surface shape', () => {
    const noSuccess = operations()
      .filter(([, , op]) => !Object.keys(op.responses ?? {}).some((code) => code.startsWith('2') || code === '101'))
      .map(([method, path]) => `${method} ${path}`)
    expect(noSuccess).toEqual([])
    const errorFields = (path: string, method: string, status: number) =>
      Object.keys(doc.paths[path][method].responses[status].content['application/json'].schema.properties).sort()
    expect(errorFields('/chat/rooms/{room_id}', 'get', 404)).toEqual(['detail'])
    expect(errorFields('/api/chats/{chat_id}', 'get', 404)).toEqual(['error'])
    expect(errorFields('/api/v1/chat/send_message', 'post', 401)).toEqual(['error_code', 'message'])
    expect(errorFields('/api/ingest', 'post', 503)).toEqual(['error'])
    expect(doc.paths['/api/chat'].post.responses[429].headers['Retry-After']).toBeDefined()
    expect(doc.paths['/chat/rooms'].get.responses[401]).toBeDefined()
    expect(doc.paths['/chat/rooms/{room_id}/messages'].post.responses[413]).toBeDefined()
  })

  test('security schemes and tags per surface', () => {
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearer', 'cookie', 'queryToken'])
    expect(doc.paths['/chat/files/{file_id}'].get.security).toContainEqual({ queryToken: [] })
    expect(doc.paths['/chat/rooms'].get.security).not.toContainEqual({ queryToken: [] })
    for (const [, , op] of operations()) expect(op.tags?.length ?? 0).toBeGreaterThan(0)
  })
})
