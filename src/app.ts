import { join } from 'node:path'
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
import { createSignInLimits } from './modules/auth/sign-in-limits'
import { createRoomRepo } from './modules/messaging/room-repo'
import { createMessageRepo } from './modules/messaging/message-repo'
import { createDiskFileStore } from './modules/messaging/file-store'
import { createMessageService } from './modules/messaging/message-service'
import { createRoomService } from './modules/messaging/room-service'
import { realtimeSocketOptions } from './modules/realtime/connection'
import { createSharedState } from './modules/realtime/shared-state'
import { createAi } from './modules/ai/provider-factory'
import { accountErrorShape, accountRoutes } from './surfaces/account/account-routes'
import { messengerErrorShape, messengerRoutes } from './surfaces/messenger/messenger-routes'
import { messengerSocket } from './surfaces/messenger/messenger-socket'
import { couplesErrorShape } from './surfaces/couples/couples-routes'
import { createCouplesSurface } from './surfaces/couples/couples-surface'
import { createDocsSurface } from './surfaces/docs/docs-surface'
import { docsErrorShape } from './surfaces/docs/docs-routes'
import { ensureCardCatalog } from './modules/advisor/card-catalog-seed'
import { createCardCatalogRepo } from './modules/advisor/card-catalog-repo'
import { createSpendingRepo } from './modules/advisor/spending-repo'
import { createSpendingService } from './modules/advisor/spending-service'
import { createCardSessionService } from './modules/advisor/card-session-service'
import { createFinanceChatService, CONTEXT_MESSAGES as FINANCE_CONTEXT_MESSAGES } from './modules/advisor/finance-chat-service'
import { createFinanceTurnLoader } from './modules/advisor/finance-turn-loader'
import { advisorErrorShape } from './surfaces/advisor/advisor-error-shape'
import { advisorRoutes } from './surfaces/advisor/advisor-routes'
import { transactionRoutes } from './surfaces/advisor/transaction-routes'
import { createPetcare } from './modules/petcare/petcare-module'
import { createConfiguredDocumentProcessor } from './modules/rag/document-processor'
import { petcareRoutes } from './surfaces/petcare/petcare-routes'
import { petcareErrorShape } from './surfaces/petcare/petcare-views'
import { consoleRoutes } from './surfaces/console/console-routes'
import { apiDocsRoutes } from './surfaces/api-docs/api-docs-routes'
import { completeOpenApi, type RouteInfo } from './surfaces/api-docs/openapi-completion'

export interface AppDeps {
  config: Config
  database: Database
  logger: Logger
  /** The HMAC key for huddle's own tokens and shared-secret issuers (see jwt-secret.ts). */
  jwtSecret: Uint8Array
  metrics?: Metrics
  /** The request rate limits' clock (ms since the epoch); tests pin it to test windows. */
  clock?: () => number
}

/** Hard cap on an inbound socket frame; frames under it but over WS_MAX_FRAME_BYTES get an error event. */
const WS_HARD_FRAME_BYTES = 1024 * 1024

/**
 * The composition root: builds every dependency once, mounts every surface, and returns
 * the app with what main.ts needs to start and stop it.
 */
export async function createApp(deps: AppDeps) {
  const { config, database, logger } = deps
  const metrics = deps.metrics ?? createMetrics()
  const db = database.db
  let shuttingDown = false

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
    passwordHash: config.passwordHash,
  })
  const realtime = await createSharedState({
    redisPrefix: config.redisPrefix,
    redisUrl: config.redisUrl,
    maxBufferedBytes: config.ws.backpressureLimitBytes,
    logger,
    metrics,
    userName: async (id) => (await users.findById(id))?.name,
    recordSeen: (id) => users.touchLastSeen(id),
    presenceTtlMs: config.processes.presenceTtlSeconds * 1000,
    presenceCheckMs: config.processes.presenceCheckSeconds * 1000,
  })
  const ai = await createAi({
    provider: config.ai.provider,
    openai: config.ai.openai,
    gemini: config.ai.gemini,
    embeddingDim: config.ai.embeddingDim,
    timeoutMs: config.ai.timeoutMs,
  })
  const rooms = createRoomRepo({ db })
  const messages = createMessageRepo({ db })
  const files = createDiskFileStore(join(config.dataDir, 'uploads'))
  // Two group commits in flight on a PostgreSQL server (two connections): bench:fanout's rooms
  // scenario stored 14–18 % more messages a second than with one, and 4 lanes did no better on
  // two cores. PGlite runs one statement at a time on its one session, so a second lane only
  // splits batches into more statements: p99 at a fixed 20,000 deliveries/s went from 9–11 to
  // 12–15 ms there.
  const commitLanes = database.driver === 'postgres' ? 2 : 1
  const messageService = createMessageService({ rooms, messages, hub: realtime.hub, files, uploadMaxBytes: config.http.uploadMaxBytes, metrics, logger, commitLanes })
  const roomsService = createRoomService({ rooms, users, presence: realtime.presence })
  await ensureCardCatalog(db)
  const spendingRepo = createSpendingRepo({ db })
  const spendingService = createSpendingService({ spending: spendingRepo })
  const cardSessions = createCardSessionService({ rooms, messages, catalog: createCardCatalogRepo({ db }), spending: spendingService, chat: ai.chat })
  const financeTurns = createFinanceTurnLoader({ db, spending: spendingRepo, recentMessages: FINANCE_CONTEXT_MESSAGES })
  const financeChat = createFinanceChatService({ rooms, messages, turns: financeTurns, chat: ai.chat, logger })

  // Extraction and chunking of uploads and the knowledge base, in workers off the event loop.
  const documentProcessor = createConfiguredDocumentProcessor(config.ingest)
  const docs = await createDocsSurface({ db, database, ai, logger, config, auth, rateLimits: realtime.rateLimits, cookieName: config.jwt.cookieName, clock: deps.clock, documentProcessor })

  const couples = createCouplesSurface({
    db,
    rooms,
    messages,
    auth,
    cookieName: config.jwt.cookieName,
    hub: realtime.hub,
    chat: ai.chat,
    logger,
    metrics,
    coupleClaim: config.jwt.coupleClaim,
    aiEveryNTurns: config.couples.aiEveryNTurns,
    inviteTtlSeconds: config.couples.inviteTtlSeconds,
    maxFrameBytes: config.ws.maxFrameBytes,
    messagesPerSecond: config.ws.messagesPerSecond,
  })

  const petcare = await createPetcare({ db, users, auth, chat: ai.chat, embedder: ai.embedder, documentProcessor, hasVector: () => database.hasVector, logger })

  const signInLimits = createSignInLimits({
    store: realtime.rateLimits,
    config: {
      windowSeconds: config.rateLimits.authWindowSeconds,
      perIp: config.rateLimits.authPerIp,
      perEmail: config.rateLimits.authPerEmail,
      searchPerMinute: config.rateLimits.userSearchPerMinute,
    },
  })

  const shapes = createErrorShapeTable([accountErrorShape, messengerErrorShape, advisorErrorShape, petcareErrorShape, docsErrorShape, couplesErrorShape])
  const origins = config.http.corsOrigins
  const cookieName = config.jwt.cookieName

  // The OpenAPI document describes the whole app, which exists only once built below.
  let documented: { handle(request: Request): Promise<Response>; routes: RouteInfo[] } | undefined
  const app = new Elysia({
    websocket: {
      ...realtimeSocketOptions({
        maxFrameBytes: WS_HARD_FRAME_BYTES,
        maxBufferedBytes: config.ws.backpressureLimitBytes,
        idleTimeoutSeconds: config.ws.idleTimeoutSeconds,
      }),
    },
  })
    .use(httpPipeline({ logger, metrics, shapes, bodyMaxBytes: config.http.bodyMaxBytes, uploadMaxBytes: config.http.uploadMaxBytes }))
    .use(
      cors({
        origin: origins === '*' ? true : origins,
        credentials: true,
        allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
        exposeHeaders: ['Retry-After', 'X-Request-Id', 'Content-Disposition', 'x-vercel-ai-data-stream'],
        maxAge: 600,
      }),
    )
    .use(openapiDocs({ root: () => documented!, complete: (doc) => completeOpenApi(doc, documented!.routes, shapes, { cookieName }) }))
    .use(opsRoutes({ ping: database.ping, metrics, isShuttingDown: () => shuttingDown }))
    .use(consoleRoutes())
    .use(apiDocsRoutes())
    .use(accountRoutes({ auth, users, limits: signInLimits, trustProxy: config.http.trustProxy, cookie: config.jwt }))
    .use(messengerRoutes({ auth, cookieName, roomsService, messageService, rooms, messages, files }))
    .use(advisorRoutes({ auth, cookieName, cardSessions, financeChat, logger }))
    .use(transactionRoutes({ auth, cookieName, spending: spendingService }))
    .use(petcareRoutes({ auth, cookieName, petcare, logger, signIn: { limits: signInLimits, trustProxy: config.http.trustProxy } }))
    .use(docs)
    .use(couples)
    .use(
      messengerSocket({
        auth,
        cookieName,
        rooms,
        users,
        messageService,
        hub: realtime.hub,
        presence: realtime.presence,
        logger,
        metrics,
        maxFrameBytes: config.ws.maxFrameBytes,
        messagesPerSecond: config.ws.messagesPerSecond,
      }),
    )

  documented = app as unknown as typeof documented
  return {
    app,
    metrics,
    realtime,
    ai,
    /** Gives the hub the listening server; call right after `app.listen`. */
    attach(server: NonNullable<typeof app.server>) {
      realtime.hub.attachServer(server)
    },
    markShuttingDown() {
      shuttingDown = true
    },
    /**
     * Announces this process's users offline to the other processes, then closes every
     * socket with 1001 (going away); in-flight HTTP requests still complete.
     */
    async closeSockets() {
      await realtime.depart()
      await realtime.hub.close()
    },
    /** After the server stops accepting: store what was accepted, then close the buses. */
    async shutdown() {
      await messageService.drain()
      await financeChat.drain()
      documentProcessor.close()
      await realtime.close()
    },
  }
}

export type AppRuntime = Awaited<ReturnType<typeof createApp>>

/**
 * The app's type, for typed clients: `treaty<App>('http://localhost:8000')` from
 * `@elysiajs/eden` gives every route with its params, body and response types.
 */
export type App = AppRuntime['app']
