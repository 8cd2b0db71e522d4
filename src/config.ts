/**
 * The whole environment, parsed once at start. Every variable huddle reads is declared
 * here with its default; a bad value stops the start with one message that lists every
 * offending variable, so an operator fixes them all in one go.
 */

import { DEFAULT_SHARED_BUFFERS_MB } from './platform/db/embedded'

type Env = Record<string, string | undefined>

export type AiProviderName = 'openai' | 'gemini' | 'offline'

export interface Config {
  port: number
  host: string
  dataDir: string
  databaseUrl?: string
  /** Embedded database only: PostgreSQL's shared_buffers in MB (its page cache, held in RSS). */
  pgliteSharedBuffersMb: number
  logLevel: 'debug' | 'info' | 'warn' | 'error'
  nodeEnv: string

  jwt: {
    secret?: string
    secretBase64: boolean
    jwksUrl?: string
    issuer?: string
    audience?: string
    userClaim: string
    coupleClaim: string
    /** Lifetime of the access tokens huddle issues itself. */
    accessTtlSeconds: number
    sessionTtlSeconds: number
    cookieName: string
    cookieSecure: boolean
    /** `SameSite` of the session cookie; `none` (cross-site frontends) requires `cookieSecure`. */
    cookieSameSite: 'lax' | 'strict' | 'none'
  }

  /** argon2id cost of stored password hashes; existing hashes keep the cost they were made with. */
  passwordHash: {
    memoryCostKib: number
    timeCost: number
  }

  http: {
    corsOrigins: string[] | '*'
    bodyMaxBytes: number
    uploadMaxBytes: number
    trustProxy: boolean
  }

  ws: {
    maxFrameBytes: number
    idleTimeoutSeconds: number
    /** Frames a connection may send per second (burst is twice this). */
    messagesPerSecond: number
    /** Bytes queued for a slow consumer before it is disconnected. */
    backpressureLimitBytes: number
  }

  redisUrl?: string
  /** Prefix of huddle's Redis keys and channels (several deployments can share one Redis). */
  redisPrefix: string

  /** Several processes: see README "Several processes". */
  processes: {
    /** With more than 1, `bun start` runs a supervisor of this many server processes. */
    workers: number
    /** Lets processes share the port; set by the supervisor for its workers, off otherwise. */
    reusePort: boolean
    /** How long a process's presence outlives its last heartbeat (a killed process's users then go offline). */
    presenceTtlSeconds: number
    /** How often each process rewrites its presence and looks for lapsed ones. */
    presenceCheckSeconds: number
  }

  ai: {
    provider: AiProviderName
    timeoutMs: number
    embeddingDim: number
    openai: { apiKey?: string; baseURL?: string; model: string; embeddingModel: string }
    gemini: { apiKey?: string; baseURL?: string; model: string; embeddingModel: string }
  }

  couples: { aiEveryNTurns: number; inviteTtlSeconds: number }

  /** Document extraction and chunking, run in workers with these budgets (see document-processor.ts). */
  ingest: {
    timeoutMs: number
    workers: number
    maxTextBytes: number
    maxParagraphs: number
    maxPages: number
    maxChunks: number
  }

  rateLimits: {
    docsChatPerMinute: number
    docsIngestPerMinute: number
    docsDeletePerMinute: number
    /** Sliding window of the sign-in limits below. */
    authWindowSeconds: number
    /** Identity-minting requests (login, register, petcare sign-in) per client address per window. */
    authPerIp: number
    /** Login and register attempts naming one email per window. */
    authPerEmail: number
    userSearchPerMinute: number
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

/** Parses the environment; throws ConfigError naming every bad variable at once. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = []
  const str = (name: string) => {
    const v = env[name]?.trim()
    return v === undefined || v === '' ? undefined : v
  }
  const int = (name: string, fallback: number, min: number, max: number) => {
    const raw = str(name)
    if (raw === undefined) return fallback
    const n = Number(raw)
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`)
      return fallback
    }
    return n
  }
  const bool = (name: string, fallback: boolean) => {
    const raw = str(name)?.toLowerCase()
    if (raw === undefined) return fallback
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true
    if (['0', 'false', 'no', 'off'].includes(raw)) return false
    problems.push(`${name} must be true or false (got "${raw}")`)
    return fallback
  }
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = str(name)
    if (raw === undefined) return fallback
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`)
      return fallback
    }
    return raw as T
  }
  const url = (name: string, protocols: string[]) => {
    const raw = str(name)
    if (raw === undefined) return undefined
    try {
      const u = new URL(raw)
      if (!protocols.includes(u.protocol)) throw new Error()
      return raw
    } catch {
      problems.push(`${name} must be a URL starting with ${protocols.map((p) => p + '//').join(' or ')}`)
      return undefined
    }
  }

  const openaiKey = str('OPENAI_API_KEY')
  const geminiKey = str('GEMINI_API_KEY') ?? str('GOOGLE_API_KEY')
  const defaultProvider: AiProviderName = openaiKey ? 'openai' : geminiKey ? 'gemini' : 'offline'
  const provider = oneOf('AI_PROVIDER', ['openai', 'gemini', 'offline'] as const, defaultProvider)
  if (provider === 'openai' && !openaiKey && !str('OPENAI_BASE_URL'))
    problems.push('AI_PROVIDER=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local server)')
  if (provider === 'gemini' && !geminiKey) problems.push('AI_PROVIDER=gemini needs GEMINI_API_KEY')

  const secret = str('JWT_SECRET')
  const secretBase64 = bool('JWT_SECRET_BASE64', false)
  if (secret && secretBase64 && !/^[A-Za-z0-9+/_-]+={0,2}$/.test(secret))
    problems.push('JWT_SECRET is not valid base64 but JWT_SECRET_BASE64=true')
  if (secret && !secretBase64 && secret.length < 16)
    problems.push('JWT_SECRET must be at least 16 characters')

  const cors = str('CORS_ORIGINS')
  let corsOrigins: string[] | '*' = []
  if (cors === '*') corsOrigins = '*'
  else if (cors) {
    corsOrigins = cors.split(',').map((o) => o.trim()).filter(Boolean)
    for (const o of corsOrigins) {
      try {
        if (new URL(o).origin !== o) throw new Error()
      } catch {
        problems.push(`CORS_ORIGINS entry "${o}" is not an origin such as https://app.example.com`)
      }
    }
  }

  const config: Config = {
    port: int('PORT', 8000, 0, 65535),
    host: str('HOST') ?? '0.0.0.0',
    dataDir: str('DATA_DIR') ?? './data',
    databaseUrl: url('DATABASE_URL', ['postgres:', 'postgresql:']),
    pgliteSharedBuffersMb: int('PGLITE_SHARED_BUFFERS_MB', DEFAULT_SHARED_BUFFERS_MB, 1, 4096),
    logLevel: oneOf('LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
    nodeEnv: str('NODE_ENV') ?? 'development',
    jwt: {
      secret,
      secretBase64,
      jwksUrl: url('JWT_JWKS_URL', ['https:', 'http:']),
      issuer: str('JWT_ISSUER'),
      audience: str('JWT_AUDIENCE'),
      userClaim: str('JWT_USER_CLAIM') ?? 'sub',
      coupleClaim: str('JWT_COUPLE_CLAIM') ?? 'coupleId',
      accessTtlSeconds: int('JWT_ACCESS_TTL_SECONDS', 3600, 60, 30 * 86400),
      sessionTtlSeconds: int('SESSION_TTL_SECONDS', 14 * 86400, 300, 365 * 86400),
      cookieName: str('SESSION_COOKIE_NAME') ?? 'huddle_session',
      cookieSecure: bool('SESSION_COOKIE_SECURE', false),
      cookieSameSite: oneOf('SESSION_COOKIE_SAMESITE', ['lax', 'strict', 'none'] as const, 'lax'),
    },
    passwordHash: {
      memoryCostKib: int('PASSWORD_HASH_MEMORY_KIB', 65536, 1024, 4 * 1024 * 1024),
      timeCost: int('PASSWORD_HASH_TIME_COST', 2, 1, 20),
    },
    http: {
      corsOrigins,
      bodyMaxBytes: int('BODY_MAX_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024),
      uploadMaxBytes: int('UPLOAD_MAX_BYTES', 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
      trustProxy: bool('TRUST_PROXY', false),
    },
    ws: {
      maxFrameBytes: int('WS_MAX_FRAME_BYTES', 64 * 1024, 1024, 16 * 1024 * 1024),
      idleTimeoutSeconds: int('WS_IDLE_TIMEOUT_SECONDS', 60, 5, 960),
      messagesPerSecond: int('WS_MESSAGES_PER_SECOND', 20, 1, 10_000),
      backpressureLimitBytes: int('WS_BACKPRESSURE_LIMIT_BYTES', 1024 * 1024, 16 * 1024, 256 * 1024 * 1024),
    },
    redisUrl: url('REDIS_URL', ['redis:', 'rediss:']),
    redisPrefix: str('REDIS_PREFIX') ?? 'huddle:',
    processes: {
      workers: int('WORKERS', 1, 1, 256),
      reusePort: bool('REUSE_PORT', false),
      presenceTtlSeconds: int('PRESENCE_TTL_SECONDS', 10, 2, 3600),
      presenceCheckSeconds: int('PRESENCE_CHECK_SECONDS', 3, 1, 3600),
    },
    ai: {
      provider,
      timeoutMs: int('AI_TIMEOUT_MS', 30_000, 100, 600_000),
      embeddingDim: int('EMBEDDING_DIM', 768, 16, 2000),
      openai: {
        apiKey: openaiKey,
        baseURL: url('OPENAI_BASE_URL', ['https:', 'http:']),
        model: str('OPENAI_MODEL') ?? 'gpt-4o-mini',
        embeddingModel: str('OPENAI_EMBEDDING_MODEL') ?? 'text-embedding-3-small',
      },
      gemini: {
        apiKey: geminiKey,
        baseURL: url('GEMINI_BASE_URL', ['https:', 'http:']),
        model: str('GEMINI_MODEL') ?? 'gemini-2.0-flash',
        embeddingModel: str('GEMINI_EMBEDDING_MODEL') ?? 'gemini-embedding-001',
      },
    },
    couples: {
      aiEveryNTurns: int('COUPLES_AI_EVERY_N_TURNS', 10, 1, 1000),
      inviteTtlSeconds: int('COUPLES_INVITE_TTL_SECONDS', 86_400, 60, 30 * 86_400),
    },
    ingest: {
      timeoutMs: int('INGEST_TIMEOUT_MS', 20_000, 100, 600_000),
      workers: int('INGEST_WORKERS', 2, 1, 64),
      maxTextBytes: int('INGEST_MAX_TEXT_BYTES', 16 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
      maxParagraphs: int('INGEST_MAX_PARAGRAPHS', 50_000, 10, 10_000_000),
      maxPages: int('INGEST_MAX_PAGES', 2000, 1, 100_000),
      maxChunks: int('INGEST_MAX_CHUNKS', 25_000, 1, 10_000_000),
    },
    rateLimits: {
      docsChatPerMinute: int('RATE_LIMIT_DOCS_CHAT_PER_MINUTE', 20, 1, 100_000),
      docsIngestPerMinute: int('RATE_LIMIT_DOCS_INGEST_PER_MINUTE', 5, 1, 100_000),
      docsDeletePerMinute: int('RATE_LIMIT_DOCS_DELETE_PER_MINUTE', 10, 1, 100_000),
      authWindowSeconds: int('RATE_LIMIT_AUTH_WINDOW_SECONDS', 600, 1, 86_400),
      authPerIp: int('RATE_LIMIT_AUTH_PER_IP', 100, 1, 1_000_000),
      authPerEmail: int('RATE_LIMIT_AUTH_PER_EMAIL', 10, 1, 1_000_000),
      userSearchPerMinute: int('RATE_LIMIT_USER_SEARCH_PER_MINUTE', 60, 1, 100_000),
    },
  }
  const { workers, presenceTtlSeconds, presenceCheckSeconds } = config.processes
  if (presenceCheckSeconds >= presenceTtlSeconds) problems.push('PRESENCE_CHECK_SECONDS must be shorter than PRESENCE_TTL_SECONDS')
  if (workers > 1 && (!config.databaseUrl || !config.redisUrl))
    problems.push('WORKERS > 1 needs DATABASE_URL and REDIS_URL: processes share one database and one Redis (an embedded database cannot be shared)')
  // Browsers drop a `SameSite=None` cookie that is not also `Secure`: refuse to start rather than sign nobody in.
  if (config.jwt.cookieSameSite === 'none' && !config.jwt.cookieSecure)
    problems.push('SESSION_COOKIE_SAMESITE=none requires SESSION_COOKIE_SECURE=true')
  if (problems.length) throw new ConfigError(problems)
  return config
}
