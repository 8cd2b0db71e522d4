import { describe, expect, test } from 'bun:test'
import { DrizzleQueryError } from 'drizzle-orm'
import { createLogger } from './logger'

const capture = () => {
  const lines: string[] = []
  return { lines, logger: createLogger({ level: 'debug', write: (l) => lines.push(l) }) }
}

const HASH = '$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA'
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'

describe('logger', () => {
  test('a failed query is logged with its SQL and cause, without its bound values', () => {
    const { lines, logger } = capture()
    const pgError = Object.assign(new Error('new row for relation "users" violates check constraint "no_boom"'), {
      code: '23514',
      detail: `Failing row contains (7, kim@example.com, ${HASH}).`,
    })
    const error = new DrizzleQueryError('insert into "users" ("email", "password_hash") values ($1, $2)', ['kim@example.com', HASH], pgError)
    logger.error('unhandled error', { error })
    expect(lines).toHaveLength(1)
    const line = lines[0]!
    expect(line).not.toContain('argon2')
    expect(line).not.toContain('kim@example.com')
    const logged = JSON.parse(line).error
    expect(logged.message).toBe('Failed query: insert into "users" ("email", "password_hash") values ($1, $2)\nparams: [redacted]')
    expect(logged.stack).toContain('params: [redacted]\n    at ')
    expect(logged.cause).toMatchObject({ code: '23514', message: 'new row for relation "users" violates check constraint "no_boom"' })
    expect(logged.cause.detail).toBeUndefined()
  })

  test('credentials inside any text are masked, in the message, fields, child fields and stringified errors', () => {
    const { lines, logger } = capture()
    const child = logger.child({ note: `Bearer ${JWT}` })
    child.warn(`token ${JWT} refused`, {
      url: `/chat/ws/1?token=abc.def&since=3`,
      text: String(new DrizzleQueryError('select 1', [HASH, 'x'])),
      list: [{ deep: { deeper: HASH } }],
      bcrypt: 'hash $2b$10$abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ01234 ends',
    })
    const line = lines[0]!
    for (const secret of [JWT, HASH, 'abc.def', '$2b$10$']) expect(line).not.toContain(secret)
    const record = JSON.parse(line)
    expect(record.msg).toBe('token [redacted-token] refused')
    expect(record.note).toBe('Bearer [redacted]')
    expect(record.url).toBe('/chat/ws/1?token=[redacted]&since=3')
    expect(record.list).toEqual([{ deep: { deeper: '[redacted-hash]' } }])
  })

  test('secret-named fields are replaced whatever they hold; other values pass through', () => {
    const { lines, logger } = capture()
    logger.info('x', { password: 'p', passwordHash: 'h', sessionToken: 't', params: [1, 2], cookie: 'c', userId: 7, path: '/api/auth/login', ok: true })
    expect(JSON.parse(lines[0]!)).toMatchObject({
      password: '[redacted]',
      passwordHash: '[redacted]',
      sessionToken: '[redacted]',
      params: '[redacted]',
      cookie: '[redacted]',
      userId: 7,
      path: '/api/auth/login',
      ok: true,
    })
  })
})
