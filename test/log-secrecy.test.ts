import { afterAll, beforeAll, expect, test } from 'bun:test'
import { eq, sql } from 'drizzle-orm'
import { SignJWT } from 'jose'
import { users } from '../src/platform/db/schema'
import { createLogger } from '../src/platform/logger'
import { createTestApp, type TestApp } from './support/app'

// Everything huddle logs while people register, sign in, fail to be stored and present bad
// tokens: no line may carry a password, a password hash or a token, whoever logged it.
const lines: string[] = []
let t: TestApp
beforeAll(async () => {
  t = await createTestApp({}, { logger: createLogger({ level: 'debug', write: (line) => lines.push(line) }) })
})
afterAll(() => t.close())

test('no password, hash or token reaches a log line', async () => {
  const password = 'hunter2-correct-horse'
  const secrets: string[] = [password]
  const register = (email: string, name: string) => t.request('POST', '/api/auth/register', { json: { email, password, name } })

  expect((await register('kim@example.com', 'Kim')).status).toBe(201)
  const [kim] = await t.database.db.select().from(users).where(eq(users.email, 'kim@example.com'))
  secrets.push(kim!.passwordHash!)

  const login = await t.request('POST', '/api/auth/login', { json: { email: 'kim@example.com', password } })
  expect(login.status).toBe(200)
  const access = (await login.json()).access_token as string
  const session = decodeURIComponent(login.headers.get('set-cookie')!.split(';')[0]!.split('=')[1]!)
  secrets.push(access, session)
  expect((await t.request('POST', '/api/auth/login', { json: { email: 'kim@example.com', password: password + '!' } })).status).toBe(401)
  secrets.push(password + '!')

  // A failed insert: the database refuses the row, and its error repeats the row's values.
  await t.database.db.execute(sql.raw(`alter table users add constraint no_boom check (name <> 'boom')`))
  const failed = await register('boom@example.com', 'boom')
  expect(failed.status).toBe(500)
  const petcare = await t.request('POST', '/api/users/', { json: { cafe24_token: 'cafe24-opaque-secret' } })
  secrets.push('cafe24-opaque-secret')
  const petToken = (await petcare.json()).access_token as string
  secrets.push(petToken)

  // Bad tokens in every place a token travels.
  const forged = await new SignJWT({ name: 'x' }).setProtectedHeader({ alg: 'HS256' }).setSubject('1').sign(new TextEncoder().encode('another-secret-of-32-bytes-at-least'))
  secrets.push(forged, 'garbage-token-value')
  const badCredentials: Record<string, string>[] = [{ authorization: `Bearer ${forged}` }, { authorization: 'Bearer garbage-token-value' }, { cookie: `huddle_session=${forged}` }]
  for (const headers of badCredentials) {
    expect((await t.request('GET', '/api/auth/me', { headers })).status).toBe(401)
  }
  expect((await t.request('GET', `/api/auth/me?token=${forged}`)).status).toBe(401)
  expect((await t.request('GET', `/chat/files/00000000-0000-4000-8000-000000000000?token=${forged}`)).status).toBe(401)
  expect((await t.request('GET', `/chat/rooms/?token=${access}`)).status).toBe(401)

  // The run logged the failure (this test would pass vacuously on a silent logger).
  const errors = lines.filter((l) => JSON.parse(l).level === 'error')
  expect(errors.length).toBeGreaterThanOrEqual(1)
  expect(errors.join('\n')).toContain('no_boom')
  // Request lines are written after each response: wait for the last one's.
  for (let i = 0; i < 200 && !lines.some((l) => l.includes('"path":"/chat/rooms/"')); i++) await Bun.sleep(10)
  expect(lines.filter((l) => JSON.parse(l).msg === 'request').length).toBe(11)

  const sessionHash = new Bun.CryptoHasher('sha256').update(session).digest('hex')
  const cafe24Hash = new Bun.CryptoHasher('sha256').update('cafe24-opaque-secret').digest('hex')
  secrets.push(sessionHash, cafe24Hash)
  for (const line of lines) {
    for (const secret of secrets) expect(line.includes(secret) ? `${secret} in ${line}` : 'clean').toBe('clean')
    expect(line).not.toMatch(/\$argon2|eyJ[\w-]+\.eyJ/)
  }
}, 60_000)
