import { mkdir, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { stripControlCharacters } from '../../platform/text-guard'

/** Where uploaded bytes live; a database row names them by `storageKey`. */
export interface FileStore {
  put(key: string, bytes: Uint8Array): Promise<void>
  /** A Bun file handle for streaming the bytes back; undefined when missing. */
  get(key: string): Promise<Blob | undefined>
  remove(key: string): Promise<void>
}

/** Files on local disk under `root` (DATA_DIR/uploads); keys never escape the root. */
export function createDiskFileStore(root: string): FileStore {
  const base = resolve(root)
  const pathOf = (key: string) => {
    const p = resolve(base, key)
    if (!p.startsWith(base + '/')) throw new Error('storage key escapes the store')
    return p
  }
  return {
    async put(key, bytes) {
      const p = pathOf(key)
      await mkdir(join(p, '..'), { recursive: true })
      await Bun.write(p, bytes)
    },
    async get(key) {
      const f = Bun.file(pathOf(key))
      return (await f.exists()) ? f : undefined
    },
    async remove(key) {
      await rm(pathOf(key), { force: true })
    },
  }
}

/**
 * A file name safe to store and to send back in Content-Disposition: no directories, no
 * control, bidi or invisible characters (stripped), no reserved characters, no leading dots,
 * at most 200 characters (extension kept).
 */
export function sanitizeFileName(name: string | undefined | null): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? ''
  let clean = stripControlCharacters(base)
    .normalize('NFC')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/^[.\s]+/, '')
    .trim()
  if (clean.length > 200) {
    const dot = clean.lastIndexOf('.')
    const ext = dot > 0 && clean.length - dot <= 16 ? clean.slice(dot) : ''
    clean = clean.slice(0, 200 - ext.length) + ext
  }
  return clean || 'file'
}

/** `attachment; filename="ascii"; filename*=UTF-8''encoded` (RFC 6266/5987). */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
}
