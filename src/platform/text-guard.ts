/**
 * The one check every text that may reach the database passes, on every surface and socket.
 * PostgreSQL `text` and `jsonb` refuse NUL, and an unpaired UTF-16 surrogate has no UTF-8
 * encoding: either would fail inside the database as an unexpected error (a 500, or a
 * half-finished write), so they are refused where the request is read. Messages name where
 * the text was, never echo it.
 */

/** Why a string cannot be stored, or undefined when it can. */
export function unsafeTextReason(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain NUL characters'
  if (!text.isWellFormed()) return 'must not contain unpaired UTF-16 surrogates'
  return undefined
}

/** Where the first unstorable string is inside a value, with why. */
export interface UnsafeText {
  path: string
  reason: string
}

const MAX_NODES = 100_000

const isPlain = (v: object) => Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null

/**
 * Walks strings, object keys and array items of plain data (iteratively, so deep nesting
 * cannot overflow the stack; files and other class instances are skipped) and returns the
 * first string that cannot be stored. A value too large to walk is reported as such.
 */
export function findUnsafeText(value: unknown, root = 'value'): UnsafeText | undefined {
  const stack: [unknown, string][] = [[value, root]]
  let visited = 0
  while (stack.length > 0) {
    const [v, path] = stack.pop()!
    if (++visited > MAX_NODES) return { path: root, reason: 'has too many values' }
    if (typeof v === 'string') {
      const reason = unsafeTextReason(v)
      if (reason) return { path, reason }
    } else if (v !== null && typeof v === 'object' && isPlain(v)) {
      if (Array.isArray(v)) v.forEach((item, i) => stack.push([item, `${path}[${i}]`]))
      else
        for (const [key, item] of Object.entries(v)) {
          const reason = unsafeTextReason(key)
          if (reason) return { path, reason: `has a key that ${reason}` }
          stack.push([item, `${path}.${/^[\w-]{1,64}$/.test(key) ? key : '?'}`])
        }
    }
  }
  return undefined
}

/**
 * C0 and C1 controls, DEL, the bidi marks, embeddings, overrides and isolates, and invisible
 * zero-width characters (not the joiners emoji and some scripts need): they make a stored name
 * read differently from what it is (`invoice\u202Efdp.exe` shows as `invoiceexe.pdf`).
 */
const INVISIBLE_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g

/** A name as it may be stored and shown: invisible controls removed, lone surrogates replaced. */
export const stripControlCharacters = (text: string): string => text.replace(INVISIBLE_CONTROLS, '').toWellFormed()
