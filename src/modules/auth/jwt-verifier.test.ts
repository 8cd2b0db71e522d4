import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { SignJWT, UnsecuredJWT, exportJWK, generateKeyPair, type JWK } from 'jose'
import { createJwtVerifier } from './jwt-verifier'
import { AppError } from '../../platform/errors'

const secret = new TextEncoder().encode('shared-secret-shared-secret-1234')
const now = () => Math.floor(Date.now() / 1000)
const hs = (claims: Record<string, unknown>, alg = 'HS256', key = secret) =>
  new SignJWT(claims).setProtectedHeader({ alg }).sign(key)

async function rejects(p: Promise<unknown>, message: RegExp) {
  const e = await p.then(() => undefined, (err) => err)
  expect(e).toBeInstanceOf(AppError)
  expect((e as AppError).status).toBe(401)
  expect((e as AppError).message).toMatch(message)
}

describe('jwt verifier (shared secret)', () => {
  const verify = createJwtVerifier({ secret })

  test('accepts HS256, HS384 and HS512 with the sub claim', async () => {
    for (const alg of ['HS256', 'HS384', 'HS512']) {
      const v = await verify(await hs({ sub: '42', exp: now() + 60 }, alg))
      expect(v.subject).toBe('42')
    }
  })

  test('numeric subjects (Spring) become strings', async () => {
    expect((await verify(await hs({ sub: 7 as unknown as string }))).subject).toBe('7')
  })

  test('refuses expired, not-yet-valid, wrong-secret, unsigned and subject-less tokens', async () => {
    await rejects(verify(await hs({ sub: '1', exp: now() - 120 })), /expired/)
    await rejects(verify(await hs({ sub: '1', nbf: now() + 120 })), /Invalid/)
    await rejects(verify(await hs({ sub: '1' }, 'HS256', new TextEncoder().encode('another-secret-another-secret-12'))), /Invalid/)
    await rejects(verify(new UnsecuredJWT({ sub: '1' }).encode()), /algorithm/)
    await rejects(verify(await hs({ name: 'x' })), /sub/)
    await rejects(verify('not.a.token'), /Malformed|Invalid/)
  })

  test('allows 30 seconds of clock skew', async () => {
    expect((await verify(await hs({ sub: '1', exp: now() - 10 }))).subject).toBe('1')
  })

  test('reads the configured user claim', async () => {
    const byUserId = createJwtVerifier({ secret, userClaim: 'userId' })
    expect((await byUserId(await hs({ sub: 'x', userId: 99 }))).subject).toBe('99')
    await rejects(byUserId(await hs({ sub: 'x' })), /userId/)
  })

  test('checks issuer and audience when configured', async () => {
    const strict = createJwtVerifier({ secret, issuer: 'spring', audience: 'huddle' })
    expect((await strict(await hs({ sub: '1', iss: 'spring', aud: 'huddle' }))).subject).toBe('1')
    await rejects(strict(await hs({ sub: '1', iss: 'other', aud: 'huddle' })), /Invalid/)
    await rejects(strict(await hs({ sub: '1', iss: 'spring', aud: 'other' })), /Invalid/)
  })

  test('a base64-kept secret (jjwt) verifies HS512 tokens', async () => {
    const raw = crypto.getRandomValues(new Uint8Array(64))
    const verifyB64 = createJwtVerifier({ secret: raw })
    const token = await new SignJWT({ sub: '5' }).setProtectedHeader({ alg: 'HS512' }).sign(raw)
    expect((await verifyB64(token)).subject).toBe('5')
  })
})

describe('jwt verifier (JWKS)', () => {
  let server: ReturnType<typeof Bun.serve>
  let rsa: Awaited<ReturnType<typeof generateKeyPair>>
  let ec: Awaited<ReturnType<typeof generateKeyPair>>
  let rsaPublicJwk: JWK

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256', { extractable: true })
    ec = await generateKeyPair('ES256', { extractable: true })
    rsaPublicJwk = { ...(await exportJWK(rsa.publicKey)), kid: 'rsa1', alg: 'RS256', use: 'sig' }
    const ecJwk = { ...(await exportJWK(ec.publicKey)), kid: 'ec1', alg: 'ES256', use: 'sig' }
    server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => Response.json({ keys: [rsaPublicJwk, ecJwk] }) })
  })
  afterAll(() => server.stop(true))

  test('accepts RS256 and ES256 tokens signed by a published key', async () => {
    const verify = createJwtVerifier({ secret, jwksUrl: `http://127.0.0.1:${server.port}/jwks` })
    const rs = await new SignJWT({ sub: 'kc-user' }).setProtectedHeader({ alg: 'RS256', kid: 'rsa1' }).setExpirationTime('1h').sign(rsa.privateKey)
    const es = await new SignJWT({ sub: 'sb-user' }).setProtectedHeader({ alg: 'ES256', kid: 'ec1' }).setExpirationTime('1h').sign(ec.privateKey)
    expect((await verify(rs)).subject).toBe('kc-user')
    expect((await verify(es)).subject).toBe('sb-user')
  })

  test('refuses HS256 signed with the RSA public key (algorithm confusion)', async () => {
    const verify = createJwtVerifier({ secret, jwksUrl: `http://127.0.0.1:${server.port}/jwks` })
    const publicBytes = new TextEncoder().encode(JSON.stringify(rsaPublicJwk))
    await rejects(verify(await hs({ sub: 'attacker' }, 'HS256', publicBytes)), /Invalid/)
  })

  test('refuses RS256 when no JWKS is configured, and tokens from an unknown key', async () => {
    const other = await generateKeyPair('RS256')
    const token = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'RS256', kid: 'rsa1' }).sign(other.privateKey)
    await rejects(createJwtVerifier({ secret })(token), /algorithm/)
    await rejects(createJwtVerifier({ secret, jwksUrl: `http://127.0.0.1:${server.port}/jwks` })(token), /Invalid/)
  })
})

describe('jwt verifier cache', () => {
  test('a cached token still expires on time', async () => {
    let shift = 0
    const verify = createJwtVerifier({ secret, clock: () => Date.now() + shift })
    const token = await hs({ sub: 'c', exp: now() - 25 })
    // Inside the 30 s leeway: accepted, and remembered only until the leeway runs out.
    expect((await verify(token)).subject).toBe('c')
    expect((await verify(token)).subject).toBe('c')
    shift = 10_000
    await rejects(verify(token), /expired/)
  })
})
