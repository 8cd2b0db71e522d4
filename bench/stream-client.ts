// Measuring one streamed answer at the client, the same way for huddle's SSE and for the
// fake OpenAI's own chunks: when each text chunk's bytes arrived, relative to the request.

/** One stream as the client saw it. */
export interface StreamSample {
  /** Request sent → first text chunk read, in ms. */
  firstToken: number
  /** Time between consecutive text chunks, in ms (chunks read together count 0). */
  gaps: number[]
  chunks: number
}

/** Which events of a stream carry answer text. */
export type TextEventTest = (data: string) => boolean

/** huddle's `{"type":"delta",…}` events. */
export const huddleDelta: TextEventTest = (data) => JSON.parse(data).type === 'delta'

/** OpenAI `chat.completion.chunk` frames with non-empty `delta.content`. */
export const openAiText: TextEventTest = (data) => {
  if (data === '[DONE]') return false
  const content = JSON.parse(data).choices?.[0]?.delta?.content
  return typeof content === 'string' && content !== ''
}

/**
 * POSTs `body` to `url` and reads the SSE answer to its end, timing every text event by the
 * read that delivered it. Throws when the status is not 200 or the stream outlives `timeoutMs`.
 */
export async function measureStream(
  url: string,
  init: { headers: Record<string, string>; body: unknown; isText: TextEventTest; timeoutMs: number },
): Promise<StreamSample> {
  const started = performance.now()
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...init.headers },
    body: JSON.stringify(init.body),
    signal: AbortSignal.timeout(init.timeoutMs),
  })
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${(await res.text()).slice(0, 200)}`)
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  const times: number[] = []
  let buffer = ''
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    const at = performance.now()
    buffer += decoder.decode(value, { stream: true })
    let end: number
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      if (block.startsWith('data: ') && init.isText(block.slice(6))) times.push(at)
    }
  }
  if (times.length === 0) throw new Error(`${url} streamed no text`)
  return { firstToken: times[0]! - started, gaps: times.slice(1).map((t, i) => t - times[i]!), chunks: times.length }
}

/** The q-th percentile (0..100) by nearest rank; NaN for no values. */
export function percentile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((q / 100) * sorted.length) - 1))]!
}
