import { Elysia, t } from 'elysia'
import type { AuthService } from '../../modules/auth/auth-service'
import type { User, UserRepo } from '../../modules/auth/user-repo'
import { MESSENGER_KINDS, type MessageService } from '../../modules/messaging/message-service'
import { messageEvent } from '../../modules/messaging/messenger-views'
import type { RoomRepo } from '../../modules/messaging/room-repo'
import { parseMessengerFrame, type InboundFrame } from '../../modules/realtime/client-frames'
import { admitFrame, sendSocketError } from '../../modules/realtime/frame-gate'
import { safeSend } from '../../modules/realtime/connection'
import { createFrameRateLimiter, type FrameRateLimiter } from '../../modules/realtime/frame-rate-limiter'
import type { Hub, HubSocket } from '../../modules/realtime/hub'
import type { Presence } from '../../modules/realtime/presence'
import { MESSAGE_NOT_STORED, topics } from '../../modules/realtime/protocol'
import { createSocketGate, socketId } from '../../modules/realtime/socket-gate'
import { isAppError, forbidden, notFound } from '../../platform/errors'
import type { Logger } from '../../platform/logger'
import type { Metrics } from '../../platform/metrics'
import { authenticateRequest } from '../../platform/http/auth-plugin'

export interface MessengerSocketDeps {
  auth: AuthService
  cookieName: string
  rooms: RoomRepo
  users: UserRepo
  messageService: MessageService
  hub: Hub
  presence: Presence
  logger: Logger
  metrics: Metrics
  maxFrameBytes: number
  messagesPerSecond: number
}

interface Connection {
  user: User
  roomId: number
  topic: string
  limiter: FrameRateLimiter
}

type RawSocket = HubSocket & { send(data: string): number }

/** Who a socket was admitted for, decided at upgrade time. */
interface Admitted {
  user: User
  roomId: number
  since: number | undefined
}

/**
 * `ws /chat/ws/{room_id}?token=…[&since=…]`: authenticated and membership-checked at the
 * upgrade; a refused socket is accepted and closed at once with 4001 (no or bad token),
 * 4000 (malformed room id or `since`), 4004 (no such room) or 4003 (not a member), and
 * nothing else is sent on it (see `socket-gate.ts`). Each frame is rate-limited,
 * size-checked and parsed; a bad frame is answered with `{"type":"error","detail"}` and the
 * socket stays open. A message is stored (group commit) before it is broadcast to the room,
 * the sender included.
 */
export function messengerSocket(deps: MessengerSocketDeps) {
  const connections = new WeakMap<object, Connection>()
  const open = deps.metrics.gauge('huddle_ws_connections', 'Open WebSocket connections by surface')
  const frames = deps.metrics.counter('huddle_ws_frames_total', 'Inbound WebSocket frames by surface and outcome')

  const sendError = sendSocketError
  const gate = createSocketGate<Admitted>((error) => deps.logger.error('messenger socket admission failed', { error }))

  return new Elysia({ name: 'messenger-socket' })
    .ws('/chat/ws/:room_id', {
      params: t.Object({ room_id: t.String() }),
      query: t.Object({ token: t.Optional(t.String()), since: t.Optional(t.String()) }),
      // `upgrade` runs once per upgrade request (a `beforeHandle` would run twice).
      upgrade: ({ request, params, query }) =>
        gate.decide(request, async () => {
          // Authentication first: a caller without a valid token learns nothing about rooms.
          const { user } = await authenticateRequest(deps.auth, request, deps.cookieName, { queryToken: true })
          const roomId = socketId(params.room_id, 'room_id')
          const since = query.since === undefined ? undefined : socketId(query.since, 'since', 0)
          const room = await deps.rooms.findById(roomId)
          if (!room || !room.isActive || !MESSENGER_KINDS.includes(room.kind)) throw notFound('Room not found')
          if (!(await deps.rooms.membership(roomId, user.id, MESSENGER_KINDS))) throw forbidden('Not a member of this room')
          return { user, roomId, since }
        }),
      async open(ws) {
        const raw = ws.raw as unknown as RawSocket
        const admitted = gate.open(ws.data.request, raw)
        if (!admitted) return
        const { user, roomId, since } = admitted
        const topic = topics.messengerRoom(roomId)
        connections.set(raw, { user, roomId, topic, limiter: createFrameRateLimiter({ framesPerSecond: deps.messagesPerSecond, burst: deps.messagesPerSecond * 2 }) })
        open.inc({ surface: 'messenger' })
        deps.hub.subscribe(raw, topic)
        try {
          if (since !== undefined) {
            for (const v of await deps.messageService.since(roomId, since)) if (!v.message.isDeleted) safeSend(raw, JSON.stringify(messageEvent(v)))
          }
          const { firstForUser } = await deps.presence.connect(topic, String(user.id))
          if (firstForUser) await deps.hub.publish(topic, { type: 'user_status', user_id: user.id, user_name: user.name, status: 'online' })
        } catch (error) {
          deps.logger.warn('messenger socket open failed', { roomId, error })
        }
      },
      async message(ws, message) {
        const receivedAt = performance.now()
        const raw = ws.raw as unknown as RawSocket
        const conn = connections.get(raw)
        if (!conn) return
        const admitted = admitFrame(raw, message, {
          limiter: conn.limiter,
          maxFrameBytes: deps.maxFrameBytes,
          count: (outcome) => frames.inc({ surface: 'messenger', outcome }),
        })
        if (!admitted) return
        let kind: string | undefined
        try {
          const frame = parseMessengerFrame(message as InboundFrame)
          kind = frame.type
          if (frame.type === 'message') {
            await deps.messageService.send(
              conn.user,
              conn.roomId,
              { content: frame.content, messageType: frame.message_type, replyToId: frame.reply_to_message_id, clientMsgId: frame.client_msg_id },
              { memberChecked: true, receivedAt },
            )
          } else if (frame.type === 'typing') {
            await deps.messageService.typing(conn.user, conn.roomId, frame.is_typing, raw)
          } else {
            await deps.messageService.markRead(conn.user, conn.roomId, { memberChecked: true })
          }
          frames.inc({ surface: 'messenger', outcome: frame.type })
        } catch (error) {
          frames.inc({ surface: 'messenger', outcome: 'error' })
          if (isAppError(error) && error.status < 500) return void sendError(raw, error.message)
          deps.logger.error('messenger frame failed', { roomId: conn.roomId, error })
          // A send that failed past validation stored nothing (the batch is one transaction and
          // publishing after the commit never fails a send): say so, so the client resends.
          sendError(raw, kind === 'message' ? MESSAGE_NOT_STORED : 'internal error')
        }
      },
      async close(ws) {
        const raw = ws.raw as unknown as RawSocket
        const conn = connections.get(raw)
        deps.hub.unsubscribeAll(raw)
        if (!conn) return
        connections.delete(raw)
        open.dec({ surface: 'messenger' })
        try {
          const { lastForUser } = await deps.presence.disconnect(conn.topic, String(conn.user.id))
          if (lastForUser) {
            await deps.hub.publish(conn.topic, { type: 'user_status', user_id: conn.user.id, user_name: conn.user.name, status: 'offline' })
            await deps.users.touchLastSeen(conn.user.id)
          }
        } catch (error) {
          deps.logger.warn('messenger socket close failed', { roomId: conn.roomId, error })
        }
      },
    })
}
