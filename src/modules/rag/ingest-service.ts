import { badRequest } from '../../platform/errors'
import { stripControlCharacters } from '../../platform/text-guard'
import type { Logger } from '../../platform/logger'
import type { Embedder } from '../ai/types'
import { chunkSections, type Chunk } from './chunker'
import type { DocumentRepo } from './document-repo'
import { extractDocument } from './extract/extract-document'
import { assertVectorAvailable } from './vector-index'

/** What the caller hands in: a file's bytes with its name, or pasted text. */
export type IngestInput =
  | { kind: 'file'; bytes: Uint8Array; filename: string; source?: string }
  | { kind: 'text'; text: string; source?: string }

/** What one ingest stored. */
export interface IngestResult {
  documentId: number
  source: string
  chunks: number
  embeddings: number
}

export interface IngestServiceDeps {
  documents: DocumentRepo
  embedder: Embedder
  hasVector: () => boolean
  maxBytes: number
  logger: Logger
  /**
   * Texts per embedder call (default 500). The providers split a call into requests of their own
   * size (100 for OpenAI and Gemini), so this only sets how often progress is logged and the
   * abort signal checked between calls; a group smaller than a provider request would only
   * multiply requests.
   */
  batchSize?: number
}

/** The source name when the caller gives none for pasted text. */
export const DIRECT_INPUT_SOURCE = '직접 입력'
/** Chunk counts above this log their embedding progress. */
const PROGRESS_CHUNKS = 100
const MAX_SOURCE_CHARS = 255

/**
 * Ingests one document for its owner: the type comes from the bytes, the text is extracted,
 * chunked and embedded in batches, and the document, its chunks and their embeddings are
 * stored in one transaction, so a failure at any step stores nothing.
 */
export function createIngestService(deps: IngestServiceDeps) {
  const batchSize = deps.batchSize ?? 500
  return {
    async ingest(ownerId: number, input: IngestInput, signal?: AbortSignal): Promise<IngestResult> {
      assertVectorAvailable(deps.hasVector())
      const bytes = input.kind === 'file' ? input.bytes : new TextEncoder().encode(input.text)
      if (bytes.byteLength > deps.maxBytes) {
        throw badRequest(`파일 크기가 제한(${Math.floor(deps.maxBytes / (1024 * 1024))}MB)을 초과했습니다.`)
      }
      if (input.kind === 'text' && input.text.trim() === '') throw badRequest('텍스트가 비어 있습니다.')
      // The source is shown as the document's name: bidi and control characters are stripped.
      const named = stripControlCharacters(input.source ?? '').trim() || (input.kind === 'file' ? stripControlCharacters(input.filename).trim() : '')
      const source = (named || DIRECT_INPUT_SOURCE).slice(0, MAX_SOURCE_CHARS)
      const extracted = await extractDocument(bytes, input.kind === 'file' ? input.filename : 'input.txt')
      const chunks: Chunk[] = chunkSections(extracted.sections)
      if (chunks.length === 0) throw badRequest('문서에서 텍스트를 찾을 수 없습니다.')
      const large = chunks.length > PROGRESS_CHUNKS
      if (large) deps.logger.info('ingest started', { ownerId, source, kind: extracted.kind, bytes: bytes.byteLength, chunks: chunks.length })
      const embeddings: number[][] = []
      for (let i = 0; i < chunks.length; i += batchSize) {
        const batch = chunks.slice(i, i + batchSize).map((c) => c.content)
        embeddings.push(...(await deps.embedder.embed(batch, signal)))
        if (large) deps.logger.info('ingest progress', { ownerId, source, embedded: embeddings.length, chunks: chunks.length })
      }
      const documentId = await deps.documents.insert({
        ownerId,
        source,
        kind: extracted.kind,
        sizeBytes: bytes.byteLength,
        chunks,
        embeddings,
      })
      if (large) deps.logger.info('ingest stored', { ownerId, source, documentId, chunks: chunks.length })
      return { documentId, source, chunks: chunks.length, embeddings: embeddings.length }
    },
  }
}

export type IngestService = ReturnType<typeof createIngestService>
