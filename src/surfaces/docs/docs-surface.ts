import type { Config } from '../../config'
import type { Ai } from '../../modules/ai/provider-factory'
import type { AuthService } from '../../modules/auth/auth-service'
import { createConversationRepo } from '../../modules/docs/conversation-repo'
import { createConversationService } from '../../modules/docs/conversation-service'
import { createDocsChatService } from '../../modules/docs/docs-chat-service'
import type { DocumentProcessor } from '../../modules/rag/document-processor'
import { createDocumentRepo } from '../../modules/rag/document-repo'
import { createIngestService } from '../../modules/rag/ingest-service'
import { createRetriever } from '../../modules/rag/retrieval'
import { ensureVectorIndex } from '../../modules/rag/vector-index'
import type { RateLimitStore } from '../../modules/ratelimit/limiter'
import type { Database, Db } from '../../platform/db/client'
import { createRequestLimiter } from '../../platform/http/rate-limit'
import type { Logger } from '../../platform/logger'
import { createDocsRateLimits } from './docs-rate-limits'
import { docsRoutes } from './docs-routes'

export interface DocsSurfaceDeps {
  db: Db
  database: Database
  ai: Ai
  logger: Logger
  config: Config
  auth: AuthService
  rateLimits: RateLimitStore
  cookieName: string
  /** The rate limits' clock (ms); the real one unless a test pins it. */
  clock?: () => number
  documentProcessor: DocumentProcessor
}

/**
 * Builds the docs surface's repositories and services once and returns its routes. Where
 * the database has pgvector, the HNSW index for the configured dimension exists before the
 * first request; where it has not, the search endpoints answer 503 and the rest still work.
 */
export async function createDocsSurface(deps: DocsSurfaceDeps) {
  const { db, database, ai, logger, config } = deps
  if (database.hasVector) await ensureVectorIndex(db, ai.embedder.dim)
  const hasVector = () => database.hasVector
  const documents = createDocumentRepo({ db })
  const conversations = createConversationRepo({ db })
  const conversationService = createConversationService({ conversations, documents })
  const retriever = createRetriever({ db, embedder: ai.embedder })
  const ingest = createIngestService({ documents, embedder: ai.embedder, processor: deps.documentProcessor, hasVector, maxBytes: config.http.uploadMaxBytes, logger })
  const chat = createDocsChatService({ chat: ai.chat, retriever, conversations, conversationService, hasVector, logger, timeoutMs: config.ai.timeoutMs })
  const limiter = createRequestLimiter({ store: deps.rateLimits, trustProxy: config.http.trustProxy, now: deps.clock })
  const rateLimit = createDocsRateLimits(limiter, {
    chatPerMinute: config.rateLimits.docsChatPerMinute,
    ingestPerMinute: config.rateLimits.docsIngestPerMinute,
    deletePerMinute: config.rateLimits.docsDeletePerMinute,
  })
  return docsRoutes({ auth: deps.auth, cookieName: deps.cookieName, ingest, documents, chat, conversations: conversationService, rateLimit, hasVector })
}
