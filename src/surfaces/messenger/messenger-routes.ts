import { Elysia, t } from 'elysia'
import type { AuthService } from '../../modules/auth/auth-service'
import type { FileStore } from '../../modules/messaging/file-store'
import { contentDisposition } from '../../modules/messaging/file-store'
import type { MessageRepo } from '../../modules/messaging/message-repo'
import type { MessageService } from '../../modules/messaging/message-service'
import { messageItem } from '../../modules/messaging/messenger-views'
import type { RoomRepo } from '../../modules/messaging/room-repo'
import type { RoomService } from '../../modules/messaging/room-service'
import { MESSENGER_KINDS } from '../../modules/messaging/message-service'
import { notFound, validation } from '../../platform/errors'
import { authPlugin, authenticateRequest } from '../../platform/http/auth-plugin'
import { detailShape } from '../../platform/http/error-shapes'
import { BIGINT_ID_MAX, IdField, IdParam, IntField, PageParam, SizeParam } from '../../platform/http/request-schemas'

/** Every messenger path renders errors as `{detail}` with 422 for validation. */
export const messengerErrorShape = { prefixes: ['/chat'], shape: detailShape }

const RoomId = t.Object({ room_id: IdParam() })
const RoomMessageId = t.Object({ room_id: IdParam(), message_id: IdParam() })
const Paging = (maxSize: number) => t.Object({ page: t.Optional(PageParam()), size: t.Optional(SizeParam(maxSize)) })

const MessageItem = t.Object({
  message_id: t.Number(), room_id: t.Number(), sender_id: t.Number(), sender_name: t.String(), message_content: t.String(),
  message_type: t.String(), file_url: t.Nullable(t.String()), file_name: t.Nullable(t.String()), file_size: t.Nullable(t.Number()),
  reply_to_message_id: t.Nullable(t.Number()), is_edited: t.Boolean(), is_deleted: t.Boolean(), edited_at: t.Nullable(t.String()),
  created_at: t.String(), updated_at: t.String(),
})
const RoomListItem = t.Object({
  room_id: t.Number(), room_name: t.String(), room_type: t.String(), created_by: t.Number(), is_active: t.Boolean(),
  created_at: t.String(), updated_at: t.String(), participant_count: t.Number(), last_message: t.Nullable(t.String()), unread_count: t.Number(),
})
const SettingsOut = t.Object({
  room_id: t.Number(), notification_enabled: t.Boolean(), message_retention_days: t.Number(), auto_delete_enabled: t.Boolean(), read_receipt_enabled: t.Boolean(),
})

export interface MessengerRoutesDeps {
  auth: AuthService
  cookieName: string
  roomsService: RoomService
  messageService: MessageService
  rooms: RoomRepo
  messages: MessageRepo
  files: FileStore
}

/** Seed 003's REST contract under `/chat/rooms/…`, plus the authorized file download. */
export function messengerRoutes(deps: MessengerRoutesDeps) {
  const { roomsService, messageService } = deps
  return new Elysia({ name: 'messenger-routes', detail: { tags: ['messenger'] } })
    .use(authPlugin(deps.auth, deps.cookieName))
    .get('/chat/rooms', ({ principal }) => roomsService.list(principal.user), {
      auth: true,
      response: { 200: t.Object({ rooms: t.Array(RoomListItem), total_count: t.Number() }) },
      detail: { summary: 'Rooms the caller is in, newest activity first' },
    })
    .post(
      '/chat/rooms',
      async ({ principal, body, set }) => {
        const { room } = await roomsService.create(principal.user, {
          roomName: body.room_name,
          roomType: body.room_type,
          roomDescription: body.room_description,
          participantIds: body.participant_ids,
          maxParticipants: body.max_participants,
        })
        set.status = 201
        return roomsService.summary(principal.user, room.id)
      },
      {
        auth: true,
        body: t.Object({
          room_name: t.Optional(t.Nullable(t.String({ maxLength: 100 }))),
          room_type: t.Union([t.Literal('direct'), t.Literal('group')]),
          room_description: t.Optional(t.Nullable(t.String({ maxLength: 1000 }))),
          participant_ids: t.Array(IdField('participant_ids'), { minItems: 1, maxItems: 1000 }),
          max_participants: t.Optional(IntField({ minimum: 2, maximum: 1000, description: 'max_participants' })),
        }),
        response: { 201: RoomListItem },
        detail: { summary: 'Create a room (a direct room between the same two people is reused)' },
      },
    )
    .get('/chat/rooms/:room_id', ({ principal, params }) => roomsService.get(principal.user, params.room_id), {
      auth: true,
      params: RoomId,
      detail: { summary: 'Room details' },
    })
    .get('/chat/rooms/:room_id/participants', ({ principal, params }) => roomsService.participants(principal.user, params.room_id), {
      auth: true,
      params: RoomId,
      detail: { summary: 'Room participants' },
    })
    .get(
      '/chat/rooms/:room_id/messages',
      ({ principal, params, query }) => messageService.list(principal.user, params.room_id, query.page ?? 1, query.size ?? 50),
      {
        auth: true,
        params: RoomId,
        query: Paging(200),
        response: { 200: t.Object({ messages: t.Array(MessageItem), total_count: t.Number(), has_more: t.Boolean() }) },
        detail: { summary: 'Messages, page 1 being the newest (oldest first within a page)' },
      },
    )
    .post(
      '/chat/rooms/:room_id/messages',
      async ({ principal, params, body, set }) => {
        const file = body.file
        const { view } = await messageService.send(principal.user, params.room_id, {
          content: body.message_content ?? '',
          messageType: body.message_type ?? (file ? 'file' : 'text'),
          replyToId: body.reply_to_message_id ?? null,
          clientMsgId: body.client_msg_id ?? null,
          file: file ? { bytes: new Uint8Array(await file.arrayBuffer()), name: file.name, declaredType: file.type } : undefined,
        })
        set.status = 201
        return messageItem(view)
      },
      {
        auth: true,
        params: RoomId,
        body: t.Object({
          message_content: t.Optional(t.String()),
          message_type: t.Optional(t.String()),
          reply_to_message_id: t.Optional(IntField({ minimum: 1, maximum: BIGINT_ID_MAX, description: 'reply_to_message_id', nullable: true })),
          client_msg_id: t.Optional(t.String()),
          file: t.Optional(t.File()),
        }),
        response: { 201: MessageItem },
        detail: { summary: 'Send a message: JSON, or multipart/form-data with a file' },
      },
    )
    .put(
      '/chat/rooms/:room_id/messages/:message_id',
      ({ principal, params, body }) => messageService.edit(principal.user, params.room_id, params.message_id, body.message_content),
      {
        auth: true,
        params: RoomMessageId,
        body: t.Object({ message_content: t.String() }),
        response: { 200: MessageItem },
        detail: { summary: 'Edit your own message' },
      },
    )
    .delete(
      '/chat/rooms/:room_id/messages/:message_id',
      async ({ principal, params, set }) => {
        await messageService.remove(principal.user, params.room_id, params.message_id)
        set.status = 204
      },
      { auth: true, params: RoomMessageId, detail: { summary: 'Delete a message (sender or room creator)' } },
    )
    .post('/chat/rooms/:room_id/read', ({ principal, params }) => messageService.markRead(principal.user, params.room_id), {
      auth: true,
      params: RoomId,
      response: { 200: t.Object({ room_id: t.Number(), last_read_at: t.String() }) },
      detail: { summary: 'Mark the room read' },
    })
    .get(
      '/chat/rooms/:room_id/search',
      ({ principal, params, query }) => messageService.search(principal.user, params.room_id, query.query, query.page ?? 1, query.size ?? 20),
      {
        auth: true,
        params: RoomId,
        query: t.Object({ query: t.String({ minLength: 1, maxLength: 200 }), page: t.Optional(PageParam()), size: t.Optional(SizeParam(100)) }),
        detail: { summary: 'Search the room (substring, Korean included)' },
      },
    )
    .get('/chat/rooms/:room_id/settings', ({ principal, params }) => roomsService.settings(principal.user, params.room_id), {
      auth: true,
      params: RoomId,
      response: { 200: SettingsOut },
      detail: { summary: 'Room settings' },
    })
    .put(
      '/chat/rooms/:room_id/settings',
      ({ principal, params, body }) => {
        if (Object.keys(body).length === 0) throw validation('no setting to change')
        return roomsService.updateSettings(principal.user, params.room_id, body)
      },
      {
        auth: true,
        params: RoomId,
        body: t.Object(
          {
            notification_enabled: t.Optional(t.Boolean()),
            message_retention_days: t.Optional(IntField({ minimum: 1, maximum: 3650, description: 'message_retention_days' })),
            auto_delete_enabled: t.Optional(t.Boolean()),
            read_receipt_enabled: t.Optional(t.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 200: SettingsOut },
        detail: { summary: 'Update settings (room-wide ones: creator only)' },
      },
    )
    .get('/chat/rooms/:room_id/online-status', ({ principal, params }) => roomsService.onlineStatus(principal.user, params.room_id), {
      auth: true,
      params: RoomId,
      detail: { summary: 'Who in the room is online, and when each was last seen' },
    })
    .get(
      '/chat/files/:file_id',
      async ({ request, params }) => {
        // Images in web pages cannot send headers: the Bearer header, the cookie or ?token= all work.
        const principal = await authenticateRequest(deps.auth, request, deps.cookieName, { queryToken: true })
        const file = await deps.messages.fileByPublicId(params.file_id)
        if (!file?.roomId || !(await deps.rooms.membership(file.roomId, principal.user.id, MESSENGER_KINDS))) throw notFound('File not found')
        const blob = await deps.files.get(file.storageKey)
        if (!blob) throw notFound('File not found')
        const inline = file.contentType.startsWith('image/') || file.contentType === 'application/pdf'
        return new Response(blob, {
          headers: {
            'content-type': file.contentType,
            'content-length': String(file.size),
            'content-disposition': contentDisposition(inline ? 'inline' : 'attachment', file.originalName),
            'x-content-type-options': 'nosniff',
            'cache-control': 'private, max-age=3600',
            'content-security-policy': "default-src 'none'; sandbox",
          },
        })
      },
      { params: t.Object({ file_id: t.String({ format: 'uuid' }) }), detail: { summary: 'Download a file (members only)' } },
    )
}
