/**
 * JSON lines on stdout, one object per event. Nothing secret may reach a line, whoever
 * logs it and however: every line passes through `redact` on its way out, which
 * - replaces fields whose names look like secrets (`password`, `token`, `cookie`, `hash`…);
 * - serializes errors as name, code, message, stack and cause only (a database error's
 *   `detail` repeats the failing row, password hash included), with the bound values of a
 *   failed query (`params: …` in Drizzle's message and stack) cut out;
 * - masks what looks like a credential inside any text: password hashes (argon2, scrypt,
 *   bcrypt), JWTs, `Bearer …` and `token=`/`password=` query parameters.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
  child(fields: Record<string, unknown>): Logger
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }
const SECRET_KEY = /pass(word)?|secret|token|authorization|cookie|api[-_]?key|hash|^params$/i
const MASKS: [RegExp, string][] = [
  // Drizzle's "Failed query: …\nparams: v1,v2" (values may span lines), up to the stack frames.
  [/\bparams: [\s\S]*?(?=\n\s+at\s|$)/g, 'params: [redacted]'],
  [/\$(?:argon2(?:id|i|d)|scrypt|pbkdf2[\w-]*)\$[\w+/.=,$-]+/g, '[redacted-hash]'],
  [/\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}/g, '[redacted-hash]'],
  [/\beyJ[\w-]*\.[\w-]*\.[\w-]*/g, '[redacted-token]'],
  [/\b(Bearer)\s+[^\s"',]+/gi, '$1 [redacted]'],
  [/([?&](?:token|access_token|password|code)=)[^&\s"']*/gi, '$1[redacted]'],
]

/** `text` with every credential-looking piece masked. */
export function scrub(text: string): string {
  let out = text
  for (const [pattern, replacement] of MASKS) out = out.replace(pattern, replacement)
  return out
}

/** A copy of `value` safe to write: see the module comment. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value)
  if (value === null || typeof value !== 'object') return value
  if (depth > 4) return '[nested]'
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code
    return {
      name: value.name,
      ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
      message: scrub(value.message),
      stack: value.stack === undefined ? undefined : scrub(value.stack),
      ...(value.cause !== undefined ? { cause: redact(value.cause, depth + 1) } : {}),
    }
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1)
  return out
}

/** A logger writing to `write` (stdout by default) at `level` and above. */
export function createLogger(
  options: { level?: LogLevel; base?: Record<string, unknown>; write?: (line: string) => void } = {},
): Logger {
  const min = ORDER[options.level ?? 'info']
  const write = options.write ?? ((line: string) => process.stdout.write(line + '\n'))
  const base = options.base ?? {}
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return
    const record = { time: new Date().toISOString(), level, msg: scrub(msg), ...(redact({ ...base, ...fields }) as object) }
    write(JSON.stringify(record))
  }
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger({ level: options.level, base: { ...base, ...fields }, write }),
  }
}

/** A logger that drops everything (tests that don't look at logs). */
export const silentLogger: Logger = createLogger({ level: 'error', write: () => {} })
