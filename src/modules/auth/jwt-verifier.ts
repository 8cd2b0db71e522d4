import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose'
import { AppError, unauthorized } from '../../platform/errors'
import { findUnsafeText } from '../../platform/text-guard'

const HMAC_ALGS = ['HS256', 'HS384', 'HS512']
const ASYMMETRIC_ALGS = ['RS256', 'ES256']

/** A verified token: its subject (from the configured claim) and every claim it carried. */
export interface VerifiedToken {
  subject: string
  claims: JWTPayload & Record<string, unknown>
}

export interface JwtVerifierOptions {
  /** HMAC key bytes (the shared secret, already base64-decoded where configured). */
  secret: Uint8Array
  jwksUrl?: string
  issuer?: string
  audience?: string
  /** The claim that names the user (default `sub`). */
  userClaim?: string
  /** Milliseconds since the epoch; injectable so tests can move time. */
  clock?: () => number
}

export type JwtVerifier = (token: string) => Promise<VerifiedToken>

const CACHE_MAX = 10_000
const CACHE_TTL_MS = 5 * 60_000
const HASH_OF: Record<string, string> = { HS256: 'SHA-256', HS384: 'SHA-384', HS512: 'SHA-512' }

/**
 * Verifies HS256/384/512 tokens against the shared secret and, when a JWKS is configured,
 * RS256/ES256 tokens against it. The key is chosen by the token's `alg` and each key only
 * accepts its own family, so an HS token signed with a public key ("algorithm confusion")
 * and `alg: none` are refused. Expiry and `nbf` are checked with 30 s of leeway.
 */
export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  const jwks: JWTVerifyGetKey | undefined = options.jwksUrl
    ? createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: 30_000, timeoutDuration: 5_000 })
    : undefined
  const userClaim = options.userClaim ?? 'sub'
  const clock = options.clock ?? Date.now
  const common = () => ({ issuer: options.issuer, audience: options.audience, clockTolerance: 30, currentDate: new Date(clock()) })
  // HMAC keys imported once per hash, not on every verification.
  const hmacKeys = new Map<string, Promise<CryptoKey>>()
  const hmacKey = (alg: string) => {
    let key = hmacKeys.get(alg)
    if (!key) {
      key = crypto.subtle.importKey('raw', options.secret as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: HASH_OF[alg]! }, false, ['verify'])
      hmacKeys.set(alg, key)
    }
    return key
  }
  // A token verified once stays valid until its own expiry, so the result is remembered
  // (bounded, at most five minutes) and a socket frame or a streamed request does not
  // re-run the signature check. Expiry is re-checked on every hit.
  const verified = new Map<string, { result: VerifiedToken; until: number }>()

  const verifyUncached = async (token: string): Promise<VerifiedToken> => {
    let alg: string | undefined
    try {
      alg = decodeProtectedHeader(token).alg
    } catch {
      throw unauthorized('Malformed token')
    }
    let payload: JWTPayload
    try {
      if (alg && HMAC_ALGS.includes(alg)) {
        payload = (await jwtVerify(token, await hmacKey(alg), { ...common(), algorithms: [alg] })).payload
      } else if (alg && jwks && ASYMMETRIC_ALGS.includes(alg)) {
        payload = (await jwtVerify(token, jwks, { ...common(), algorithms: ASYMMETRIC_ALGS })).payload
      } else {
        throw unauthorized('Token algorithm not accepted')
      }
    } catch (e) {
      if (e instanceof AppError) throw e
      const code = (e as { code?: string }).code
      if (code === 'ERR_JWT_EXPIRED') throw unauthorized('Token expired')
      if (code === 'ERR_JWKS_TIMEOUT' || code === 'ERR_JWKS_NO_MATCHING_KEY') throw unauthorized('Token key not found')
      throw unauthorized('Invalid token')
    }
    const raw = (payload as Record<string, unknown>)[userClaim]
    if ((typeof raw !== 'string' && typeof raw !== 'number') || String(raw).trim() === '')
      throw unauthorized(`Token has no ${userClaim} claim`)
    // The subject and claims such as `name` become database rows: text it cannot store makes the token invalid.
    if (findUnsafeText(payload)) throw unauthorized('Invalid token')
    return { subject: String(raw), claims: payload as VerifiedToken['claims'] }
  }

  return async (token) => {
    const now = clock()
    const hit = verified.get(token)
    if (hit && hit.until > now) return hit.result
    const result = await verifyUncached(token)
    const exp = typeof result.claims.exp === 'number' ? result.claims.exp * 1000 + 30_000 : Infinity
    if (verified.size >= CACHE_MAX) verified.delete(verified.keys().next().value!)
    verified.set(token, { result, until: Math.min(now + CACHE_TTL_MS, exp) })
    return result
  }
}
