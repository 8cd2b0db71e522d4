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
import { createSocketGate, socketId } from '../../modules/realtime/socket-gate'
import { isAppError, type AppError } from '../../platform/errors'
import { authenticateRequest } from '../../platform/http/auth-plugin'
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
 * `ws /api/sessions/ws/{room_id}?token=…[&invite=…]` (seed 001): the token (a Spring JWT, or
 * any token huddle accepts) is checked and the caller seated at the upgrade (by their couple
 * claim or the invitation, see the room service). A refused socket is accepted and closed at
 * once with 4001 (no or bad token), 4000 (malformed room id), 4004 (no such room) or 4003
 * (no seat for the caller), and nothing else is sent on it (`socket-gate.ts`). On open the
 * socket gets the room's current session. Each frame is rate-limited, size-checked and parsed; a
 * bad frame is answered with `{"type":"error","detail"}`, and the socket and session stay.
 */
export function couplesSocket(deps: CouplesSocketDeps) {
  const connections = new WeakMap<object, Connection>()
  const open = deps.metrics.gauge('huddle_ws_connections', 'Open WebSocket connections by surface')
  const frames = deps.metrics.counter('huddle_ws_frames_total', 'Inbound WebSocket frames by surface and outcome')

  const send = (raw: RawSocket, event: unknown) => safeSend(raw, JSON.stringify(event))
  const sendError = (raw: RawSocket, detail: string) => send(raw, { type: 'error', detail })
  const gate = createSocketGate<Seat>((error) => deps.logger.error('couples socket admission failed', { error }))

  return new Elysia({ name: 'couples-socket' })
    .ws('/api/sessions/ws/:room_id', {
      params: t.Object({ room_id: t.String() }),
      query: t.Object({ token: t.Optional(t.String()), invite: t.Optional(t.String()) }),
      // `upgrade` runs once per upgrade request (a `beforeHandle` would run twice).
      upgrade: ({ request, params, query }) =>
        gate.decide(request, async () => {
          // Authentication first: a caller without a valid token learns nothing about rooms.
          const principal = await authenticateRequest(deps.auth, request, deps.cookieName, { queryToken: true })
          return deps.roomService.admit(principal, socketId(params.room_id, 'room_id'), query.invite)
        }),
      open(ws) {
        const raw = ws.raw as unknown as RawSocket
        const admitted = gate.open(ws.data.request, raw)
        if (!admitted) return
        const roomId = admitted.room.id
        const limiter = createFrameRateLimiter({ framesPerSecond: deps.messagesPerSecond, burst: deps.messagesPerSecond * 2 })
        // Subscribing first means nothing published after the session is read can be missed.
        deps.hub.subscribe(raw, topics.couplesRoom(roomId))
        open.inc({ surface: 'couples' })
        const seat = (async () => {
          try {
            for (const event of await deps.sessionService.connect(admitted, raw)) send(raw, event)
            return admitted
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
          if (isAppError(error) && error.status < 500) return void sendError(raw, error.message)
          deps.logger.error('couples frame failed', { roomId: conn.roomId, error })
          sendError(raw, isAppError(error) && SHOWN_UPSTREAM.has(error.code) ? error.message : 'internal error')
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
