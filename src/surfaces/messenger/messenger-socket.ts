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
import { topics } from '../../modules/realtime/protocol'
import { isAppError, forbidden } from '../../platform/errors'
import type { Logger } from '../../platform/logger'
import type { Metrics } from '../../platform/metrics'
import { authPlugin } from '../../platform/http/auth-plugin'
import { BIGINT_ID_MAX, IdParam, IntParam } from '../../platform/http/request-schemas'

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

/**
 * `ws /chat/ws/{room_id}?token=…[&since=…]`: authenticated and membership-checked before
 * the upgrade (401/403 answered as HTTP, no socket opened). Each frame is rate-limited,
 * size-checked and parsed; a bad frame is answered with `{"type":"error","detail"}` and the
 * socket stays open. A message is stored (group commit) before it is broadcast to the room,
 * the sender included.
 */
export function messengerSocket(deps: MessengerSocketDeps) {
  const connections = new WeakMap<object, Connection>()
  const open = deps.metrics.gauge('huddle_ws_connections', 'Open WebSocket connections by surface')
  const frames = deps.metrics.counter('huddle_ws_frames_total', 'Inbound WebSocket frames by surface and outcome')

  const sendError = sendSocketError

  return new Elysia({ name: 'messenger-socket' })
    .use(authPlugin(deps.auth, deps.cookieName))
    .ws('/chat/ws/:room_id', {
      queryTokenAuth: true,
      params: t.Object({ room_id: IdParam() }),
      query: t.Object({ token: t.Optional(t.String()), since: t.Optional(IntParam({ minimum: 0, maximum: BIGINT_ID_MAX, description: 'since' })) }),
      async beforeHandle({ params, principal }) {
        if (!(await deps.rooms.membership(params.room_id, principal.user.id, MESSENGER_KINDS))) throw forbidden('Not a member of this room')
      },
      async open(ws) {
        const raw = ws.raw as unknown as RawSocket
        const roomId = ws.data.params.room_id
        const user = ws.data.principal.user
        const topic = topics.messengerRoom(roomId)
        connections.set(raw, { user, roomId, topic, limiter: createFrameRateLimiter({ framesPerSecond: deps.messagesPerSecond, burst: deps.messagesPerSecond * 2 }) })
        open.inc({ surface: 'messenger' })
        deps.hub.subscribe(raw, topic)
        try {
          const since = ws.data.query.since
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
        const raw = ws.raw as unknown as RawSocket
        const conn = connections.get(raw)
        if (!conn) return
        const admitted = admitFrame(raw, message, {
          limiter: conn.limiter,
          maxFrameBytes: deps.maxFrameBytes,
          count: (outcome) => frames.inc({ surface: 'messenger', outcome }),
        })
        if (!admitted) return
        try {
          const frame = parseMessengerFrame(message as InboundFrame)
          if (frame.type === 'message') {
            await deps.messageService.send(
              conn.user,
              conn.roomId,
              { content: frame.content, messageType: frame.message_type, replyToId: frame.reply_to_message_id, clientMsgId: frame.client_msg_id },
              { memberChecked: true },
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
          sendError(raw, 'internal error')
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
