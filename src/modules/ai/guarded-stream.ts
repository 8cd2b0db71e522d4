import { abortReason, upstreamFailure, upstreamTimeout } from './abort'
import type { ChatChunk, ChatUsage } from './types'

/** How to open one upstream stream and how long it may stay silent. */
export interface GuardedStreamOptions {
  provider: string
  timeoutMs: number
  signal?: AbortSignal
  /** Opens the upstream lazily; the HTTP request must abort when the given signal aborts. */
  open: (signal: AbortSignal) => AsyncIterable<ChatChunk>
}

/**
 * Wraps an SDK stream with the ChatProvider guarantees: an idle timeout measured only while
 * the consumer waits for the next chunk (a slow consumer never times the upstream out),
 * errors mapped to AppError with the text streamed so far, and cancellation that reaches the
 * HTTP request at once. The iterator is written by hand rather than as an async generator
 * because a generator's return() waits for its pending await, so a consumer that leaves while
 * the upstream is silent would keep that request open until the next chunk arrived. A wait for
 * a chunk is ended (timeout, abort, the consumer leaving) by aborting the upstream request,
 * which fails the pending read at once: a per-chunk promise wrapping each read to reject it
 * from outside cost ~12 % of the relay's CPU.
 */
export function guardStream(opts: GuardedStreamOptions): AsyncIterable<ChatChunk> {
  return { [Symbol.asyncIterator]: () => guardedIterator(opts) }
}

function guardedIterator(opts: GuardedStreamOptions): AsyncIterator<ChatChunk> {
  const { provider, timeoutMs, signal } = opts
  const upstream = new AbortController()
  let inner: AsyncIterator<ChatChunk> | undefined
  let finished = false
  let partialText = ''
  /** Whether the consumer is waiting for a chunk now. */
  let waiting = false
  // One idle timer for the stream's life. Each wait for a chunk only notes when it began; the
  // timer, when it fires, times the stream out if the current wait is old enough and otherwise
  // sleeps for what is left of it, so a busy stream costs no timer work per chunk (a refresh
  // per chunk was ~5 % of the relay's CPU). It counts only while a chunk is awaited.
  let timer: ReturnType<typeof setTimeout> | undefined
  let waitingSince = 0
  let timedOut = false
  const onIdle = (): void => {
    timer = undefined
    if (!waiting || finished) return
    const left = waitingSince + timeoutMs - performance.now()
    if (left > 1) return void (timer = setTimeout(onIdle, left))
    timedOut = true
    upstream.abort()
  }

  const finish = (abortUpstream: boolean): void => {
    if (finished) return
    finished = true
    clearTimeout(timer)
    signal?.removeEventListener('abort', onAbort)
    if (abortUpstream) {
      upstream.abort(signal?.aborted ? abortReason(signal) : undefined)
      inner?.return?.().catch(() => {})
    }
  }
  const onAbort = (): void => finish(true)
  signal?.addEventListener('abort', onAbort, { once: true })

  const done = (): IteratorResult<ChatChunk> => ({ done: true, value: undefined })

  return {
    async next() {
      if (signal?.aborted) {
        finish(true)
        throw abortReason(signal)
      }
      if (finished) return done()
      inner ??= opts.open(upstream.signal)[Symbol.asyncIterator]()
      const step = inner.next()
      waitingSince = performance.now()
      waiting = true
      timer ??= setTimeout(onIdle, timeoutMs)
      try {
        const result = await step
        // A chunk that won the race with an abort, a timeout or the consumer's leaving.
        if (signal?.aborted || timedOut || finished) throw new Error('interrupted')
        if (result.done) {
          finish(false)
          return done()
        }
        if (result.value.type === 'text') partialText += result.value.text
        return result
      } catch (error) {
        if (signal?.aborted) {
          finish(true)
          throw abortReason(signal)
        }
        if (timedOut) {
          finish(true)
          throw upstreamTimeout(provider, timeoutMs, partialText)
        }
        // The consumer called return() while this chunk was pending: end quietly.
        if (finished) return done()
        finish(true)
        throw upstreamFailure(provider, error, partialText)
      } finally {
        waiting = false
      }
    },
    async return() {
      finish(true)
      return done()
    },
    async throw(error?: unknown) {
      finish(true)
      throw error
    },
  }
}

/** Drains a chat stream into the whole text and its usage; errors are the stream's own. */
export async function collectStream(
  stream: AsyncIterable<ChatChunk>,
): Promise<{ text: string; usage: ChatUsage }> {
  let text = ''
  let usage: ChatUsage = { promptTokens: 0, completionTokens: 0 }
  for await (const chunk of stream) {
    if (chunk.type === 'text') text += chunk.text
    else usage = { promptTokens: chunk.promptTokens, completionTokens: chunk.completionTokens }
  }
  return { text, usage }
}
