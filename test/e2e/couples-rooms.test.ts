import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SignJWT } from 'jose'
import { createApp, type AppRuntime } from '../../src/app'
import { loadConfig } from '../../src/config'
import { resolveJwtSecret } from '../../src/modules/auth/jwt-secret'
import { silentLogger } from '../../src/platform/logger'
import type { TestResponse } from '../support/app'
import { createTestDatabase } from '../support/db'
import { openSocket, refusal } from '../support/ws-client'

// The Spring side (seed 001) signs with jjwt: the key is kept base64-encoded (64 random bytes
// for HS512), the header is just {"alg":"HS512"}, `sub` is the user id, and a `coupleId`
// claim names the couple. huddle is started the way main.ts starts it, from the environment.
const keyBytes = crypto.getRandomValues(new Uint8Array(64))
const SECRET_BASE64 = Buffer.from(keyBytes).toString('base64')
const ORIGIN = 'http://localhost:3000'

interface Huddle {
  runtime: AppRuntime
  base: string
  request(method: string, path: string, init?: { token?: string; json?: unknown; headers?: Record<string, string> }): Promise<TestResponse>
  close(): Promise<void>
}

async function startHuddle(env: Record<string, string> = {}): Promise<Huddle> {
  const dataDir = mkdtempSync(join(tmpdir(), 'huddle-couples-'))
  const config = loadConfig({ JWT_SECRET: SECRET_BASE64, JWT_SECRET_BASE64: 'true', DATA_DIR: dataDir, AI_PROVIDER: 'offline', CORS_ORIGINS: ORIGIN, ...env })
  const database = await createTestDatabase()
  const jwtSecret = resolveJwtSecret({ secret: config.jwt.secret, secretBase64: config.jwt.secretBase64, dataDir }, silentLogger)
  const runtime = await createApp({ config, database, logger: silentLogger, jwtSecret })
  runtime.app.listen({ port: 0, hostname: '127.0.0.1' })
  runtime.attach(runtime.app.server!)
  const base = `http://127.0.0.1:${runtime.app.server!.port}`
  return {
    runtime,
    base,
    request: (method, path, init = {}) => {
      const headers: Record<string, string> = { ...init.headers }
      if (init.token) headers.authorization = `Bearer ${init.token}`
      if (init.json !== undefined) headers['content-type'] = 'application/json'
      return fetch(base + path, { method, headers, body: init.json === undefined ? undefined : JSON.stringify(init.json) }) as Promise<TestResponse>
    },
    async close() {
      runtime.markShuttingDown()
      await runtime.app.stop(true)
      await runtime.shutdown()
      await database.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** A token as jjwt's `Jwts.builder().setClaims(…).signWith(key, HS512)` writes it. */
function springToken(claims: Record<string, unknown>, options: { expiresInSeconds?: number; key?: Uint8Array } = {}) {
  const now = Math.floor(Date.now() / 1000)
  return new SignJWT({ ...claims, iat: now, exp: now + (options.expiresInSeconds ?? 3600) })
    .setProtectedHeader({ alg: 'HS512' })
    .sign(options.key ?? keyBytes)
}

/** The same token with one bit of its signature flipped. */
function tamper(token: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string]
  const bytes = Buffer.from(signature, 'base64url')
  bytes[0] = bytes[0]! ^ 0x01
  return `${header}.${payload}.${bytes.toString('base64url')}`
}

let huddle: Huddle
let wsBase: string
beforeAll(async () => {
  huddle = await startHuddle()
  wsBase = huddle.base.replace('http', 'ws')
})
afterAll(() => huddle.close())

describe('couple rooms with Spring (jjwt) tokens', () => {
  test('a string or a numeric sub is accepted; the partners appear by their Spring ids', async () => {
    const minsu = await springToken({ sub: '42', coupleId: 7 })
    const jiyoung = await springToken({ sub: 43, coupleId: 7 })
    const created = await huddle.request('POST', '/api/rooms', { token: minsu, json: { room_name: '커플 대화방', couple_id: 7 } })
    expect(created.status).toBe(201)
    const room = await created.json()
    expect(room).toEqual({ room_id: expect.any(Number), room_name: '커플 대화방', couple_id: 7, created_at: expect.any(String) })
    expect(Number.isNaN(Date.parse(room.created_at))).toBe(false)

    // The partner has not joined yet, but the token names the couple: the room is listed.
    for (const token of [minsu, jiyoung]) expect(await (await huddle.request('GET', '/api/rooms/', { token })).json()).toContainEqual(room)

    const a = await openSocket(`${wsBase}/api/sessions/ws/${room.room_id}?token=${minsu}`)
    expect(await a.next((e) => e.type === 'session')).toMatchObject({ user_a_id: 42, user_b_id: null })
    const b = await openSocket(`${wsBase}/api/sessions/ws/${room.room_id}?token=${jiyoung}`)
    expect(await b.next((e) => e.type === 'session')).toMatchObject({ user_a_id: 42, user_b_id: 43 })
    b.send({ content: '안녕!' })
    expect(await a.next((e) => e.type === 'message')).toMatchObject({ sender_id: 43, speaker_type: 'B', content: '안녕!' })
    await a.close()
    await b.close()
  })

  test('tampered, expired and wrongly keyed tokens are refused on the socket (4001) and on REST', async () => {
    const good = await springToken({ sub: '50', coupleId: 9 })
    const room = await (await huddle.request('POST', '/api/rooms', { token: good, json: { room_name: 'r', couple_id: 9 } })).json()
    const refused = [
      tamper(good),
      await springToken({ sub: '50', coupleId: 9 }, { expiresInSeconds: -120 }),
      // Signed with the base64 text itself instead of the bytes it encodes.
      await springToken({ sub: '50', coupleId: 9 }, { key: new TextEncoder().encode(SECRET_BASE64) }),
    ]
    for (const token of refused) {
      expect(await refusal(`${wsBase}/api/sessions/ws/${room.room_id}?token=${token}`)).toEqual({ opened: true, code: 4001, reason: expect.any(String), frames: [] })
      const res = await huddle.request('GET', '/api/rooms', { token })
      expect(res.status).toBe(401)
      expect(await res.json()).toEqual({ detail: expect.any(String) })
    }
    const accepted = await openSocket(`${wsBase}/api/sessions/ws/${room.room_id}?token=${good}`)
    await accepted.next((e) => e.type === 'session')
    await accepted.close()
  })

  test("only the token's couple may create or join a room; a third person is refused", async () => {
    const owner = await springToken({ sub: '60', coupleId: 11 })
    const wrongCouple = await huddle.request('POST', '/api/rooms', { token: owner, json: { room_name: 'x', couple_id: 12 } })
    expect(wrongCouple.status).toBe(403)
    expect(await wrongCouple.json()).toEqual({ detail: 'couple_id does not match your couple' })

    const room = await (await huddle.request('POST', '/api/rooms', { token: owner, json: { room_name: 'x', couple_id: 11 } })).json()
    const sessionUrl = (token: string) => `${wsBase}/api/sessions/ws/${room.room_id}?token=${token}`
    const otherCouple = await springToken({ sub: '61', coupleId: 12 })
    expect((await refusal(sessionUrl(otherCouple))).code).toBe(4003)
    expect(await (await huddle.request('GET', '/api/rooms', { token: otherCouple })).json()).toEqual([])
    const partner = await springToken({ sub: '62', coupleId: '11' })
    const seated = await openSocket(sessionUrl(partner))
    expect(await seated.next((e) => e.type === 'session')).toMatchObject({ user_b_id: 62 })
    await seated.close()
    const third = await springToken({ sub: '63', coupleId: 11 })
    expect(await refusal(sessionUrl(third))).toEqual({ opened: true, code: 4003, reason: 'This room already has two partners', frames: [] })
    expect((await huddle.request('GET', `/api/rooms/${room.room_id}/messages`, { token: third })).status).toBe(403)
  })

  test('without a couple claim, only the holder of an invitation from seat A takes the free seat', async () => {
    const [owner, invited, stranger] = await Promise.all(['70', '71', '72'].map((sub) => springToken({ sub })))
    const room = await (await huddle.request('POST', '/api/rooms', { token: owner, json: { room_name: 'open', couple_id: 20 } })).json()
    const sessionUrl = (token: string, invite = '') => `${wsBase}/api/sessions/ws/${room.room_id}?token=${token}${invite && `&invite=${invite}`}`
    expect((await refusal(sessionUrl(invited))).code).toBe(4003)
    const created = await huddle.request('POST', `/api/rooms/${room.room_id}/invite`, { token: owner })
    expect(created.status).toBe(201)
    const { invite_code } = await created.json()
    const seated = await openSocket(sessionUrl(invited, invite_code))
    expect(await seated.next((e) => e.type === 'session')).toMatchObject({ user_a_id: 70, user_b_id: 71 })
    await seated.close()
    expect((await refusal(sessionUrl(stranger, invite_code))).code).toBe(4003)
    expect((await (await huddle.request('GET', '/api/rooms', { token: invited })).json()).map((r: { room_id: number }) => r.room_id)).toEqual([room.room_id])
    expect(await (await huddle.request('GET', '/api/rooms', { token: stranger })).json()).toEqual([])
  })

  test('bad bodies are 422 {detail}; no token is 401; a preflight from a configured origin is allowed', async () => {
    const token = await springToken({ sub: '80' })
    for (const json of [{ room_name: 'x' }, { room_name: '', couple_id: 1 }, { room_name: 'x', couple_id: 'seven' }, { room_name: 'x', couple_id: 1.5 }]) {
      const res = await huddle.request('POST', '/api/rooms', { token, json })
      expect(res.status).toBe(422)
      expect(Object.keys(await res.json())).toEqual(['detail'])
    }
    expect((await huddle.request('POST', '/api/rooms', { json: { room_name: 'x', couple_id: 1 } })).status).toBe(401)
    const preflight = await fetch(`${huddle.base}/api/rooms`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    })
    expect(preflight.status).toBeLessThan(300)
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST')
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization')
  })
})

describe('JWT_USER_CLAIM=userId', () => {
  let other: Huddle
  beforeAll(async () => {
    other = await startHuddle({ JWT_USER_CLAIM: 'userId' })
  })
  afterAll(() => other.close())

  test('the user is the userId claim, and relayed messages carry it as sender_id', async () => {
    const token = await springToken({ sub: 'minsu@example.com', userId: 1042, coupleId: 30 })
    const room = await (await other.request('POST', '/api/rooms', { token, json: { room_name: 'u', couple_id: 30 } })).json()
    const a = await openSocket(`${other.base.replace('http', 'ws')}/api/sessions/ws/${room.room_id}?token=${token}`)
    expect(await a.next((e) => e.type === 'session')).toMatchObject({ user_a_id: 1042 })
    a.send({ content: '테스트' })
    expect(await a.next((e) => e.type === 'message')).toMatchObject({ sender_id: 1042, speaker_type: 'A' })
    expect((await other.request('GET', '/api/rooms', { token: await springToken({ sub: 'minsu@example.com', coupleId: 30 }) })).status).toBe(401)
    await a.close()
  })
})
