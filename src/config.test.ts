import { describe, expect, test } from 'bun:test'
import { ConfigError, loadConfig } from './config'

describe('config', () => {
  test('starts on embedded defaults with no environment', () => {
    const c = loadConfig({})
    expect(c.port).toBe(8000)
    expect(c.dataDir).toBe('./data')
    expect(c.databaseUrl).toBeUndefined()
    expect(c.ai.provider).toBe('offline')
    expect(c.http.uploadMaxBytes).toBe(10 * 1024 * 1024)
    expect(c.http.bodyMaxBytes).toBe(1024 * 1024)
    expect(c.ws.maxFrameBytes).toBe(64 * 1024)
    expect(c.jwt.userClaim).toBe('sub')
    expect(c.couples.aiEveryNTurns).toBe(10)
  })

  test('lists every bad variable in one error', () => {
    let error: unknown
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', AI_PROVIDER: 'claude', JWT_SECRET_BASE64: 'maybe', CORS_ORIGINS: 'not a url' })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConfigError)
    const message = (error as ConfigError).message
    for (const name of ['PORT', 'DATABASE_URL', 'AI_PROVIDER', 'JWT_SECRET_BASE64', 'CORS_ORIGINS']) expect(message).toContain(name)
    expect((error as ConfigError).problems).toHaveLength(5)
  })

  test('chooses the AI provider by the keys present', () => {
    expect(loadConfig({ OPENAI_API_KEY: 'k' }).ai.provider).toBe('openai')
    expect(loadConfig({ GEMINI_API_KEY: 'k' }).ai.provider).toBe('gemini')
    expect(loadConfig({ OPENAI_API_KEY: 'k', GEMINI_API_KEY: 'g' }).ai.provider).toBe('openai')
    expect(loadConfig({ OPENAI_API_KEY: 'k', AI_PROVIDER: 'offline' }).ai.provider).toBe('offline')
    expect(() => loadConfig({ AI_PROVIDER: 'gemini' })).toThrow(/GEMINI_API_KEY/)
  })

  test('parses CORS lists, booleans and limits', () => {
    const c = loadConfig({
      CORS_ORIGINS: 'http://localhost:3000, https://app.example.com',
      JWT_SECRET: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0',
      JWT_SECRET_BASE64: 'true',
      UPLOAD_MAX_BYTES: '2048',
      REDIS_URL: 'redis://127.0.0.1:6379',
    })
    expect(c.http.corsOrigins).toEqual(['http://localhost:3000', 'https://app.example.com'])
    expect(c.jwt.secretBase64).toBe(true)
    expect(c.http.uploadMaxBytes).toBe(2048)
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379')
    expect(loadConfig({ CORS_ORIGINS: '*' }).http.corsOrigins).toBe('*')
  })

  test('refuses a short shared secret', () => {
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/)
  })

  test('several processes: off by default, and WORKERS needs a shared database and Redis', () => {
    const c = loadConfig({})
    expect(c.processes).toEqual({ workers: 1, reusePort: false, presenceTtlSeconds: 10, presenceCheckSeconds: 3 })
    // A killed process's users are announced offline after at most TTL plus one check (the
    // two-process test measures that on short settings): within 15 s by default.
    expect(c.processes.presenceTtlSeconds + c.processes.presenceCheckSeconds).toBeLessThanOrEqual(15)
    expect(() => loadConfig({ WORKERS: '2' })).toThrow(/WORKERS > 1 needs DATABASE_URL and REDIS_URL/)
    expect(() => loadConfig({ WORKERS: '2', DATABASE_URL: 'postgres://h/db' })).toThrow(/REDIS_URL/)
    expect(loadConfig({ WORKERS: '2', DATABASE_URL: 'postgres://h/db', REDIS_URL: 'redis://h' }).processes.workers).toBe(2)
    expect(() => loadConfig({ PRESENCE_TTL_SECONDS: '5', PRESENCE_CHECK_SECONDS: '5' })).toThrow(/PRESENCE_CHECK_SECONDS/)
  })

  test('session cookie SameSite: lax by default, none only with Secure', () => {
    expect(loadConfig({}).jwt.cookieSameSite).toBe('lax')
    expect(loadConfig({ SESSION_COOKIE_SAMESITE: 'strict' }).jwt.cookieSameSite).toBe('strict')
    expect(loadConfig({ SESSION_COOKIE_SAMESITE: 'none', SESSION_COOKIE_SECURE: 'true' }).jwt.cookieSameSite).toBe('none')
    expect(() => loadConfig({ SESSION_COOKIE_SAMESITE: 'none' })).toThrow(/SESSION_COOKIE_SAMESITE=none requires SESSION_COOKIE_SECURE=true/)
    expect(() => loadConfig({ SESSION_COOKIE_SAMESITE: 'sometimes' })).toThrow(/SESSION_COOKIE_SAMESITE must be one of lax, strict, none/)
  })

  test('sign-in and search limits have defaults for real clients and can be set', () => {
    expect(loadConfig({}).rateLimits).toMatchObject({ authWindowSeconds: 600, authPerIp: 100, authPerEmail: 10, userSearchPerMinute: 60 })
    const c = loadConfig({ RATE_LIMIT_AUTH_PER_IP: '5', RATE_LIMIT_AUTH_PER_EMAIL: '2', RATE_LIMIT_AUTH_WINDOW_SECONDS: '60', RATE_LIMIT_USER_SEARCH_PER_MINUTE: '3' })
    expect(c.rateLimits).toMatchObject({ authWindowSeconds: 60, authPerIp: 5, authPerEmail: 2, userSearchPerMinute: 3 })
    expect(() => loadConfig({ RATE_LIMIT_AUTH_PER_EMAIL: '0' })).toThrow(/RATE_LIMIT_AUTH_PER_EMAIL/)
  })
})
