import { AppError } from '../../platform/errors'

/** Splits a list into consecutive batches of at most `size` items, order kept. */
export function inBatches<T>(items: T[], size: number): T[][] {
  const batches: T[][] = []
  const step = Math.max(1, Math.floor(size))
  for (let i = 0; i < items.length; i += step) batches.push(items.slice(i, i + step))
  return batches
}

/** Decodes OpenAI's base64 embedding: little-endian float32 values, as plain numbers. */
export function decodeBase64Floats(base64: string): number[] {
  // Copied into a fresh buffer: Buffer.from may hand back a pooled, unaligned view.
  const bytes = new Uint8Array(Buffer.from(base64, 'base64'))
  if (bytes.byteLength % 4 !== 0) {
    throw new AppError('UPSTREAM_FAILED', 'The AI provider returned a malformed embedding')
  }
  const view = new DataView(bytes.buffer)
  const values: number[] = new Array(bytes.byteLength / 4)
  for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(i * 4, true)
  return values
}

/**
 * Checks an upstream vector against the configured dimension and scales it to unit length,
 * so every embedder answers comparable vectors (Gemini's truncated ones are not normalised
 * upstream) and a wrong dimension never reaches a fixed-size database column.
 */
export function unitVector(values: ArrayLike<number>, dim: number, provider: string): number[] {
  if (values.length !== dim) {
    throw new AppError(
      'UPSTREAM_FAILED',
      `The AI provider returned embeddings of ${values.length} dimensions; ${dim} are configured`,
      { details: { provider, expected: dim, received: values.length } },
    )
  }
  let norm = 0
  for (let i = 0; i < dim; i++) norm += (values[i] as number) ** 2
  norm = Math.sqrt(norm)
  if (!Number.isFinite(norm) || norm === 0) {
    throw new AppError('UPSTREAM_FAILED', 'The AI provider returned an empty embedding', { details: { provider } })
  }
  return Array.from({ length: dim }, (_, i) => (values[i] as number) / norm)
}
