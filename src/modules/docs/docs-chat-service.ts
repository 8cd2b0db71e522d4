import { badRequest, isAppError } from '../../platform/errors'
import type { Logger } from '../../platform/logger'
import { chatDataStreamParts, type DataStreamPart } from '../ai/data-stream-encoder'
import type { ChatMessage, ChatProvider } from '../ai/types'
import type { Retriever } from '../rag/retrieval'
import { assertVectorAvailable } from '../rag/vector-index'
import type { ConversationRepo } from './conversation-repo'
import type { ConversationService } from './conversation-service'

/** One source as the `sources` message annotation shows it. */
export interface SourceAnnotation {
  index: number
  source: string
  content: string
  similarity: number
  /** False when the answer abstained: the passage was retrieved but does not answer the question. */
  used: boolean
}

/** What the model is told when no passage of the caller's documents matched. */
export const NO_MATCH_NOTICE = '업로드된 문서에서 질문과 관련된 내용을 찾지 못했습니다. 관련 문서를 업로드한 뒤 다시 질문해 주세요.'
const PREVIEW_CHARS = 200
const MAX_HISTORY = 20
const SYSTEM =
  '당신은 사용자가 업로드한 문서만을 근거로 답하는 도우미입니다. 제공된 자료에 없는 내용은 지어내지 말고, 근거가 된 자료를 [번호]로 표시하세요.'

export interface DocsChatServiceDeps {
  chat: ChatProvider
  retriever: Retriever
  conversations: ConversationRepo
  conversationService: ConversationService
  hasVector: () => boolean
  logger: Logger
  topK?: number
  /** Vector hits under this cosine similarity do not ground an answer. */
  minSimilarity?: number
  timeoutMs?: number
}

/** The request as the client sent it; checked here, not trusted. */
export interface DocsChatInput {
  messages: unknown
  conversationId?: unknown
}

function parseMessages(raw: unknown): ChatMessage[] {
  if (!Array.isArray(raw) || raw.length === 0) throw badRequest('messages 배열이 없거나 비어 있습니다.')
  const out: ChatMessage[] = []
  for (const m of raw) {
    if (!m || typeof m !== 'object') continue
    const { role, content } = m as { role?: unknown; content?: unknown }
    if ((role === 'user' || role === 'assistant') && typeof content === 'string' && content.trim() !== '') out.push({ role, content })
  }
  if (!out.some((m) => m.role === 'user')) throw badRequest('유효한 content가 없습니다.')
  return out.slice(-MAX_HISTORY)
}

/**
 * `POST /api/chat`: retrieves the caller's passages for the last user message and streams a
 * grounded answer as data-stream parts, the sources first as a message annotation. With a
 * conversation, the user message is stored before streaming and the answer (or, on an
 * upstream failure, what had streamed) after it.
 */
export function createDocsChatService(deps: DocsChatServiceDeps) {
  return {
    async start(ownerId: number, input: DocsChatInput, signal?: AbortSignal): Promise<AsyncIterable<DataStreamPart>> {
      assertVectorAvailable(deps.hasVector())
      const history = parseMessages(input.messages)
      const conversation =
        input.conversationId === undefined || input.conversationId === null || input.conversationId === ''
          ? undefined
          : await deps.conversationService.own(ownerId, input.conversationId)
      const question = [...history].reverse().find((m) => m.role === 'user')!.content
      const hits = await deps.retriever.search(ownerId, question, { topK: deps.topK ?? 5, minSimilarity: deps.minSimilarity ?? 0.2, signal })
      const grounding = hits.length
        ? { passages: hits.map((h, i) => ({ index: i + 1, source: h.source, content: h.content, similarity: h.similarity })) }
        : { emptyNotice: NO_MATCH_NOTICE }
      // A provider that abstains by rule says before it streams that these passages do not
      // answer; then every passage is listed as retrieved but not used.
      const used = hits.length === 0 || deps.chat.answers?.(history, grounding) !== false
      const sources: SourceAnnotation[] = hits.map((h, i) => ({
        index: i + 1,
        source: h.source,
        content: h.content.length > PREVIEW_CHARS ? h.content.slice(0, PREVIEW_CHARS) : h.content,
        similarity: Math.round(h.similarity * 10_000) / 10_000,
        used,
      }))
      if (conversation) await deps.conversations.addMessage(conversation.id, ownerId, 'user', question)
      const chunks = deps.chat.stream({
        messages: history,
        system: SYSTEM,
        grounding,
        signal,
        timeoutMs: deps.timeoutMs,
      })
      const parts = chatDataStreamParts(chunks, {
        messageId: `msg-${crypto.randomUUID()}`,
        annotations: [{ sources }],
        onFinish: async (text) => {
          if (conversation && text) await deps.conversations.addMessage(conversation.id, ownerId, 'assistant', text)
        },
      })
      return guardPartial(parts, async (partial) => {
        if (conversation && partial) await deps.conversations.addMessage(conversation.id, ownerId, 'assistant', partial)
      }, deps.logger)
    },
  }
}

/** Passes `parts` through; when they fail, stores the text streamed so far, then rethrows. */
async function* guardPartial(
  parts: AsyncIterable<DataStreamPart>,
  store: (partial: string) => Promise<void>,
  logger: Logger,
): AsyncGenerator<DataStreamPart> {
  let text = ''
  let finished = false
  try {
    for await (const part of parts) {
      if (part.type === 'text') text += part.text
      if (part.type === 'finish-step') finished = true
      yield part
    }
  } catch (error) {
    if (!finished) {
      const partial = isAppError(error) && typeof error.details?.partialText === 'string' ? error.details.partialText : text
      await store(partial).catch((e: unknown) => logger.error('storing a partial answer failed', { error: String(e) }))
    }
    throw error
  }
}

export type DocsChatService = ReturnType<typeof createDocsChatService>
