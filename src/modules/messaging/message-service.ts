import { createLanedBatcher } from '../../platform/batcher'
import { forbidden, notFound, validation } from '../../platform/errors'
import type { Logger } from '../../platform/logger'
import type { Metrics } from '../../platform/metrics'
import type { Hub, HubSocket } from '../realtime/hub'
import { topics } from '../realtime/protocol'
import type { User } from '../auth/user-repo'
import type { FileStore } from './file-store'
import type { MessageRepo, MessageView, NewMessage } from './message-repo'
import type { RoomRepo } from './room-repo'
import { messageEvent, messageItem, seedTime } from './messenger-views'
import { checkUpload } from './upload-check'

export const MESSENGER_KINDS = ['direct', 'group']
const TEXT_TYPES = new Set(['text', 'voice', 'location'])
const FILE_TYPES = new Set(['image', 'file'])
export const MAX_CONTENT_CHARS = 10_000
const STAGE_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

export interface SendInput {
  content: string
  messageType: string
  replyToId?: number | null
  clientMsgId?: string | null
  file?: { bytes: Uint8Array; name?: string | null; declaredType?: string | null }
}

export interface MessageServiceDeps {
  rooms: RoomRepo
  messages: MessageRepo
  hub: Hub
  files: FileStore
  uploadMaxBytes: number
  metrics: Metrics
  logger: Logger
  /**
   * Group commits in flight at once (1 unless given). A room's messages always share a lane,
   * so within a room ids are committed in order and a failed batch is retried before the
   * room's next one; rooms in different lanes are stored concurrently.
   */
  commitLanes?: number
  clock?: () => Date
}

/**
 * Messenger messages: every action checks that the caller is an active member of the room
 * (404 otherwise, so a stranger cannot tell a room exists), writes, and only after the write
 * has committed publishes the event to the room's topic. Sends go through a group-commit
 * batcher: concurrent sends share one INSERT, and each sender is answered with its own row
 * only once that INSERT has committed.
 */
export function createMessageService(deps: MessageServiceDeps) {
  const { rooms, messages, hub } = deps
  const now = deps.clock ?? (() => new Date())
  const batchSize = deps.metrics.histogram('huddle_message_batch_size', 'Messages per group-commit INSERT', [1, 2, 4, 8, 16, 32, 64, 128, 256])
  const sent = deps.metrics.counter('huddle_messages_total', 'Messages stored, by surface').with({ surface: 'messenger' })
  // Where a send waits, stage by stage (bench:fanout --trace reads it): `accept` from the
  // frame's arrival (or the call) to the batcher, `queue` in the batcher until its INSERT
  // starts, `insert` that INSERT's round trip, `resume` until the sender's code runs again,
  // `publish` the local fan-out and the bus.
  const stageSeconds = deps.metrics.histogram('huddle_message_stage_seconds', 'Time a stored message spends in each stage of a send', STAGE_BUCKETS)
  const stages = Object.fromEntries((['accept', 'queue', 'insert', 'resume', 'publish'] as const).map((stage) => [stage, stageSeconds.with({ stage })]))
  const observeStage = (stage: 'accept' | 'queue' | 'insert' | 'resume' | 'publish', fromMs: number, toMs: number) => stages[stage]!.observe((toMs - fromMs) / 1000)
  const batcher = createLanedBatcher({
    lanes: deps.commitLanes ?? 1,
    laneOf: (item: NewMessage) => item.roomId,
    flush: async (items: NewMessage[]) => {
      batchSize.observe(items.length)
      const startedAt = performance.now()
      const results = await messages.insertMany(items)
      const endedAt = performance.now()
      return results.map((r) => ({ ...r, startedAt, endedAt }))
    },
  })

  // The write has committed when this runs, so a bus failure (or a hub already closed by a
  // graceful shutdown) must not turn a stored message into an error: sockets that miss the
  // event recover it with `?since=`.
  const publish: Hub['publish'] = async (topic, event, options) => {
    try {
      await hub.publish(topic, event, options)
    } catch (error) {
      deps.logger.warn('event not published after commit', { topic, type: event.type, error })
    }
  }

  async function requireMember(roomId: number, userId: number) {
    const found = await rooms.membership(roomId, userId, MESSENGER_KINDS)
    if (!found) throw notFound('Room not found')
    return found
  }

  /** The same check for the hot paths that need no row back (a prepared existence test). */
  async function checkMember(roomId: number, userId: number) {
    if (!(await rooms.isMember(roomId, userId, MESSENGER_KINDS))) throw notFound('Room not found')
  }

  function validate(input: SendInput) {
    const type = input.messageType
    if (!TEXT_TYPES.has(type) && !FILE_TYPES.has(type)) throw validation('message_type must be one of text, image, file, voice, location')
    if (input.content.length > MAX_CONTENT_CHARS) throw validation(`message_content must be at most ${MAX_CONTENT_CHARS} characters`)
    if (FILE_TYPES.has(type) && !input.file) throw validation(`a ${type} message needs a file (multipart/form-data field "file")`)
    if (!input.file && input.content.trim() === '') throw validation('message_content must not be empty')
    if (input.clientMsgId !== undefined && input.clientMsgId !== null && (input.clientMsgId.length === 0 || input.clientMsgId.length > 100))
      throw validation('client_msg_id must be 1 to 100 characters')
  }

  /** Stores a message from a member and broadcasts it; a repeated client_msg_id returns the first. */
  async function send(user: User, roomId: number, input: SendInput, options: { memberChecked?: boolean; receivedAt?: number } = {}) {
    const receivedAt = options.receivedAt ?? performance.now()
    validate(input)
    if (!options.memberChecked) await checkMember(roomId, user.id)
    if (input.replyToId != null && !(await messages.exists(roomId, input.replyToId)))
      throw validation('reply_to_message_id must name a message in this room')
    let fileRow: MessageView['file'] = null
    if (input.file) {
      const checked = checkUpload(input.file.bytes, { ...input.file, messageType: input.messageType }, deps.uploadMaxBytes)
      const publicId = crypto.randomUUID()
      const storageKey = `${new Date().toISOString().slice(0, 7)}/${publicId}`
      await deps.files.put(storageKey, input.file.bytes)
      fileRow = await messages.insertFile({
        publicId,
        uploaderId: user.id,
        roomId,
        storageKey,
        originalName: checked.name,
        contentType: checked.contentType,
        size: input.file.bytes.byteLength,
        sha256: new Bun.CryptoHasher('sha256').update(input.file.bytes).digest('hex'),
      })
    }
    const submittedAt = performance.now()
    const { message, duplicate, startedAt, endedAt } = await batcher.submit({
      roomId,
      senderId: user.id,
      role: 'user',
      messageType: input.messageType,
      content: input.content,
      replyToId: input.replyToId ?? null,
      clientMsgId: input.clientMsgId ?? null,
      fileId: fileRow?.id ?? null,
    })
    const resumedAt = performance.now()
    // A resend answers with the first message, including the file the first send stored.
    if (duplicate) fileRow = message.fileId ? ((await messages.filesByIds([message.fileId]))[0] ?? null) : null
    const view: MessageView = { message, senderName: user.name, file: fileRow }
    if (!duplicate) {
      sent.inc()
      await publish(topics.messengerRoom(roomId), messageEvent(view))
      observeStage('accept', receivedAt, submittedAt)
      observeStage('queue', submittedAt, startedAt)
      observeStage('insert', startedAt, endedAt)
      observeStage('resume', endedAt, resumedAt)
      observeStage('publish', resumedAt, performance.now())
    }
    return { view, duplicate }
  }

  return {
    requireMember,
    send,
    drain: () => batcher.drain(),

    async list(user: User, roomId: number, page: number, size: number) {
      await checkMember(roomId, user.id)
      const { items, total } = await messages.itemPage(roomId, page, size)
      return { messages: items, total_count: total, has_more: page * size < total }
    },

    /** What a reconnecting client missed after `afterId`, oldest first, at most `limit`. */
    since: (roomId: number, afterId: number, limit = 500) => messages.since(roomId, afterId, limit),

    async edit(user: User, roomId: number, messageId: number, content: string) {
      await requireMember(roomId, user.id)
      if (content.trim() === '') throw validation('message_content must not be empty')
      if (content.length > MAX_CONTENT_CHARS) throw validation(`message_content must be at most ${MAX_CONTENT_CHARS} characters`)
      const current = await messages.get(roomId, messageId)
      if (!current || current.message.isDeleted) throw notFound('Message not found')
      if (current.message.senderId !== user.id) throw forbidden('Only the sender can edit a message')
      const updated = await messages.edit(messageId, content, now())
      if (!updated) throw notFound('Message not found')
      const item = messageItem({ ...current, message: updated })
      await publish(topics.messengerRoom(roomId), { type: 'message_updated', ...item })
      return item
    },

    async remove(user: User, roomId: number, messageId: number) {
      const { room } = await requireMember(roomId, user.id)
      const current = await messages.get(roomId, messageId)
      if (!current || current.message.isDeleted) throw notFound('Message not found')
      if (current.message.senderId !== user.id && room.createdBy !== user.id)
        throw forbidden('Only the sender or the room creator can delete a message')
      if (!(await messages.softDelete(messageId, now()))) throw notFound('Message not found')
      await publish(topics.messengerRoom(roomId), { type: 'message_deleted', message_id: messageId })
    },

    async markRead(user: User, roomId: number, options: { memberChecked?: boolean } = {}) {
      if (!options.memberChecked) await requireMember(roomId, user.id)
      const at = now()
      await rooms.markRead(roomId, user.id, at)
      const lastReadAt = seedTime(at)!
      await publish(topics.messengerRoom(roomId), { type: 'message_read', room_id: roomId, user_id: user.id, last_read_at: lastReadAt })
      return { room_id: roomId, last_read_at: lastReadAt }
    },

    async search(user: User, roomId: number, query: string, page: number, size: number) {
      await requireMember(roomId, user.id)
      const q = query.trim()
      if (!q) throw validation('query must not be empty')
      const { items, total } = await messages.search(roomId, q, page, size)
      return {
        messages: items.map((v) => ({
          message_id: v.message.id,
          sender_name: v.senderName ?? '',
          message_content: v.message.content,
          created_at: seedTime(v.message.createdAt)!,
          highlight: highlightOf(v.message.content, q),
        })),
        total_count: total,
        has_more: page * size < total,
      }
    },

    /** Typing is relayed to the others in the room (never back to `from`, the typing socket), never stored. */
    typing: (user: User, roomId: number, isTyping: boolean, from?: HubSocket) =>
      publish(topics.messengerRoom(roomId), { type: 'typing', user_id: user.id, user_name: user.name, is_typing: isTyping }, { except: from }),
  }
}

/** The word of `content` that contains `query` (seed: "안녕" highlights "안녕하세요"). */
export function highlightOf(content: string, query: string): string {
  const at = content.toLowerCase().indexOf(query.toLowerCase())
  if (at < 0) return query
  const isBoundary = (c: string | undefined) => c === undefined || /[\s.,!?;:()[\]{}"'“”‘’…~·]/.test(c)
  let start = at
  let end = at + query.length
  while (start > 0 && !isBoundary(content[start - 1])) start--
  while (end < content.length && !isBoundary(content[end])) end++
  return content.slice(start, end)
}

export type MessageService = ReturnType<typeof createMessageService>
