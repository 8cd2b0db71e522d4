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
