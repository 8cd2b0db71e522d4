import { yieldToEventLoop } from '../../../platform/event-loop'
import { abortReason } from '../abort'
import { charNgrams, fnv1a, normalizeText, words } from '../text-features'
import type { Embedder } from '../types'

/** Seed of the hashed sign of a feature (shared with the intent model's features). */
export const SIGN_SEED = 0x9747b28c
/** Hashing runs on the server's event loop, so a long batch hands the loop back this often. */
const SLICE_MS = 5

/**
 * The offline embedding of one text: feature hashing of every word and of its character
 * 2–4-grams into `dim` buckets with a hashed sign (so collisions cancel out instead of piling
 * up), then L2-normalised. Texts sharing word pieces ("교통카드", "교통비") get a positive
 * cosine even without spaces between words. Deterministic across processes. A text without
 * letters or digits still gets a unit vector (one fixed bucket), since a zero vector has no
 * cosine distance to anything.
 */
export function embedOffline(text: string, dim: number): number[] {
  const vector = new Float64Array(dim)
  const add = (feature: string): void => {
    const bucket = fnv1a(feature) % dim
    vector[bucket] = (vector[bucket] ?? 0) + ((fnv1a(feature, SIGN_SEED) & 1) === 0 ? 1 : -1)
  }
  const tokens = words(normalizeText(text))
  for (const word of tokens) {
    add(`w:${word}`)
    for (const gram of charNgrams(word)) add(`g:${gram}`)
  }
  if (tokens.length === 0) add('empty')
  let norm = 0
  for (const x of vector) norm += x * x
  norm = Math.sqrt(norm)
  if (norm === 0) {
    // Every feature cancelled out by sign collisions: fall back to the fixed bucket.
    vector[fnv1a('empty') % dim] = 1
    norm = 1
  }
  return Array.from(vector, (x) => x / norm)
}

/**
 * An embedder without network: `embedOffline` for each text, model name `offline`. A batch
 * (~0.3 ms a chunk) is hashed in slices of about SLICE_MS, yielding to the event loop between
 * them, so a large document never holds the server for the whole batch.
 */
export function createOfflineEmbedder(deps: { dim: number }): Embedder {
  const { dim } = deps
  return {
    name: 'offline',
    model: 'offline',
    dim,
    async embed(texts, signal) {
      const vectors: number[][] = []
      let sliceStart = performance.now()
      for (const text of texts) {
        if (signal?.aborted) throw abortReason(signal)
        vectors.push(embedOffline(text, dim))
        if (performance.now() - sliceStart > SLICE_MS) {
          await yieldToEventLoop()
          sliceStart = performance.now()
        }
      }
      return vectors
    },
  }
}
