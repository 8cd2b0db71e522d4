import OpenAI from 'openai'
import { AppError } from '../../../platform/errors'
import { abortReason, upstreamFailure, upstreamTimeout, withDeadline } from '../abort'
import { decodeBase64Floats, inBatches, unitVector } from '../embedding-vectors'
import { collectStream, guardStream } from '../guarded-stream'
import { SseParser, type SseEvent } from '../sse-decoder'
import { createSocketFetch } from '../socket-fetch'
import { conversationTurns, systemText } from '../prompt'
import { estimateTokens } from '../text-features'
import type { ChatChunk, ChatProvider, ChatRequest, ChatMessage, Embedder, ToolChoiceRequest } from '../types'

/** Connection settings of an OpenAI-compatible server (OpenAI itself, Ollama, vLLM, llama.cpp). */
export interface OpenAiConnection {
  apiKey?: string
  baseURL?: string
  /** SDK retries of failed requests before any byte was streamed; 1 unless given. */
  maxRetries?: number
}

/** One pool of kept-alive connections for every OpenAI client of the process (see socket-fetch.ts). */
const socketFetch = createSocketFetch()

/**
 * The SDK client; a server without keys (a local model) gets a stand-in key the SDK insists on.
 * Its requests go over huddle's socket fetch, which reads a streamed answer for a third less
 * CPU per chunk than the global fetch.
 */
export function createOpenAiClient(conn: OpenAiConnection): OpenAI {
  return new OpenAI({
    apiKey: conn.apiKey ?? 'not-needed',
    baseURL: conn.baseURL,
    maxRetries: conn.maxRetries ?? 1,
    fetch: socketFetch,
  })
}

type OpenAiMessage = { role: 'system' | 'user' | 'assistant'; content: string }

function toOpenAiMessages(req: { system?: string; messages: ChatMessage[]; grounding?: ChatRequest['grounding'] }) {
  const system = systemText(req)
  const turns: OpenAiMessage[] = conversationTurns(req.messages).map((m) => ({ role: m.role, content: m.content }))
  return system ? [{ role: 'system' as const, content: system }, ...turns] : turns
}

/** Rethrows aborts as they are and maps everything else to AppError. */
function failure(error: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return abortReason(signal)
  return upstreamFailure('openai', error)
}

/**
 * Chat through the official `openai` SDK: streamed completions with `include_usage` (usage is
 * estimated when a compatible server sends none), and tool choice through function calling
 * with `tool_choice: "required"`. Grounding goes into the system prompt.
 */
export function createOpenAiChat(deps: OpenAiConnection & { model?: string; timeoutMs: number; client?: OpenAI }): ChatProvider {
  const client = deps.client ?? createOpenAiClient(deps)
  const model = deps.model ?? 'gpt-4o-mini'

  async function* open(req: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatChunk> {
    const messages = toOpenAiMessages(req)
    // The SDK sends the request (auth, retries before the first byte, an error status as its
    // APIError); the event stream is read with SseParser, a third cheaper per chunk than the
    // SDK's iterator, with the SDK's rules: `[DONE]` ends the data, an `error` ends the stream.
    const response = await client.chat.completions
      .create(
        {
          model,
          messages,
          stream: true,
          stream_options: { include_usage: true },
          ...(req.maxTokens === undefined ? {} : { max_tokens: req.maxTokens }),
          ...(req.temperature === undefined ? {} : { temperature: req.temperature }),
        },
        { signal },
      )
      .asResponse()
    if (!response.body) throw new Error('The AI provider answered a stream request without a body')
    let text = ''
    let usage: { prompt_tokens: number; completion_tokens: number } | undefined
    let ended = false
    /** The text of one event; throws on an error event. */
    const textOf = (event: SseEvent): string | undefined => {
      if (ended) return undefined
      if (event.data.startsWith('[DONE]')) {
        ended = true
        return undefined
      }
      const chunk = JSON.parse(event.data) as OpenAI.Chat.Completions.ChatCompletionChunk & { error?: { message?: string } }
      if (chunk.error || event.event === 'error') throw new Error(`stream error: ${chunk.error?.message ?? event.data}`)
      if (chunk.usage) usage = chunk.usage
      return chunk.choices?.[0]?.delta?.content || undefined
    }
    // The body is read here, not through the sseEvents generator: one async iterator fewer
    // per relayed chunk.
    const reader = response.body.getReader()
    const parser = new SseParser()
    let read = false
    try {
      while (!read) {
        const { done, value } = await reader.read()
        read = done
        for (const event of done ? parser.end() : parser.push(value)) {
          const delta = textOf(event)
          if (!delta) continue
          text += delta
          yield { type: 'text', text: delta }
        }
      }
    } finally {
      if (!read) await reader.cancel().catch(() => {})
      reader.releaseLock()
    }
    yield {
      type: 'usage',
      promptTokens: usage?.prompt_tokens ?? messages.reduce((n, m) => n + estimateTokens(m.content), 0),
      completionTokens: usage?.completion_tokens ?? estimateTokens(text),
    }
  }

  const stream = (req: ChatRequest): AsyncIterable<ChatChunk> =>
    guardStream({
      provider: 'openai',
      timeoutMs: req.timeoutMs ?? deps.timeoutMs,
      signal: req.signal,
      open: (signal) => open(req, signal),
    })

  async function chooseTool(req: ToolChoiceRequest) {
    const timeoutMs = req.timeoutMs ?? deps.timeoutMs
    try {
      const completion = await withDeadline(
        (signal) =>
          client.chat.completions.create(
            {
              model,
              messages: toOpenAiMessages(req),
              tools: req.tools.map((t) => ({
                type: 'function' as const,
                function: {
                  name: t.name,
                  description: t.description,
                  parameters: t.parameters ?? { type: 'object', properties: {} },
                },
              })),
              tool_choice: 'required',
            },
            { signal },
          ),
        { signal: req.signal, timeoutMs, onTimeout: () => upstreamTimeout('openai', timeoutMs) },
      )
      const call = completion.choices[0]?.message?.tool_calls?.find((c) => c.type === 'function')
      if (!call || call.type !== 'function') {
        throw new AppError('UPSTREAM_FAILED', 'The AI provider chose no tool', { details: { provider: 'openai' } })
      }
      return { tool: call.function.name, arguments: parseArguments(call.function.arguments) }
    } catch (error) {
      throw failure(error, req.signal)
    }
  }

  return {
    name: 'openai',
    model,
    stream,
    complete: (req) => collectStream(stream(req)),
    chooseTool,
  }
}

function parseArguments(raw: string): Record<string, unknown> {
  try {
    const parsed: unknown = raw ? JSON.parse(raw) : {}
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>
  } catch {
    // Malformed arguments are the model's mistake; the flow fills what it needs from the message.
  }
  return {}
}

/**
 * Embeddings through the `openai` SDK, `dimensions` set to the configured size and sent in
 * batches. The encoding is requested explicitly (base64 by default, as OpenAI's own clients
 * do) so the SDK leaves decoding to us, and a server that ignores the option and answers
 * float arrays is still read correctly.
 */
export function createOpenAiEmbedder(
  deps: OpenAiConnection & {
    model?: string
    dim: number
    timeoutMs: number
    batchSize?: number
    encodingFormat?: 'base64' | 'float'
    client?: OpenAI
  },
): Embedder {
  const client = deps.client ?? createOpenAiClient(deps)
  const model = deps.model ?? 'text-embedding-3-small'
  const encodingFormat = deps.encodingFormat ?? 'base64'

  async function embedBatch(batch: string[], signal: AbortSignal | undefined): Promise<number[][]> {
    const response = await withDeadline(
      (inner) =>
        client.embeddings.create(
          // OpenAI refuses empty inputs; a blank stands in so positions stay aligned.
          { model, input: batch.map((t) => t || ' '), dimensions: deps.dim, encoding_format: encodingFormat },
          { signal: inner },
        ),
      { signal, timeoutMs: deps.timeoutMs, onTimeout: () => upstreamTimeout('openai', deps.timeoutMs) },
    )
    const items = [...response.data].sort((a, b) => a.index - b.index)
    if (items.length !== batch.length) {
      throw new AppError('UPSTREAM_FAILED', 'The AI provider returned a different number of embeddings', {
        details: { provider: 'openai', expected: batch.length, received: items.length },
      })
    }
    return items.map((item) => {
      const raw = item.embedding as unknown
      const values = typeof raw === 'string' ? decodeBase64Floats(raw) : (raw as number[])
      return unitVector(values, deps.dim, 'openai')
    })
  }

  return {
    name: 'openai',
    model,
    dim: deps.dim,
    async embed(texts, signal) {
      const vectors: number[][] = []
      try {
        for (const batch of inBatches(texts, deps.batchSize ?? 100)) vectors.push(...(await embedBatch(batch, signal)))
      } catch (error) {
        throw failure(error, signal)
      }
      return vectors
    },
  }
}
