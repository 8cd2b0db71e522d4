import { sql, type AnyColumn, type SQL } from 'drizzle-orm'
import type { MessengerMessageEvent, MessengerMessageItem, MessengerMessageType } from '../realtime/protocol'
import type { MessageView } from './message-repo'

/** Seed 003's timestamps: `2025-09-02T11:03:17` (UTC, seconds, no zone suffix). */
export const seedTime = (d: Date | null | undefined): string | null => (d ? d.toISOString().slice(0, 19) : null)

/**
 * `seedTime` done by the database, for reads that answer rows as they come: the same text
 * (UTC, truncated to the second), without a Date per value on the server.
 */
export const seedTimeSql = <T extends string | null = string>(column: AnyColumn | SQL): SQL<T> =>
  sql<T>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')`

/** Where a stored file is downloaded from (membership is checked there). */
export const fileUrl = (publicId: string) => `/chat/files/${publicId}`

/** A stored message in the REST list-item shape of seed 003. */
export function messageItem(v: MessageView): MessengerMessageItem {
  const m = v.message
  return {
    message_id: m.id,
    room_id: m.roomId,
    sender_id: m.senderId ?? 0,
    sender_name: v.senderName ?? '',
    message_content: m.isDeleted ? '' : m.content,
    message_type: m.messageType as MessengerMessageType,
    file_url: v.file && !m.isDeleted ? fileUrl(v.file.publicId) : null,
    file_name: v.file && !m.isDeleted ? v.file.originalName : null,
    file_size: v.file && !m.isDeleted ? v.file.size : null,
    reply_to_message_id: m.replyToId ?? null,
    is_edited: m.isEdited,
    is_deleted: m.isDeleted,
    edited_at: seedTime(m.editedAt),
    created_at: seedTime(m.createdAt)!,
    updated_at: seedTime(m.updatedAt)!,
  }
}

/** The `message` socket event of seed 003 for a stored message. */
export function messageEvent(v: MessageView): MessengerMessageEvent {
  const m = v.message
  const event: MessengerMessageEvent = {
    type: 'message',
    message_id: m.id,
    room_id: m.roomId,
    sender_id: m.senderId ?? 0,
    sender_name: v.senderName ?? '',
    content: m.isDeleted ? '' : m.content,
    message_type: m.messageType as MessengerMessageType,
    timestamp: seedTime(m.createdAt)!,
    reply_to_message_id: m.replyToId ?? null,
  }
  if (m.clientMsgId) event.client_msg_id = m.clientMsgId
  if (v.file && !m.isDeleted) {
    event.file_url = fileUrl(v.file.publicId)
    event.file_name = v.file.originalName
    event.file_size = v.file.size
  }
  return event
}
