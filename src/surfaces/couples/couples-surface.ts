import { Elysia } from 'elysia'
import type { AuthService } from '../../modules/auth/auth-service'
import type { ChatProvider } from '../../modules/ai/types'
import { createCoupleAi } from '../../modules/couples/couple-ai'
import { createCoupleRepo } from '../../modules/couples/couple-repo'
import { createCoupleRoomService } from '../../modules/couples/couple-room-service'
import { createCoupleSeatRepo } from '../../modules/couples/couple-seat-repo'
import { createCoupleSessionService } from '../../modules/couples/couple-session-service'
import type { MessageRepo } from '../../modules/messaging/message-repo'
import type { RoomRepo } from '../../modules/messaging/room-repo'
import type { Hub } from '../../modules/realtime/hub'
import type { Db } from '../../platform/db/client'
import type { Logger } from '../../platform/logger'
import type { Metrics } from '../../platform/metrics'
import { couplesRoutes } from './couples-routes'
import { couplesSocket } from './couples-socket'

/** Everything the couples surface is built from, each shared with the rest of the app. */
export interface CouplesSurfaceDeps {
  db: Db
  rooms: RoomRepo
  messages: MessageRepo
  auth: AuthService
  cookieName: string
  hub: Hub
  chat: ChatProvider
  logger: Logger
  metrics: Metrics
  /** `JWT_COUPLE_CLAIM`. */
  coupleClaim: string
  /** `COUPLES_AI_EVERY_N_TURNS`. */
  aiEveryNTurns: number
  /** `COUPLES_INVITE_TTL_SECONDS`. */
  inviteTtlSeconds: number
  /** `WS_MAX_FRAME_BYTES` and `WS_MESSAGES_PER_SECOND`. */
  maxFrameBytes: number
  messagesPerSecond: number
}

/** Seed 001 as one plugin: the couples services wired once, the REST routes and the session socket. */
export function createCouplesSurface(deps: CouplesSurfaceDeps) {
  const couples = createCoupleRepo({ db: deps.db })
  const roomService = createCoupleRoomService({
    rooms: deps.rooms,
    messages: deps.messages,
    couples,
    seats: createCoupleSeatRepo({ db: deps.db }),
    coupleClaim: deps.coupleClaim,
    inviteTtlSeconds: deps.inviteTtlSeconds,
  })
  const sessionService = createCoupleSessionService({
    roomService,
    couples,
    hub: deps.hub,
    ai: createCoupleAi({ chat: deps.chat, logger: deps.logger }),
    aiEveryNTurns: deps.aiEveryNTurns,
    metrics: deps.metrics,
  })
  return new Elysia({ name: 'couples-surface' })
    .use(couplesRoutes({ auth: deps.auth, cookieName: deps.cookieName, roomService }))
    .use(
      couplesSocket({
        auth: deps.auth,
        cookieName: deps.cookieName,
        roomService,
        sessionService,
        hub: deps.hub,
        logger: deps.logger,
        metrics: deps.metrics,
        maxFrameBytes: deps.maxFrameBytes,
        messagesPerSecond: deps.messagesPerSecond,
      }),
    )
}
