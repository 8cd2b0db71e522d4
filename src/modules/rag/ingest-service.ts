import { badRequest } from '../../platform/errors'
import { stripControlCharacters } from '../../platform/text-guard'
import type { Logger } from '../../platform/logger'
import type { Embedder } from '../ai/types'
import type { DocumentRepo } from './document-repo'
import type { ProcessedDocument } from './document-processing'
import type { DocumentProcessor } from './document-processor'
import { assertVectorAvailable } from './vector-index'

/** What the caller hands in: a file's bytes with its name, or pasted text. */
export type IngestInput = (
  | { kind: 'file'; bytes: Uint8Array; filename: string; source?: string }
  | { kind: 'text'; text: string; source?: string }
) & {
  /**
   * Embed each passage with its document's context (default true): for documents people name
   * when they ask. A corpus searched by topic whose names nobody says (the petcare knowledge
   * base) is embedded as it is, so its retrieval scores keep the scale the tool router weighs.
   */
  withDocumentContext?: boolean
}

/** A document extracted and chunked, before embedding: what the ingest would store. */
export interface PreparedDocument extends ProcessedDocument {
  source: string
  sizeBytes: number
}

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
  /** Extraction and chunking, in a worker off the event loop. */
  processor: Pick<DocumentProcessor, 'process'>
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
 * Ingests one document for its owner: the type comes from the bytes, the text is extracted
 * and chunked in a worker (under the processor's time and output budgets), embedded in
 * batches, and the document, its chunks and their embeddings are stored in one
 * transaction, so a failure at any step stores nothing.
 */
/** The longest opening line still read as the document's title. */
const MAX_TITLE_CHARS = 80

/**
 * What every passage of a document is embedded with: the document's name (its file name's
 * words) and its opening line when that is a title. A slide or section that never names its
 * document ("하원: 오후 4시") is then still near a question that does ("새봄 어린이집 하원은
 * 언제예요?"), while the stored passage, its keyword keys and what answers quote are unchanged.
 */
export function documentContext(source: string, firstChunk: string): string {
  const name = source.replace(/\.[a-z0-9]{1,5}$/i, '').replace(/[-_.]+/g, ' ').trim()
  const opening = firstChunk.trimStart().split('\n', 1)[0]!.replace(/^#+\s*/, '').trim()
  const title = opening.length > 0 && opening.length <= MAX_TITLE_CHARS ? opening : ''
  return [name, title].filter((part, i, all) => part && all.indexOf(part) === i).join('\n')
}

/** A passage as it is embedded: its document's context first (unless the passage opens with it). */
export function withContext(context: string, content: string): string {
  return context && !content.startsWith(context) ? `${context}\n${content}` : content
}

export function createIngestService(deps: IngestServiceDeps) {
  const batchSize = deps.batchSize ?? 500

  /** Checks size and emptiness, then extracts and chunks in a worker; refusals are BAD_REQUEST. */
  async function prepare(input: IngestInput, signal?: AbortSignal): Promise<PreparedDocument> {
    const bytes = input.kind === 'file' ? input.bytes : new TextEncoder().encode(input.text)
    if (bytes.byteLength > deps.maxBytes) {
      throw badRequest(`파일 크기가 제한(${Math.floor(deps.maxBytes / (1024 * 1024))}MB)을 초과했습니다.`)
    }
    if (input.kind === 'text' && input.text.trim() === '') throw badRequest('텍스트가 비어 있습니다.')
    // The source is shown as the document's name: bidi and control characters are stripped.
    const named = stripControlCharacters(input.source ?? '').trim() || (input.kind === 'file' ? stripControlCharacters(input.filename).trim() : '')
    const source = (named || DIRECT_INPUT_SOURCE).slice(0, MAX_SOURCE_CHARS)
    const processed = await deps.processor.process(bytes, input.kind === 'file' ? input.filename : 'input.txt', signal)
    if (processed.chunks.length === 0) throw badRequest('문서에서 텍스트를 찾을 수 없습니다.')
    return { ...processed, source, sizeBytes: bytes.byteLength }
  }

  return {
    prepare,
    async ingest(ownerId: number, input: IngestInput, signal?: AbortSignal): Promise<IngestResult> {
      assertVectorAvailable(deps.hasVector())
      const { source, kind, chunks, sizeBytes } = await prepare(input, signal)
      const large = chunks.length > PROGRESS_CHUNKS
      if (large) deps.logger.info('ingest started', { ownerId, source, kind, bytes: sizeBytes, chunks: chunks.length })
      const embeddings: number[][] = []
      const context = input.withDocumentContext === false ? '' : documentContext(source, chunks[0]!.content)
      for (let i = 0; i < chunks.length; i += batchSize) {
        const batch = chunks.slice(i, i + batchSize).map((c) => withContext(context, c.content))
        embeddings.push(...(await deps.embedder.embed(batch, signal)))
        if (large) deps.logger.info('ingest progress', { ownerId, source, embedded: embeddings.length, chunks: chunks.length })
      }
      const documentId = await deps.documents.insert({
        ownerId,
        source,
        kind,
        sizeBytes,
        chunks,
        embeddings,
      })
      if (large) deps.logger.info('ingest stored', { ownerId, source, documentId, chunks: chunks.length })
      return { documentId, source, chunks: chunks.length, embeddings: embeddings.length }
    },
  }
}

export type IngestService = ReturnType<typeof createIngestService>
