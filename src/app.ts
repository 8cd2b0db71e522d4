import { Elysia } from 'elysia'
import { cors } from '@elysiajs/cors'
import type { Config } from './config'
import type { Database } from './platform/db/client'
import type { Logger } from './platform/logger'
import { createMetrics, type Metrics } from './platform/metrics'
import { createErrorShapeTable } from './platform/http/error-shapes'
import { httpPipeline } from './platform/http/http-pipeline'
import { opsRoutes } from './platform/http/ops-routes'
import { openapiDocs } from './platform/http/openapi'
import { createUserRepo } from './modules/auth/user-repo'
import { createSessionRepo } from './modules/auth/session-repo'
import { createJwtVerifier } from './modules/auth/jwt-verifier'
import { createAuthService } from './modules/auth/auth-service'
import { accountErrorShape, accountRoutes } from './surfaces/account/account-routes'

export interface AppDeps {
  config: Config
  database: Database
  logger: Logger
  /** The HMAC key for huddle's own tokens and shared-secret issuers (see jwt-secret.ts). */
  jwtSecret: Uint8Array
  metrics?: Metrics
}

/** Things main.ts needs besides the app: what to stop, in order, on shutdown. */
export interface AppRuntime {
  app: ReturnType<typeof buildApp>
  metrics: Metrics
  /** Called once the server stops accepting: flush what was accepted, close sockets. */
  shutdown(): Promise<void>
  markShuttingDown(): void
}

function buildApp(deps: AppDeps, metrics: Metrics, isShuttingDown: () => boolean) {
  const { config, database, logger } = deps
  const db = database.db
  const users = createUserRepo({ db })
  const sessions = createSessionRepo({ db })
  const verify = createJwtVerifier({
    secret: deps.jwtSecret,
    jwksUrl: config.jwt.jwksUrl,
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
    userClaim: config.jwt.userClaim,
  })
  const auth = createAuthService({
    users,
    sessions,
    verify,
    secret: deps.jwtSecret,
    userClaim: config.jwt.userClaim,
    accessTtlSeconds: config.jwt.accessTtlSeconds,
    sessionTtlSeconds: config.jwt.sessionTtlSeconds,
  })
  const shapes = createErrorShapeTable([accountErrorShape])
  const origins = config.http.corsOrigins

  return new Elysia()
    .use(httpPipeline({ logger, metrics, shapes, bodyMaxBytes: config.http.bodyMaxBytes }))
    .use(
      cors({
        origin: origins === '*' ? true : origins,
        credentials: true,
        allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
        exposeHeaders: ['Retry-After', 'X-Request-Id', 'Content-Disposition', 'x-vercel-ai-data-stream'],
        maxAge: 600,
      }),
    )
    .use(openapiDocs())
    .use(opsRoutes({ ping: database.ping, metrics, isShuttingDown }))
    .use(
      accountRoutes({
        auth,
        users,
        cookieName: config.jwt.cookieName,
        cookieSecure: config.jwt.cookieSecure,
        sessionTtlSeconds: config.jwt.sessionTtlSeconds,
      }),
    )
}

/** The composition root: builds every dependency once and mounts every surface. */
export function createApp(deps: AppDeps): AppRuntime {
  const metrics = deps.metrics ?? createMetrics()
  let shuttingDown = false
  const app = buildApp(deps, metrics, () => shuttingDown)
  return {
    app,
    metrics,
    markShuttingDown: () => {
      shuttingDown = true
    },
    shutdown: async () => {},
  }
}
