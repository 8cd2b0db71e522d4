import { afterAll, describe, expect, test } from 'bun:test'
import { createTestApp, type TestApp } from '../../../test/support/app'

const apps: TestApp[] = []
afterAll(() => Promise.all(apps.map((a) => a.close())))
const app = async (env: Record<string, string>) => {
  const t = await createTestApp({ TRUST_PROXY: 'true', ...env })
  apps.push(t)
  return t
}

// Every password check is an argon2 hash (~0.2 s on a busy machine): these tests get a minute.
const from = (ip: string) => ({ 'x-forwarded-for': ip })
const login = (t: TestApp, email: string, password: string, ip = '203.0.113.1') =>
  t.request('POST', '/api/auth/login', { json: { email, password }, headers: from(ip) })
const register = (t: TestApp, email: string, ip = '203.0.113.1') =>
  t.request('POST', '/api/auth/register', { json: { email, password: 'correct horse', name: 'Kim' }, headers: from(ip) })
const petcareSignIn = (t: TestApp, cafe24: string, ip: string) =>
  t.request('POST', '/api/users/', { json: { cafe24_token: cafe24 }, headers: from(ip) })

describe('sign-in limits', () => {
  test('40 wrong passwords in a row: past the per-email limit they get 429 with Retry-After, even the right password', async () => {
    const t = await app({})
    expect((await register(t, 'kim@example.com', '198.51.100.7')).status).toBe(201)
    const statuses: number[] = []
    let refused: Response | undefined
    for (let i = 0; i < 40; i++) {
      // A guesser spread over many addresses: the per-email limit still holds.
      const res = await login(t, 'kim@example.com', `guess-${i}`, `203.0.113.${i + 1}`)
      statuses.push(res.status)
      if (res.status === 429) refused ??= res
    }
    // The registration was the first of the 10 attempts naming this email.
    expect(statuses.slice(0, 9)).toEqual(Array(9).fill(401))
    expect(statuses.slice(9)).toEqual(Array(31).fill(429))
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(Number(refused!.headers.get('retry-after'))).toBeLessThanOrEqual(600)
    expect(await refused!.json()).toEqual({ detail: 'Too many requests' })

    expect((await login(t, ' KIM@example.com', 'correct horse', '192.0.2.50')).status).toBe(429)
    expect((await register(t, 'kim@example.com', '192.0.2.51')).status).toBe(429)
    // Another account is unaffected.
    expect((await register(t, 'lee@example.com', '192.0.2.52')).status).toBe(201)
    expect((await login(t, 'lee@example.com', 'correct horse', '192.0.2.52')).status).toBe(200)
  }, 60_000)

  test('login, register and petcare sign-in share one per-address budget; other addresses are unaffected', async () => {
    const t = await app({ RATE_LIMIT_AUTH_PER_IP: '6' })
    const ip = '198.51.100.20'
    expect((await register(t, 'a@example.com', ip)).status).toBe(201)
    expect((await register(t, 'b@example.com', ip)).status).toBe(201)
    expect((await login(t, 'a@example.com', 'correct horse', ip)).status).toBe(200)
    expect((await login(t, 'nobody@example.com', 'whatever1', ip)).status).toBe(401)
    expect((await petcareSignIn(t, 'cafe24-one', ip)).status).toBe(201)
    expect((await petcareSignIn(t, 'cafe24-two', ip)).status).toBe(201)

    const again = await petcareSignIn(t, 'cafe24-three', ip)
    expect(again.status).toBe(429)
    expect(again.headers.get('retry-after')).toMatch(/^\d+$/)
    expect(await again.json()).toEqual({ error: 'Too many requests' })
    const reg = await register(t, 'c@example.com', ip)
    expect(reg.status).toBe(429)
    expect(await reg.json()).toEqual({ detail: 'Too many requests' })
    expect((await login(t, 'a@example.com', 'correct horse', ip)).status).toBe(429)

    expect((await login(t, 'a@example.com', 'correct horse', '198.51.100.21')).status).toBe(200)
    expect((await petcareSignIn(t, 'cafe24-three', '198.51.100.21')).status).toBe(201)
  }, 60_000)

  test('the limits hold across processes that share a Redis', async () => {
    const shared = {
      REDIS_URL: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
      REDIS_PREFIX: `huddle-test:${crypto.randomUUID().slice(0, 8)}:`,
      RATE_LIMIT_AUTH_PER_EMAIL: '3',
    }
    const one = await app(shared)
    const two = await app(shared)
    for (let i = 0; i < 2; i++) expect((await login(one, 'park@example.com', `guess-${i}`, `192.0.2.${i + 1}`)).status).toBe(401)
    expect((await login(two, 'park@example.com', 'guess-2', '192.0.2.3')).status).toBe(401)
    expect((await login(one, 'park@example.com', 'guess-3', '192.0.2.4')).status).toBe(429)
    expect((await login(two, 'park@example.com', 'guess-4', '192.0.2.5')).status).toBe(429)
  }, 60_000)
})
