import { badRequest } from '../../platform/errors'
import { chunkSections, type Chunk } from './chunker'
import { extractDocument, type DocumentKind } from './extract/extract-document'
import { DEFAULT_EXTRACT_LIMITS, type ExtractLimits } from './extract/extract-limits'

/** The extraction limits plus the most chunks one document may make. */
export interface ProcessingLimits extends ExtractLimits {
  maxChunks: number
}

/** The defaults INGEST_* configure; see extract-limits.ts. */
export const DEFAULT_PROCESSING_LIMITS: Readonly<ProcessingLimits> = { ...DEFAULT_EXTRACT_LIMITS, maxChunks: 25_000 }

/** A document ready for embedding: its kind and its chunks in order. */
export interface ProcessedDocument {
  kind: DocumentKind
  chunks: Chunk[]
}

/**
 * Extracts and chunks one document under `limits`. Pure CPU work with no I/O, which is why
 * the server runs it in a worker (document-processor.ts) and never on its event loop. Every
 * refusal is an AppError BAD_REQUEST naming the limit.
 */
export async function processDocument(bytes: Uint8Array, filename: string, limits: ProcessingLimits): Promise<ProcessedDocument> {
  const extracted = await extractDocument(bytes, filename, limits)
  const chunks = chunkSections(extracted.sections)
  if (chunks.length > limits.maxChunks) {
    throw badRequest(`The document makes ${chunks.length} chunks; at most ${limits.maxChunks} are accepted. Split it and upload the parts.`)
  }
  return { kind: extracted.kind, chunks }
}
