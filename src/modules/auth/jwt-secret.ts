import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs'
import { join } from 'node:path'
import type { Logger } from '../../platform/logger'

/**
 * The HMAC key: JWT_SECRET (base64-decoded when JWT_SECRET_BASE64, as Spring/jjwt keep it)
 * or, when unset, 32 random bytes generated once and kept in DATA_DIR so tokens survive a
 * restart. The generated key is never logged; only its location is.
 */
export function resolveJwtSecret(
  options: { secret?: string; secretBase64: boolean; dataDir: string },
  logger: Logger,
): Uint8Array {
  if (options.secret) {
    if (!options.secretBase64) return new TextEncoder().encode(options.secret)
    const normalised = options.secret.replace(/-/g, '+').replace(/_/g, '/')
    return new Uint8Array(Buffer.from(normalised, 'base64'))
  }
  const file = join(options.dataDir, 'jwt-secret')
  if (existsSync(file)) return new Uint8Array(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'))
  mkdirSync(options.dataDir, { recursive: true })
  const key = crypto.getRandomValues(new Uint8Array(32))
  writeFileSync(file, Buffer.from(key).toString('base64') + '\n', { mode: 0o600 })
  chmodSync(file, 0o600)
  logger.warn('JWT_SECRET is not set: generated a signing key and kept it in DATA_DIR; set JWT_SECRET to share tokens with other services', { file: 'jwt-secret' })
  return key
}
