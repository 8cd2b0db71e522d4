import { type Content, FunctionCallingConfigMode, GoogleGenAI } from '@google/genai'
import { AppError } from '../../../platform/errors'
import { abortReason, upstreamFailure, upstreamTimeout, withDeadline } from '../abort'
import { inBatches, unitVector } from '../embedding-vectors'
import { collectStream, guardStream } from '../guarded-stream'
import { conversationTurns, systemText } from '../prompt'
import { estimateTokens } from '../text-features'
import type { ChatChunk, ChatMessage, ChatProvider, ChatRequest, Embedder, ToolChoiceRequest } from '../types'

/** Connection settings of the Gemini API (or a proxy or fake speaking its wire format). */
export interface GeminiConnection {
  apiKey?: string
  /** Replaces https://generativelanguage.googleapis.com; the API version is appended to it. */
  baseURL?: string
  /**
   * The API path version. @google/genai 3.x defaults to `v1`; huddle pins `v1beta`, where
   * system instructions, function calling with JSON schemas and `outputDimensionality` are
   * all documented.
   */
  apiVersion?: string
}

/** The SDK client pointed at `baseURL` through `httpOptions.baseUrl`. */
export function createGeminiClient(conn: GeminiConnection): GoogleGenAI {
  return new GoogleGenAI({
    // Explicit, so GOOGLE_GENAI_USE_VERTEXAI in the environment cannot reroute the calls.
    vertexai: false,
    apiKey: conn.apiKey ?? 'not-needed',
    httpOptions: {
      apiVersion: conn.apiVersion ?? 'v1beta',
      ...(conn.baseURL ? { baseUrl: conn.baseURL } : {}),
    },
  })
}

function toContents(messages: ChatMessage[]): Content[] {
  return conversationTurns(messages).map((m) => ({
    role: m.role === 'assistant' ? 'model' : 'user',
    parts: [{ text: m.content }],
  }))
}

function failure(error: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return abortReason(signal)
  return upstreamFailure('gemini', error)
}

/**
 * Chat through Google's `@google/genai` SDK: `:streamGenerateContent?alt=sse` for answers
 * (usage from the last `usageMetadata`, estimated when absent), and tool choice through
 * function declarations with function calling mode ANY. Grounding goes into the system
 * instruction; assistant turns become `model` turns.
 */
export function createGeminiChat(
  deps: GeminiConnection & { model?: string; timeoutMs: number; client?: GoogleGenAI },
): ChatProvider {
  const ai = deps.client ?? createGeminiClient(deps)
  const model = deps.model ?? 'gemini-2.0-flash'

  async function* open(req: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatChunk> {
    const system = systemText(req)
    const contents = toContents(req.messages)
    const stream = await ai.models.generateContentStream({
      model,
      contents,
      config: {
        ...(system ? { systemInstruction: system } : {}),
        ...(req.maxTokens === undefined ? {} : { maxOutputTokens: req.maxTokens }),
        ...(req.temperature === undefined ? {} : { temperature: req.temperature }),
        abortSignal: signal,
      },
    })
    let text = ''
    let promptTokens: number | undefined
    let completionTokens: number | undefined
    for await (const chunk of stream) {
      const parts = chunk.candidates?.[0]?.content?.parts ?? []
      // Thought summaries are the model's reasoning, not part of the answer.
      const delta = parts
        .filter((p) => typeof p.text === 'string' && !p.thought)
        .map((p) => p.text)
        .join('')
      if (delta) {
        text += delta
        yield { type: 'text', text: delta }
      }
      promptTokens = chunk.usageMetadata?.promptTokenCount ?? promptTokens
      completionTokens = chunk.usageMetadata?.candidatesTokenCount ?? completionTokens
    }
    yield {
      type: 'usage',
      promptTokens: promptTokens ?? estimateTokens(system ?? '') + contents.reduce((n, c) => n + estimateTokens(c.parts?.[0]?.text ?? ''), 0),
      completionTokens: completionTokens ?? estimateTokens(text),
    }
  }

  const stream = (req: ChatRequest): AsyncIterable<ChatChunk> =>
    guardStream({
      provider: 'gemini',
      timeoutMs: req.timeoutMs ?? deps.timeoutMs,
      signal: req.signal,
      open: (signal) => open(req, signal),
    })

  async function chooseTool(req: ToolChoiceRequest) {
    const timeoutMs = req.timeoutMs ?? deps.timeoutMs
    const system = systemText(req)
    try {
      const response = await withDeadline(
        (signal) =>
          ai.models.generateContent({
            model,
            contents: toContents(req.messages),
            config: {
              ...(system ? { systemInstruction: system } : {}),
              tools: [
                {
                  functionDeclarations: req.tools.map((t) => ({
                    name: t.name,
                    description: t.description,
                    parametersJsonSchema: t.parameters ?? { type: 'object', properties: {} },
                  })),
                },
              ],
              toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY } },
              abortSignal: signal,
            },
          }),
        { signal: req.signal, timeoutMs, onTimeout: () => upstreamTimeout('gemini', timeoutMs) },
      )
      const call = response.functionCalls?.[0]
      if (!call?.name) {
        throw new AppError('UPSTREAM_FAILED', 'The AI provider chose no tool', { details: { provider: 'gemini' } })
      }
      return { tool: call.name, arguments: { ...(call.args ?? {}) } }
    } catch (error) {
      throw failure(error, req.signal)
    }
  }

  return {
    name: 'gemini',
    model,
    stream,
    complete: (req) => collectStream(stream(req)),
    chooseTool,
  }
}

/**
 * Embeddings through `models.embedContent`, which the SDK sends as `:batchEmbedContents`
 * (at most 100 texts a request) with `outputDimensionality` set to the configured size.
 * Gemini does not normalise truncated vectors, so they are scaled to unit length here.
 */
export function createGeminiEmbedder(
  deps: GeminiConnection & { model?: string; dim: number; timeoutMs: number; batchSize?: number; client?: GoogleGenAI },
): Embedder {
  const ai = deps.client ?? createGeminiClient(deps)
  const model = deps.model ?? 'gemini-embedding-001'
  const batchSize = Math.min(100, deps.batchSize ?? 100)

  async function embedBatch(batch: string[], signal: AbortSignal | undefined): Promise<number[][]> {
    const response = await withDeadline(
      (inner) =>
        ai.models.embedContent({
          model,
          contents: batch.map((text) => ({ role: 'user', parts: [{ text: text || ' ' }] })),
          config: { outputDimensionality: deps.dim, abortSignal: inner },
        }),
      { signal, timeoutMs: deps.timeoutMs, onTimeout: () => upstreamTimeout('gemini', deps.timeoutMs) },
    )
    const embeddings = response.embeddings ?? []
    if (embeddings.length !== batch.length) {
      throw new AppError('UPSTREAM_FAILED', 'The AI provider returned a different number of embeddings', {
        details: { provider: 'gemini', expected: batch.length, received: embeddings.length },
      })
    }
    return embeddings.map((e) => unitVector(e.values ?? [], deps.dim, 'gemini'))
  }

  return {
    name: 'gemini',
    model,
    dim: deps.dim,
    async embed(texts, signal) {
      const vectors: number[][] = []
      try {
        for (const batch of inBatches(texts, batchSize)) vectors.push(...(await embedBatch(batch, signal)))
      } catch (error) {
        throw failure(error, signal)
      }
      return vectors
    },
  }
}
