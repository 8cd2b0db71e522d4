/**
 * Targeted mutations of the code that guards users and data. Each one is a plausible bug
 * (a dropped owner filter, an off-by-one page bound, a swapped window mode, a lost
 * transaction): `bun run test:mutations` applies them one at a time to a copy of the repo
 * and expects the listed tests to fail. Every `search` must occur exactly once in its file;
 * when code moves, the runner names the mutation instead of testing nothing.
 */
export interface Mutation {
  id: string
  /** The bug this mutation plants, in words. */
  bug: string
  file: string
  /** Exact search → replacement pairs, all applied to `file`. */
  edits: [search: string, replacement: string][]
  /** The test files that must catch it (only these run). */
  tests: string[]
}

const MESSENGER = ['src/surfaces/messenger/messenger-routes.test.ts']
const PAGING_RACES = ['test/e2e/paging-and-races.test.ts']
const MESSENGER_SOCKET = ['test/e2e/messenger-socket.test.ts']
const DOCS = ['test/e2e/docs-ingest-chat.test.ts']
const RATE = ['test/e2e/docs-rate-limits.test.ts']
const STORE = ['src/modules/ratelimit/store.test.ts']

export const MUTATIONS: Mutation[] = [
  // Authorization checks and owner filters.
  {
    id: 'room-membership-check',
    bug: 'a non-member may read and write a messenger room',
    file: 'src/modules/messaging/message-service.ts',
    edits: [["    if (!found) throw notFound('Room not found')\n    return found", '    return found!']],
    tests: MESSENGER,
  },
  {
    id: 'membership-ignores-user',
    bug: 'membership is found for any user of the room',
    file: 'src/modules/messaging/room-repo.ts',
    edits: [['and(eq(roomMembers.roomId, roomId), eq(roomMembers.userId, userId), eq(roomMembers.isActive, true), inArray(rooms.kind, kinds))', 'and(eq(roomMembers.roomId, roomId), eq(roomMembers.isActive, true), inArray(rooms.kind, kinds))']],
    tests: MESSENGER,
  },
  {
    id: 'member-check-ignores-user',
    bug: 'the prepared membership check of the message list and send passes for any user of the room',
    file: 'src/modules/messaging/room-repo.ts',
    edits: [["          eq(roomMembers.userId, sql.placeholder('userId')),\n", '']],
    tests: MESSENGER,
  },
  {
    id: 'member-check-skipped',
    bug: 'a non-member may list and send messages in a messenger room',
    file: 'src/modules/messaging/message-service.ts',
    edits: [["    if (!(await rooms.isMember(roomId, userId, MESSENGER_KINDS))) throw notFound('Room not found')", '    void userId']],
    tests: MESSENGER,
  },
  {
    id: 'message-edit-by-anyone',
    bug: 'any member may edit another member’s message',
    file: 'src/modules/messaging/message-service.ts',
    edits: [["      if (current.message.senderId !== user.id) throw forbidden('Only the sender can edit a message')\n", '']],
    tests: MESSENGER,
  },
  {
    id: 'message-delete-by-anyone',
    bug: 'any member may delete another member’s message',
    file: 'src/modules/messaging/message-service.ts',
    edits: [['      if (current.message.senderId !== user.id && room.createdBy !== user.id)\n', '      if (false)\n']],
    tests: MESSENGER,
  },
  {
    id: 'documents-list-owner',
    bug: 'the document list shows every user’s documents',
    file: 'src/modules/rag/document-repo.ts',
    edits: [['        .where(eq(documents.ownerId, ownerId))\n        .orderBy(desc(documents.createdAt), desc(documents.id))', '        .orderBy(desc(documents.createdAt), desc(documents.id))']],
    tests: DOCS,
  },
  {
    id: 'documents-delete-owner',
    bug: 'a user may delete another user’s document',
    file: 'src/modules/rag/document-repo.ts',
    edits: [['.where(and(eq(documents.id, id), eq(documents.ownerId, ownerId), eq(documents.source, source)))', '.where(and(eq(documents.id, id), eq(documents.source, source)))']],
    tests: DOCS,
  },
  {
    id: 'retrieval-exact-owner',
    bug: 'vector search reads other users’ chunks',
    file: 'src/modules/rag/retrieval.ts',
    edits: [['where e.owner_id = ${ownerId} and e.dim = ${dim}', 'where e.dim = ${dim}']],
    tests: ['src/modules/rag/retrieval.test.ts'],
  },
  {
    id: 'retrieval-keyword-owner',
    bug: 'keyword search reads other users’ chunks',
    file: 'src/modules/rag/keyword-search.ts',
    // Both owner guards: the owner tag of the index keys and the row check behind it.
    edits: [
      ['rag_term_keys(${ownerId}::bigint, t.term)', 'rag_term_keys(c.owner_id, t.term)'],
      ['c.owner_id + 0 = ${ownerId} and', ''],
    ],
    tests: ['src/modules/rag/retrieval.test.ts'],
  },
  {
    id: 'conversation-owner',
    bug: 'a docs conversation is found for any user',
    file: 'src/modules/docs/conversation-repo.ts',
    edits: [['.where(and(eq(rooms.publicId, publicId), eq(rooms.kind, DOCS_KIND), eq(rooms.createdBy, ownerId)))', '.where(and(eq(rooms.publicId, publicId), eq(rooms.kind, DOCS_KIND)))']],
    tests: ['test/e2e/docs-conversations.test.ts'],
  },
  {
    id: 'petcare-other-user-id',
    bug: 'a signed-in caller may act as another petcare user',
    file: 'src/modules/petcare/petcare-access.ts',
    edits: [['        if (id !== undefined && id.toLowerCase() !== signedIn.uid.toLowerCase()) throw userNotFound()\n', '']],
    tests: ['test/e2e/petcare-chats.test.ts'],
  },
  {
    id: 'pet-owner',
    bug: 'a pet is found by name whoever owns it',
    file: 'src/modules/petcare/pet-repo.ts',
    edits: [['.where(and(eq(pets.ownerId, ownerId), eq(pets.name, name)))', '.where(eq(pets.name, name))']],
    tests: ['test/e2e/petcare-chats.test.ts'],
  },
  {
    id: 'card-session-owner',
    bug: 'anyone may ask questions in another user’s card-advice session',
    file: 'src/modules/advisor/card-session-service.ts',
    edits: [['      if (!access) throw roomNotFound()\n', '']],
    tests: ['src/surfaces/advisor/advisor-routes.test.ts'],
  },

  // Paging bounds.
  {
    id: 'messenger-has-more',
    bug: 'has_more is true on the last page when the total is a multiple of the page size',
    file: 'src/modules/messaging/message-service.ts',
    edits: [['total_count: total, has_more: page * size < total }', 'total_count: total, has_more: page * size <= total }']],
    tests: PAGING_RACES,
  },
  {
    id: 'search-has-more',
    bug: 'search has_more is true on the last page at an exact multiple',
    file: 'src/modules/messaging/message-service.ts',
    edits: [['        has_more: page * size < total,\n', '        has_more: page * size <= total,\n']],
    tests: PAGING_RACES,
  },
  {
    id: 'couples-has-more',
    bug: 'couples history has_more is true on the last page at an exact multiple',
    file: 'src/modules/couples/couple-room-service.ts',
    edits: [['has_more: page * size < total }', 'has_more: page * size <= total }']],
    tests: PAGING_RACES,
  },
  {
    id: 'page-offset',
    bug: 'page 1 skips the newest page of messages',
    file: 'src/modules/messaging/message-repo.ts',
    edits: [['pageQuery.execute({ roomId, limit: size, offset: (page - 1) * size })', 'pageQuery.execute({ roomId, limit: size, offset: page * size })']],
    tests: PAGING_RACES,
  },

  // Rate-limit rules.
  {
    id: 'docs-chat-fixed',
    bug: 'docs chat is limited per fixed minute instead of a sliding one',
    file: 'src/surfaces/docs/docs-rate-limits.ts',
    edits: [["chat: { limit: config.chatPerMinute, windowMs: MINUTE, mode: 'sliding' }", "chat: { limit: config.chatPerMinute, windowMs: MINUTE, mode: 'fixed' }"]],
    tests: RATE,
  },
  {
    id: 'docs-ingest-sliding',
    bug: 'docs ingest is limited per sliding minute instead of a fixed one',
    file: 'src/surfaces/docs/docs-rate-limits.ts',
    edits: [["ingest: { limit: config.ingestPerMinute, windowMs: MINUTE, mode: 'fixed' }", "ingest: { limit: config.ingestPerMinute, windowMs: MINUTE, mode: 'sliding' }"]],
    tests: RATE,
  },
  {
    id: 'docs-delete-fixed',
    bug: 'document delete is limited per fixed minute instead of a sliding one',
    file: 'src/surfaces/docs/docs-rate-limits.ts',
    edits: [["deleteDocuments: { limit: config.deletePerMinute, windowMs: MINUTE, mode: 'sliding' }", "deleteDocuments: { limit: config.deletePerMinute, windowMs: MINUTE, mode: 'fixed' }"]],
    tests: RATE,
  },
  {
    id: 'limit-key-shared',
    bug: 'every user shares one rate-limit count',
    file: 'src/platform/http/rate-limit.ts',
    edits: [['return enforceRateLimit(deps.store, `${name}:${who}`, rule', 'return enforceRateLimit(deps.store, `${name}`, rule']],
    tests: ['src/platform/http/rate-limit.test.ts'],
  },
  {
    id: 'sliding-window-edge',
    bug: 'a sliding hit stays counted one millisecond past its window',
    file: 'src/modules/ratelimit/memory-store.ts',
    edits: [['while (drop < hits.length && hits[drop]! <= now - rule.windowMs) drop += 1', 'while (drop < hits.length && hits[drop]! < now - rule.windowMs) drop += 1']],
    tests: STORE,
  },
  {
    id: 'fixed-limit-off-by-one',
    bug: 'a fixed window lets one hit more than its limit through',
    file: 'src/modules/ratelimit/memory-store.ts',
    edits: [['    if (entry.count < rule.limit) {', '    if (entry.count <= rule.limit) {']],
    tests: STORE,
  },

  // Dedupe.
  {
    id: 'duplicate-rebroadcast',
    bug: 'a repeated client_msg_id is broadcast again as a new message',
    file: 'src/modules/messaging/message-service.ts',
    edits: [['    if (!duplicate) {\n      sent.inc', '    if (true) {\n      sent.inc']],
    tests: MESSENGER_SOCKET,
  },
  {
    id: 'duplicate-answered-as-new',
    bug: 'a repeated client_msg_id is answered as a new message',
    file: 'src/modules/messaging/message-repo.ts',
    edits: [['        return { message: first, duplicate: true }', '        return { message: first, duplicate: false }']],
    tests: PAGING_RACES,
  },
  {
    id: 'dedupe-conflict-target',
    bug: 'client_msg_id no longer deduplicates: the conflict clause is gone',
    file: 'src/modules/messaging/message-repo.ts',
    edits: [['    .onConflictDoNothing(resendConflict)\n    .returning()\n    .prepare(\'message_insert_many\')', '    .returning()\n    .prepare(\'message_insert_many\')']],
    tests: PAGING_RACES,
  },

  // Transactions and races.
  {
    id: 'ingest-transaction',
    bug: 'a document, its chunks and embeddings are no longer stored in one transaction',
    file: 'src/modules/rag/document-repo.ts',
    edits: [
      ['      return db.transaction(async (tx) => {\n        const [row] = await tx\n          .insert(documents)', '      return (async (tx: typeof db) => {\n        const [row] = await tx\n          .insert(documents)'],
      ['        await insertEmbeddings(tx, doc.ownerId, ids, doc.embeddings)\n        return documentId\n      })', '        await insertEmbeddings(tx as never, doc.ownerId, ids, doc.embeddings)\n        return documentId\n      })(db)'],
    ],
    tests: ['src/modules/rag/ingest-service.test.ts'],
  },
  {
    id: 'direct-room-race',
    bug: 'the loser of a race to create the same direct room gets no room',
    file: 'src/modules/messaging/room-service.ts',
    edits: [['return room ? { room, created: true } : { room: (await rooms.findByDirectKey(key))!, created: false }', 'return { room: room!, created: true }']],
    tests: PAGING_RACES,
  },
  {
    id: 'batch-retry-alone',
    bug: 'one bad message in a group commit fails its neighbours',
    file: 'src/platform/batcher.ts',
    edits: [['      if (batch.length === 1) {\n        batch[0]!.reject(error)\n        return\n      }', '      for (const p of batch) p.reject(error)\n      return']],
    tests: ['src/platform/batcher.test.ts'],
  },
  {
    id: 'lane-by-turn',
    bug: 'group-commit lanes are taken in turn, so one room\'s messages can be stored out of order',
    file: 'src/platform/batcher.ts',
    edits: [['  const lanes = Array.from({ length: count }, () => createBatcher(single))\n  return {\n    submit: (item) => lanes[((laneOf(item) % count) + count) % count]!.submit(item),', '  const lanes = Array.from({ length: count }, () => createBatcher(single))\n  let turn = 0\n  return {\n    submit: (item) => lanes[turn++ % count]!.submit(item),']],
    tests: ['src/platform/batcher.test.ts'],
  },
  {
    id: 'embedded-one-connection',
    bug: 'a reconnection that reaches the embedded database before the old socket\'s close is reset',
    file: 'src/platform/db/pglite-worker.ts',
    edits: [['maxConnections: 2 })', 'maxConnections: 1 })']],
    tests: ['src/platform/db/embedded.test.ts'],
  },

  // Drain.
  {
    id: 'drain-early',
    bug: 'drain resolves before the accepted messages are stored',
    file: 'src/platform/batcher.ts',
    edits: [['      if (inFlight === 0) return Promise.resolve()\n', '      return Promise.resolve()\n']],
    tests: ['src/platform/batcher.test.ts'],
  },
]
