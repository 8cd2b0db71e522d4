import { isAppError } from '../../platform/errors'
import { streamBody } from './stream-body'
import type { ChatChunk, ChatUsage } from './types'

/** Why a step or message ended, as the AI SDK names it. */
export type FinishReason = 'stop' | 'length' | 'content-filter' | 'tool-calls' | 'error' | 'other' | 'unknown'

/** One part of the Vercel AI SDK data stream protocol (v1), as huddle produces them. */
export type DataStreamPart =
  | { type: 'start'; messageId: string }
  | { type: 'text'; text: string }
  | { type: 'data'; data: unknown[] }
  | { type: 'error'; message: string }
  | { type: 'annotations'; annotations: unknown[] }
  | { type: 'finish-step'; finishReason: FinishReason; usage: ChatUsage; isContinued?: boolean }
  | { type: 'finish'; finishReason: FinishReason; usage: ChatUsage }

/** The headers of a data stream response; `x-vercel-ai-data-stream: v1` is what `useChat` checks. */
export const DATA_STREAM_HEADERS: Record<string, string> = {
  'content-type': 'text/plain; charset=utf-8',
  'x-vercel-ai-data-stream': 'v1',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
}

/** One protocol line, `{code}:{json}\n`, exactly as `@ai-sdk/ui-utils` parses it. */
export function encodeDataStreamPart(part: DataStreamPart): string {
  switch (part.type) {
    case 'start':
      return `f:${JSON.stringify({ messageId: part.messageId })}\n`
    case 'text':
      return `0:${JSON.stringify(part.text)}\n`
    case 'data':
      return `2:${JSON.stringify(part.data)}\n`
    case 'error':
      return `3:${JSON.stringify(part.message)}\n`
    case 'annotations':
      return `8:${JSON.stringify(part.annotations)}\n`
    case 'finish-step':
      return `e:${JSON.stringify({
        finishReason: part.finishReason,
        usage: part.usage,
        isContinued: part.isContinued ?? false,
      })}\n`
    case 'finish':
      return `d:${JSON.stringify({ finishReason: part.finishReason, usage: part.usage })}\n`
  }
}

/** The message a client may see for a failure: an AppError's own message, else a generic one. */
export function publicErrorMessage(error: unknown): string {
  return isAppError(error) ? error.message : 'An error occurred.'
}

/** Options of `dataStreamResponse`. */
export interface DataStreamResponseOptions {
  /** Ends the stream (and closes `parts`) when it aborts; pass the request's signal. */
  signal?: AbortSignal
  headers?: Record<string, string>
  /** The error text to send as a `3:` part when `parts` throws; `publicErrorMessage` unless given. */
  onError?: (error: unknown) => string
}

/**
 * A streaming response in the data stream protocol. A failure of `parts` becomes a final
 * `3:"message"` line (never a stack or an upstream's own words); a client that disconnects
 * closes `parts` at once, as `sseResponse` does.
 */
export function dataStreamResponse(parts: AsyncIterable<DataStreamPart>, opts: DataStreamResponseOptions = {}): Response {
  const body = streamBody(parts, {
    encode: encodeDataStreamPart,
    signal: opts.signal,
    onError: (error) => encodeDataStreamPart({ type: 'error', message: (opts.onError ?? publicErrorMessage)(error) }),
  })
  return new Response(body, { headers: { ...DATA_STREAM_HEADERS, ...opts.headers } })
}

/**
 * The parts of one streamed answer: start, the annotations (e.g. sources, known before the
 * model speaks, so a client can show them while the text streams), the text deltas, then finish-step and finish with the provider's usage. `onFinish` sees the whole text
 * before the finish parts go out, so a caller can store the message first.
 */
export async function* chatDataStreamParts(
  chunks: AsyncIterable<ChatChunk>,
  opts: { messageId: string; annotations?: unknown[]; onFinish?: (text: string, usage: ChatUsage) => Promise<void> | void },
): AsyncGenerator<DataStreamPart> {
  yield { type: 'start', messageId: opts.messageId }
  if (opts.annotations?.length) yield { type: 'annotations', annotations: opts.annotations }
  let text = ''
  let usage: ChatUsage = { promptTokens: 0, completionTokens: 0 }
  for await (const chunk of chunks) {
    if (chunk.type === 'text') {
      text += chunk.text
      yield { type: 'text', text: chunk.text }
    } else {
      usage = { promptTokens: chunk.promptTokens, completionTokens: chunk.completionTokens }
    }
  }
  await opts.onFinish?.(text, usage)
  yield { type: 'finish-step', finishReason: 'stop', usage, isContinued: false }
  yield { type: 'finish', finishReason: 'stop', usage }
}
