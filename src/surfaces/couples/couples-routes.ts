import { Elysia, t } from 'elysia'
import type { AuthService } from '../../modules/auth/auth-service'
import type { CoupleRoomService } from '../../modules/couples/couple-room-service'
import { authPlugin } from '../../platform/http/auth-plugin'
import { detailShape } from '../../platform/http/error-shapes'
import { IdField, IdParam, PageParam, SizeParam } from '../../platform/http/request-schemas'

/** Couples paths render errors as `{detail}` with 422 for validation (seed 001's FastAPI). */
export const couplesErrorShape = { prefixes: ['/api/rooms', '/api/sessions'], shape: detailShape }

/** What the couples REST routes need. */
export interface CouplesRoutesDeps {
  auth: AuthService
  cookieName: string
  roomService: CoupleRoomService
}

const RoomId = t.Object({ room_id: IdParam() })
const PartnerId = t.Union([t.String(), t.Number(), t.Null()])
const RoomItem = t.Object({ room_id: t.Number(), room_name: t.String(), couple_id: t.Nullable(t.Number()), created_at: t.String() })
const MessageItem = t.Object({
  message_id: t.Number(),
  session_id: t.Nullable(t.Number()),
  sender_id: PartnerId,
  speaker_type: t.Union([t.Literal('A'), t.Literal('B'), t.Literal('AI')]),
  content: t.String(),
  timestamp: t.String(),
})
const SessionItem = t.Object({
  session_id: t.Number(),
  topic: t.Nullable(t.String()),
  status: t.String(),
  started_at: t.String(),
  ended_at: t.Nullable(t.String()),
  summary: t.Nullable(t.String()),
  user_a_id: PartnerId,
  user_b_id: PartnerId,
  turn_count: t.Number(),
  pending_question: t.Nullable(t.String()),
})

/** Seed 001's REST contract: couple rooms, plus history for clients that reconnect. */
export function couplesRoutes(deps: CouplesRoutesDeps) {
  const { roomService } = deps
  return new Elysia({ name: 'couples-routes', detail: { tags: ['couples'] } })
    .use(authPlugin(deps.auth, deps.cookieName))
    .post(
      '/api/rooms',
      async ({ principal, body, set }) => {
        const room = await roomService.create(principal, { roomName: body.room_name, coupleId: body.couple_id })
        set.status = 201
        return room
      },
      {
        auth: true,
        body: t.Object({
          room_name: t.String({ minLength: 1, maxLength: 100 }),
          couple_id: IdField('couple_id'),
        }),
        response: { 201: RoomItem },
        detail: { summary: 'Create a couple room; the caller is speaker A (403 when the token names another couple)' },
      },
    )
    .get('/api/rooms', ({ principal }) => roomService.list(principal), {
      auth: true,
      response: { 200: t.Array(RoomItem) },
      detail: { summary: "The caller's couple rooms, and their couple's rooms when the token names the couple" },
    })
    .get(
      '/api/rooms/:room_id/messages',
      ({ principal, params, query }) => roomService.history(principal.user, params.room_id, query.page ?? 1, query.size ?? 50),
      {
        auth: true,
        params: RoomId,
        query: t.Object({
          page: t.Optional(PageParam()),
          size: t.Optional(SizeParam(200)),
        }),
        response: { 200: t.Object({ messages: t.Array(MessageItem), total_count: t.Number(), has_more: t.Boolean() }) },
        detail: { summary: 'Messages of every session, page 1 the newest (oldest first within a page); partners only' },
      },
    )
    .post(
      '/api/rooms/:room_id/invite',
      async ({ principal, params, set }) => {
        const invitation = await roomService.invite(principal.user, params.room_id)
        set.status = 201
        return invitation
      },
      {
        auth: true,
        params: RoomId,
        response: { 201: t.Object({ invite_code: t.String(), expires_at: t.String() }) },
        detail: { summary: "Seat A invites a partner: a single-use code for the room's free seat, valid until expires_at" },
      },
    )
    .post('/api/rooms/:room_id/join', ({ principal, params, body }) => roomService.join(principal, params.room_id, body?.invite_code), {
      auth: true,
      params: RoomId,
      body: t.Optional(t.Object({ invite_code: t.Optional(t.String({ minLength: 1, maxLength: 200 })) })),
      response: { 200: RoomItem },
      detail: {
        summary: "Take the room's free seat with an invitation (or the token's matching couple claim); 403 otherwise, idempotent for the seated",
      },
    })
    .get('/api/rooms/:room_id/sessions', ({ principal, params }) => roomService.sessions(principal.user, params.room_id), {
      auth: true,
      params: RoomId,
      response: { 200: t.Object({ sessions: t.Array(SessionItem) }) },
      detail: { summary: 'Sessions of the room, oldest first, with the summaries of closed ones; partners only' },
    })
}
