import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { eq } from 'drizzle-orm'
import { users } from '../../platform/db/schema'
import { createTestApp, type TestApp } from '../../../test/support/app'

// Every password check is an argon2 hash (tens of ms on a busy machine): these tests get a minute.
const SLOW = 60_000

let t: TestApp
beforeAll(async () => {
  t = await createTestApp({
    RATE_LIMIT_AUTH_PER_IP: '1000',
    RATE_LIMIT_AUTH_PER_EMAIL: '1000',
    RATE_LIMIT_USER_SEARCH_PER_MINUTE: '5',
    // A real argon2id cost (a quarter of production's memory, one pass: ~15 ms a hash), so the
    // login timing test compares real hash work against a path that would skip it (~1 ms).
    PASSWORD_HASH_MEMORY_KIB: '16384',
    PASSWORD_HASH_TIME_COST: '1',
  })
})
afterAll(() => t.close())

const register = (email: string, password = 'correct horse', name = 'Kim') =>
  t.request('POST', '/api/auth/register', { json: { email, password, name } })
const login = (email: string, password: string) => t.request('POST', '/api/auth/login', { json: { email, password } })
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** What a client can see of an answer, less what differs per request. */
async function seen(res: Response) {
  const headers = [...res.headers.entries()].filter(([k]) => !['x-request-id', 'date'].includes(k))
  return { status: res.status, headers, body: await res.text() }
}

describe('nothing tells whether an email has an account', () => {
  test('login answers an unknown email exactly as a wrong password, after comparable work', async () => {
    expect((await register('known@example.com')).status).toBe(201)
    const wrong = await seen(await login('known@example.com', 'wrong password'))
    const unknown = await seen(await login('unknown@example.com', 'wrong password'))
    expect(wrong).toEqual(unknown)
    expect(wrong.status).toBe(401)
    expect(JSON.parse(wrong.body)).toEqual({ detail: 'Invalid email or password' })

    // Both paths verify an argon2 hash (~tens of ms); skipping it for unknown emails would
    // make them answer in about a millisecond, far outside this band.
    const time = async (email: string) => {
      const started = performance.now()
      await login(email, 'wrong password')
      return performance.now() - started
    }
    const known: number[] = []
    const absent: number[] = []
    for (let i = 0; i < 5; i++) {
      known.push(await time('known@example.com'))
      absent.push(await time(`absent-${i}@example.com`))
    }
    const ratio = median(absent) / median(known)
    expect(ratio).toBeGreaterThan(0.33)
    expect(ratio).toBeLessThan(3)
  }, SLOW)

  test('register answers a taken email with the same 201 {user}, stores nothing, and leaves the account as it was', async () => {
    const first = await register('taken@example.com', 'first password', 'Owner')
    const again = await register('Taken@Example.com', 'second password', 'Someone')
    const other = await register('fresh@example.com', 'second password', 'Someone')
    for (const res of [first, again, other]) expect(res.status).toBe(201)
    const [a, b, c] = [await first.json(), await again.json(), await other.json()]
    expect(Object.keys(b.user).sort()).toEqual(Object.keys(c.user).sort())
    expect(b.user).toMatchObject({ name: 'Someone', email: 'taken@example.com' })
    expect(b.user.uid).toMatch(/^[0-9a-f-]{36}$/)
    // Ids come from the same sequence, so they do not stand out either.
    expect(b.user.id).toBeGreaterThan(a.user.id)
    expect(c.user.id).toBeGreaterThan(b.user.id)

    expect((await login('taken@example.com', 'second password')).status).toBe(401)
    const owner = await login('taken@example.com', 'first password')
    expect(owner.status).toBe(200)
    expect((await owner.json()).user).toEqual(a.user)
    const stored = await t.database.db.select().from(users).where(eq(users.name, 'Someone'))
    expect(stored.map((u) => u.email)).toEqual(['fresh@example.com'])
    const me = await t.request('GET', '/api/auth/me', { token: (await (await login('fresh@example.com', 'second password')).json()).access_token })
    expect((await me.json()).id).toBe(c.user.id)
  }, SLOW)
})

describe('user search', () => {
  test('matches display names and whole emails only, never petcare users, and is rate-limited', async () => {
    const searcher = await t.user('searcher')
    await register('minji.park@example.com', 'correct horse', '박민지')
    const pet = await t.request('POST', '/api/users/', { json: { cafe24_token: 'cafe24-secret-token' } })
    expect(pet.status).toBe(201)
    const petUid = (await pet.json()).id
    const search = (q: string) => t.request('GET', `/api/users/search?q=${encodeURIComponent(q)}`, { token: searcher.token })
    const names = async (q: string) => {
      const res = await search(q)
      expect(res.status).toBe(200)
      return (await res.json()).users.map((u: { name: string }) => u.name)
    }

    expect(await names('민지')).toEqual(['박민지'])
    expect(await names('MINJI.PARK@example.com')).toEqual(['박민지'])
    expect(await names('minji')).toEqual([])
    expect((await search('   ')).status).toBe(422)
    // Petcare users are named `cafe24-…` and known by their uid: neither finds them.
    const found = await search('cafe24')
    expect((await found.json()).users.map((u: { uid: string }) => u.uid)).not.toContain(petUid)

    const refused = await search('박')
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/)
    expect(await refused.json()).toEqual({ detail: 'Too many requests' })
    // The limit is per caller.
    const other = await t.user('other-searcher')
    expect((await t.request('GET', '/api/users/search?q=%EB%B0%95', { token: other.token })).status).toBe(200)
  }, SLOW)
})

describe('session cookie SameSite', () => {
  for (const [env, expected] of [
    [{}, /; SameSite=Lax;/],
    [{ SESSION_COOKIE_SAMESITE: 'strict' }, /; SameSite=Strict;/],
    [{ SESSION_COOKIE_SAMESITE: 'none', SESSION_COOKIE_SECURE: 'true' }, /; SameSite=None;.*; Secure$/],
  ] as const) {
    test(`${JSON.stringify(env)} → ${expected}`, async () => {
      const app = await createTestApp(env)
      try {
        await app.request('POST', '/api/auth/register', { json: { email: 'c@example.com', password: 'correct horse', name: 'C' } })
        const res = await app.request('POST', '/api/auth/login', { json: { email: 'c@example.com', password: 'correct horse' } })
        expect(res.headers.get('set-cookie')).toMatch(expected)
        const out = await app.request('POST', '/api/auth/logout', { headers: { cookie: res.headers.get('set-cookie')!.split(';')[0]! } })
        expect(out.headers.get('set-cookie')).toMatch(expected)
      } finally {
        await app.close()
      }
    }, SLOW)
  }
})
