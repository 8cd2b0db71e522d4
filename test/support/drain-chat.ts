import type { ChatChunk } from '../../src/modules/ai/types'

/** Reads a chat stream to its end or its error: every chunk, the joined text, and the error if any. */
export async function drainChat(stream: AsyncIterable<ChatChunk>) {
  const chunks: ChatChunk[] = []
  let error: unknown
  try {
    for await (const chunk of stream) chunks.push(chunk)
  } catch (e) {
    error = e
  }
  const text = chunks.map((c) => (c.type === 'text' ? c.text : '')).join('')
  return { chunks, text, error }
}
