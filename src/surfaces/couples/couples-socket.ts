import { Elysia, t } from 'elysia'
import type { AuthService } from '../../modules/auth/auth-service'
import type { CoupleRoomService, Seat } from '../../modules/couples/couple-room-service'
import type { CoupleSessionService } from '../../modules/couples/couple-session-service'
import { parseCouplesFrame, type InboundFrame } from '../../modules/realtime/client-frames'
import { admitFrame } from '../../modules/realtime/frame-gate'
import { safeSend } from '../../modules/realtime/connection'
import { createFrameRateLimiter, type FrameRateLimiter } from '../../modules/realtime/frame-rate-limiter'
import type { Hub, HubSocket } from '../../modules/realtime/hub'
import { CLOSE_CODES, CLOSE_REASONS, topics } from '../../modules/realtime/protocol'
import { isAppError, type AppError } from '../../platform/errors'
import { authPlugin } from '../../platform/http/auth-plugin'
import { IdParam } from '../../platform/http/request-schemas'
import type { Logger } from '../../platform/logger'
import type { Metrics } from '../../platform/metrics'

/** What the couples socket needs. */
export interface CouplesSocketDeps {
  auth: AuthService
  cookieName: string
  roomService: CoupleRoomService
  sessionService: CoupleSessionService
  hub: Hub
  logger: Logger
  metrics: Metrics
  maxFrameBytes: number
  messagesPerSecond: number
}

interface Connection {
  roomId: number
  limiter: FrameRateLimiter
  /** Settles once the socket has joined the session; frames that arrive earlier wait for it. */
  seat: Promise<Seat | null>
}

type RawSocket = HubSocket & { send(data: string): number }

/** AppErrors whose message is safe and useful to show a client even though they are 5xx. */
const SHOWN_UPSTREAM = new Set<AppError['code']>(['TIMEOUT', 'UPSTREAM_FAILED', 'UNAVAILABLE'])

/**
 * `ws /api/sessions/ws/{room_id}?token=…` (seed 001): the token (a Spring JWT, or any token
 * huddle accepts) is checked and the caller seated before the upgrade, so a stranger is
 * answered 401 and a third person 403 as plain HTTP, and no socket opens. On open the socket
 * gets the room's current session. Each frame is rate-limited, size-checked and parsed; a
 * bad frame is answered with `{"type":"error","detail"}`, and the socket and session stay.
 */
export function couplesSocket(deps: CouplesSocketDeps) {
  const connections = new WeakMap<object, Connection>()
  const open = deps.metrics.gauge('huddle_ws_connections', 'Open WebSocket connections by surface')
  const frames = deps.metrics.counter('huddle_ws_frames_total', 'Inbound WebSocket frames by surface and outcome')

  const send = (raw: RawSocket, event: unknown) => safeSend(raw, JSON.stringify(event))
  const sendError = (raw: RawSocket, detail: string) => send(raw, { type: 'error', detail })

  return new Elysia({ name: 'couples-socket' })
    .use(authPlugin(deps.auth, deps.cookieName))
    .ws('/api/sessions/ws/:room_id', {
      queryTokenAuth: true,
      params: t.Object({ room_id: IdParam() }),
      query: t.Object({ token: t.Optional(t.String()) }),
      async beforeHandle({ params, principal }) {
        await deps.roomService.admit(principal, params.room_id)
      },
      open(ws) {
        const raw = ws.raw as unknown as RawSocket
        const roomId = ws.data.params.room_id
        const limiter = createFrameRateLimiter({ framesPerSecond: deps.messagesPerSecond, burst: deps.messagesPerSecond * 2 })
        // Subscribing first means nothing published after the session is read can be missed.
        deps.hub.subscribe(raw, topics.couplesRoom(roomId))
        open.inc({ surface: 'couples' })
        const seat = (async () => {
          try {
            const seated = await deps.roomService.requireSeat(ws.data.principal.user, roomId)
            for (const event of await deps.sessionService.connect(seated, raw)) send(raw, event)
            return seated
          } catch (error) {
            deps.logger.error('couples socket open failed', { roomId, error })
            raw.close(CLOSE_CODES.INTERNAL, CLOSE_REASONS[CLOSE_CODES.INTERNAL])
            return null
          }
        })()
        connections.set(raw, { roomId, limiter, seat })
      },
      async message(ws, message) {
        const raw = ws.raw as unknown as RawSocket
        const conn = connections.get(raw)
        if (!conn) return
        const admitted = admitFrame(raw, message, {
          limiter: conn.limiter,
          maxFrameBytes: deps.maxFrameBytes,
          count: (outcome) => frames.inc({ surface: 'couples', outcome }),
        })
        if (!admitted) return
        const seat = await conn.seat
        if (!seat) return
        try {
          const frame = parseCouplesFrame(message as InboundFrame)
          if (frame.type === 'message') {
            const outcome = await deps.sessionService.send(seat, { content: frame.content, clientMsgId: frame.client_msg_id })
            if (outcome.duplicate) send(raw, outcome.event)
          } else {
            await deps.sessionService.respond(seat, { content: frame.content, sessionId: frame.session_id })
          }
          frames.inc({ surface: 'couples', outcome: frame.type })
        } catch (error) {
          frames.inc({ surface: 'couples', outcome: 'error' })
          if (isAppError(error) && (error.status < 500 || SHOWN_UPSTREAM.has(error.code))) return void sendError(raw, error.message)
          deps.logger.error('couples frame failed', { roomId: conn.roomId, error })
          sendError(raw, 'internal error')
        }
      },
      close(ws) {
        const raw = ws.raw as unknown as RawSocket
        deps.hub.unsubscribeAll(raw)
        if (!connections.delete(raw)) return
        open.dec({ surface: 'couples' })
      },
    })
}
