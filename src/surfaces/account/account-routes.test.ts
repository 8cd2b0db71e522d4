import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { sql } from 'drizzle-orm'
import { queryRows } from '../../platform/db/client'
import { createTestApp, type TestApp } from '../../../test/support/app'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

const register = (email: string, name = 'Kim') =>
  t.request('POST', '/api/auth/register', { json: { email, password: 'correct horse', name } })

describe('own accounts', () => {
  test('register answers 201 with the user (a taken email too: see account-privacy.test.ts)', async () => {
    const res = await register('Kim@Example.com')
    expect(res.status).toBe(201)
    const { user } = await res.json()
    expect(user).toMatchObject({ name: 'Kim', email: 'kim@example.com' })
    expect(typeof user.id).toBe('number')
    expect(user.uid).toMatch(/^[0-9a-f-]{36}$/)
    expect(user.password_hash).toBeUndefined()
    expect((await register('kim@example.com')).status).toBe(201)
    // Stored as argon2id at the configured cost (the test app's: the cheapest).
    const [stored] = await queryRows<{ password_hash: string }>(t.database.db, sql`select password_hash from users where email = 'kim@example.com'`)
    expect(stored!.password_hash).toStartWith('$argon2id$v=19$m=1024,t=1,')
  })

  test('register validates with 422 {detail}', async () => {
    const res = await t.request('POST', '/api/auth/register', { json: { email: 'nope', password: 'x', name: '' } })
    expect(res.status).toBe(422)
    expect(typeof (await res.json()).detail).toBe('string')
    const missing = await t.request('POST', '/api/auth/register', { json: { email: 'a@b.co' } })
    expect(missing.status).toBe(422)
  })

  test('login sets an httpOnly session cookie that authenticates /me until logout', async () => {
    await register('lee@example.com', 'Lee')
    const bad = await t.request('POST', '/api/auth/login', { json: { email: 'lee@example.com', password: 'wrong password' } })
    expect(bad.status).toBe(401)
    expect(bad.headers.get('set-cookie')).toBeNull()

    const res = await t.request('POST', '/api/auth/login', { json: { email: 'lee@example.com', password: 'correct horse' } })
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 3600, user: { name: 'Lee' } })
    const setCookie = res.headers.get('set-cookie')!
    expect(setCookie).toContain('HttpOnly')
    const cookie = setCookie.split(';')[0]!

    const me = await t.request('GET', '/api/auth/me', { headers: { cookie } })
    expect(me.status).toBe(200)
    expect(await me.json()).toMatchObject({ name: 'Lee', email: 'lee@example.com' })
    const viaBearer = await t.request('GET', '/api/auth/me', { token: body.access_token })
    expect((await viaBearer.json()).id).toBe(body.user.id)

    expect((await t.request('POST', '/api/auth/logout', { headers: { cookie } })).status).toBe(204)
    const after = await t.request('GET', '/api/auth/me', { headers: { cookie } })
    expect(after.status).toBe(401)
    expect(await after.json()).toEqual({ detail: 'Session expired or signed out' })
  })

  test('the first valid token of an unknown subject creates exactly one user', async () => {
    const token = await t.token('spring-77', { nickname: '민수' })
    const [a, b] = await Promise.all([t.request('GET', '/api/auth/me', { token }), t.request('GET', '/api/auth/me', { token })])
    const ua = await a.json()
    const ub = await b.json()
    expect(ua.id).toBe(ub.id)
    expect(ua.name).toBe('user spring-77')
    const named = await t.request('GET', '/api/auth/me', { token: await t.token('kc-1', { name: undefined, preferred_username: 'jdoe' }) })
    expect((await named.json()).name).toBe('jdoe')
  })

  test('401 without or with a bad token', async () => {
    expect((await t.request('GET', '/api/auth/me')).status).toBe(401)
    const res = await t.request('GET', '/api/auth/me', { token: 'garbage' })
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ detail: 'Malformed token' })
  })

  test('user search finds people by name, not the caller', async () => {
    await register('park@example.com', '박주호')
    await register('park2@example.com', '박서연')
    const token = await t.token('searcher')
    const res = await t.request('GET', '/api/users/search?q=' + encodeURIComponent('박'), { token })
    expect(res.status).toBe(200)
    const { users } = await res.json()
    expect(users.map((u: { name: string }) => u.name).sort()).toEqual(['박서연', '박주호'])
    expect(Object.keys(users[0]).sort()).toEqual(['id', 'name', 'uid'])
    expect((await t.request('GET', '/api/users/search?q=', { token })).status).toBe(422)
    const wild = await t.request('GET', '/api/users/search?q=%25', { token })
    expect((await wild.json()).users).toEqual([])
  })
})
