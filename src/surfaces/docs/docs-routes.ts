import { Elysia, t } from 'elysia'
import type { AuthService } from '../../modules/auth/auth-service'
import type { DocsChatService } from '../../modules/docs/docs-chat-service'
import type { ConversationMessageRow, ConversationRow } from '../../modules/docs/conversation-repo'
import type { ConversationService } from '../../modules/docs/conversation-service'
import { attachmentDisposition } from '../../modules/docs/conversation-export'
import type { DocumentRepo } from '../../modules/rag/document-repo'
import type { IngestService } from '../../modules/rag/ingest-service'
import { assertVectorAvailable } from '../../modules/rag/vector-index'
import { dataStreamResponse } from '../../modules/ai/data-stream-encoder'
import { badRequest, notFound } from '../../platform/errors'
import { authPlugin } from '../../platform/http/auth-plugin'
import { errorShape } from '../../platform/http/error-shapes'
import { IdParam, INT4_MAX } from '../../platform/http/request-schemas'
import type { DocsRateLimits } from './docs-rate-limits'

/** Every docs path renders errors as `{error}` with 400 for validation. */
export const docsErrorShape = {
  prefixes: ['/api/ingest', '/api/chat', '/api/documents', '/api/conversations', '/api/stats', '/api/export'],
  shape: errorShape,
}

export interface DocsRoutesDeps {
  auth: AuthService
  cookieName: string
  ingest: IngestService
  documents: DocumentRepo
  chat: DocsChatService
  conversations: ConversationService
  rateLimit: DocsRateLimits
  hasVector: () => boolean
}

const Conversation = t.Object({ id: t.String(), title: t.String(), created_at: t.String(), updated_at: t.String() })
const Message = t.Object({ id: t.String(), role: t.String(), content: t.String(), created_at: t.String() })
const Loose = (fields: Record<string, ReturnType<typeof t.Any>>) => t.Object(fields, { additionalProperties: true })

const conversationView = (c: ConversationRow) => ({
  id: c.publicId,
  title: c.title,
  created_at: c.createdAt.toISOString(),
  updated_at: c.updatedAt.toISOString(),
})
const messageView = (m: ConversationMessageRow) => ({ id: m.publicId, role: m.role, content: m.content, created_at: m.createdAt.toISOString() })

function isFile(value: unknown): value is File {
  return value instanceof Blob
}

/** Seed 004's document Q&A contract: ingest, chat stream, documents, conversations, messages, stats, export. */
export function docsRoutes(deps: DocsRoutesDeps) {
  return new Elysia({ name: 'docs-routes', detail: { tags: ['docs'] } })
    .use(authPlugin(deps.auth, deps.cookieName))
    .post(
      '/api/ingest',
      async ({ principal, body, request }) => {
        await deps.rateLimit('ingest', request, principal.user.id)
        assertVectorAvailable(deps.hasVector())
        const source = typeof body.source === 'string' ? body.source : undefined
        const file = Array.isArray(body.file) ? body.file[0] : body.file
        let result
        if (isFile(file)) {
          const name = file instanceof File ? file.name : ''
          result = await deps.ingest.ingest(principal.user.id, { kind: 'file', bytes: new Uint8Array(await file.arrayBuffer()), filename: name || 'upload', source }, request.signal)
        } else if (typeof body.text === 'string' && body.text.trim() !== '') {
          result = await deps.ingest.ingest(principal.user.id, { kind: 'text', text: body.text, source }, request.signal)
        } else {
          throw badRequest('file 또는 text 중 하나는 필수입니다.')
        }
        return { message: '문서 수집 완료', source: result.source, chunks: result.chunks, embeddings: result.embeddings }
      },
      {
        auth: true,
        body: Loose({ file: t.Optional(t.Any()), text: t.Optional(t.Any()), source: t.Optional(t.Any()) }),
        response: { 200: t.Object({ message: t.String(), source: t.String(), chunks: t.Number(), embeddings: t.Number() }) },
        detail: { summary: 'Ingest a PDF, DOCX, PPTX, TXT or MD file (multipart `file`) or pasted `text`' },
      },
    )
    .post(
      '/api/chat',
      async ({ principal, body, request }) => {
        await deps.rateLimit('chat', request, principal.user.id)
        const parts = await deps.chat.start(principal.user.id, { messages: body.messages, conversationId: body.conversationId }, request.signal)
        return dataStreamResponse(parts, { signal: request.signal })
      },
      {
        auth: true,
        body: Loose({ messages: t.Optional(t.Any()), conversationId: t.Optional(t.Any()) }),
        detail: { summary: 'Answer from the caller’s documents, streamed in the AI SDK data stream format with a `sources` annotation' },
      },
    )
    .get(
      '/api/documents',
      async ({ principal }) =>
        (await deps.documents.list(principal.user.id)).map((d) => ({ id: d.id, name: d.source, chunk_count: d.chunkCount, created_at: d.createdAt.toISOString() })),
      {
        auth: true,
        response: { 200: t.Array(t.Object({ id: t.Number(), name: t.String(), chunk_count: t.Number(), created_at: t.String() })) },
        detail: { summary: 'The caller’s documents, newest first' },
      },
    )
    .delete(
      '/api/documents',
      async ({ principal, query, request }) => {
        await deps.rateLimit('deleteDocuments', request, principal.user.id)
        const source = typeof query.source === 'string' ? query.source : ''
        if (query.id === undefined || source === '') throw badRequest('id와 source 파라미터가 필요합니다.')
        if (!(await deps.documents.delete(principal.user.id, query.id, source))) throw notFound('문서를 찾을 수 없습니다.')
        return { message: '문서가 삭제되었습니다.' }
      },
      {
        auth: true,
        query: t.Object({ id: t.Optional(IdParam(INT4_MAX)), source: t.Optional(t.Any()) }, { additionalProperties: true }),
        response: { 200: t.Object({ message: t.String() }) },
        detail: { summary: 'Delete one of the caller’s documents with its chunks and embeddings' },
      },
    )
    .get('/api/conversations', async ({ principal }) => (await deps.conversations.list(principal.user.id)).map(conversationView), {
      auth: true,
      response: { 200: t.Array(Conversation) },
      detail: { summary: 'The caller’s conversations, most recently updated first' },
    })
    .post('/api/conversations', async ({ principal, body }) => conversationView(await deps.conversations.create(principal.user.id, body?.title)), {
      auth: true,
      body: t.Optional(Loose({ title: t.Optional(t.Any()) })),
      response: { 200: Conversation },
      detail: { summary: 'Create a conversation (title defaults to "새 대화")' },
    })
    .delete(
      '/api/conversations',
      async ({ principal, body }) => {
        await deps.conversations.delete(principal.user.id, body?.id)
        return { success: true }
      },
      {
        auth: true,
        body: t.Optional(Loose({ id: t.Optional(t.Any()) })),
        response: { 200: t.Object({ success: t.Boolean() }) },
        detail: { summary: 'Delete a conversation and its messages' },
      },
    )
    .get('/api/conversations/:id/messages', async ({ principal, params }) => (await deps.conversations.messages(principal.user.id, params.id)).map(messageView), {
      auth: true,
      response: { 200: t.Array(Message) },
      detail: { summary: 'A conversation’s messages, oldest first' },
    })
    .post(
      '/api/conversations/:id/messages',
      async ({ principal, params, body }) => messageView(await deps.conversations.addMessage(principal.user.id, params.id, body?.role, body?.content)),
      {
        auth: true,
        body: t.Optional(Loose({ role: t.Optional(t.Any()), content: t.Optional(t.Any()) })),
        response: { 200: Message },
        detail: { summary: 'Append a message; bumps the conversation’s updated_at' },
      },
    )
    .get('/api/stats', ({ principal }) => deps.conversations.stats(principal.user.id), {
      auth: true,
      detail: { summary: 'Totals and seven days of message activity (KST days)' },
    })
    .get(
      '/api/export/:id',
      async ({ principal, params }) => {
        const { markdown, filename } = await deps.conversations.export(principal.user.id, params.id)
        return new Response(markdown, {
          headers: { 'content-type': 'text/markdown; charset=utf-8', 'content-disposition': attachmentDisposition(filename) },
        })
      },
      { auth: true, detail: { summary: 'A conversation as a markdown file download' } },
    )
}
