import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createTestApp, type TestApp } from './support/app'

// Each client contract has its own error body; a client written against it must be able to
// read huddle's 401 and 404 without change.
let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

const cases = [
  { surface: 'messenger', path: '/chat/rooms/', missing: '/chat/nothing-here', shape: (b: any) => typeof b.detail === 'string' },
  { surface: 'couples', path: '/api/rooms', missing: '/api/rooms/1/nothing', shape: (b: any) => typeof b.detail === 'string' },
  { surface: 'account', path: '/api/auth/me', missing: '/api/auth/nothing', shape: (b: any) => typeof b.detail === 'string' },
  { surface: 'advisor', path: '/api/v1/chat/', missing: '/api/v1/chat/nothing/here', shape: (b: any) => typeof b.error_code === 'string' && typeof b.message === 'string' },
  { surface: 'petcare', path: '/api/recipes/', missing: '/api/recipes/x/y/z', shape: (b: any) => typeof b.error === 'string' && Object.keys(b).length === 1 },
  { surface: 'docs', path: '/api/documents', missing: '/api/documents/1/nothing', shape: (b: any) => typeof b.error === 'string' && Object.keys(b).length === 1 },
]

describe('error shapes per surface', () => {
  for (const c of cases) {
    test(`${c.surface}: 401 and 404 in its own shape, never a stack trace`, async () => {
      const unauth = await t.request('GET', c.path)
      expect(unauth.status).toBe(401)
      const body = await unauth.json()
      expect(c.shape(body)).toBe(true)
      const missing = await t.request('GET', c.missing, { token: await t.token(`shape-${c.surface}`) })
      expect(missing.status).toBe(404)
      const text = await missing.text()
      expect(c.shape(JSON.parse(text))).toBe(true)
      expect(text).not.toMatch(/\bat .*\.ts:\d+/)
    })
  }
})
