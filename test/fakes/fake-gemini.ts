import {
  type FakeScript,
  type FakeServer,
  type RecordedRequest,
  type ScriptInput,
  abortableDelay,
  chunkText,
  createFakeState,
  estimatePromptTokens,
  fakeVector,
  json,
  pacedStream,
} from './fake-script'

const ROUTE = /^\/([^/]+)\/models\/([^/:]+):([A-Za-z]+)$/

/**
 * A fake Gemini API server speaking the real wire format of the endpoints huddle uses:
 * `POST /{version}/models/{model}:streamGenerateContent?alt=sse` (SSE frames of
 * `GenerateContentResponse`), `:generateContent`, `:batchEmbedContents` (honouring
 * `outputDimensionality`), function calls when the request declares functions, and errors as
 * `{"error":{"code","message","status"}}`. Any API version is accepted and recorded in the path.
 */
export function startFakeGemini(opts: { script?: ScriptInput; defaultEmbeddingDim?: number } = {}): FakeServer {
  const state = createFakeState()
  if (opts.script) state.setScript(opts.script)
  const defaultDim = opts.defaultEmbeddingDim ?? 768
  let sequence = 0

  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    idleTimeout: 0,
    async fetch(req) {
      const recorded = await state.record(req)
      const script = state.scriptFor(recorded)
      const route = ROUTE.exec(recorded.path)
      if (req.method !== 'POST' || !route) return errorResponse(404, `Unknown path ${recorded.path}`)
      if (script.errorStatus) return errorResponse(script.errorStatus, script.errorMessage)
      const model = route[2] as string
      switch (route[3]) {
        case 'streamGenerateContent':
          return generate(req, recorded, script, model, true, `fake-response-${++sequence}`)
        case 'generateContent':
          return generate(req, recorded, script, model, false, `fake-response-${++sequence}`)
        case 'batchEmbedContents':
          return batchEmbed(recorded, script)
        default:
          return errorResponse(404, `Unknown method ${route[3]}`)
      }
    },
  })

  async function generate(
    req: Request,
    recorded: RecordedRequest,
    script: FakeScript,
    model: string,
    streamed: boolean,
    responseId: string,
  ) {
    const body = recorded.body ?? {}
    const declarations: { name?: string }[] = (Array.isArray(body.tools) ? body.tools : []).flatMap(
      (t: { functionDeclarations?: { name?: string }[] }) => t.functionDeclarations ?? [],
    )
    const functionCall =
      declarations.length > 0 && body.toolConfig?.functionCallingConfig?.mode !== 'NONE'
        ? (script.toolCall ?? { name: String(declarations[0]?.name ?? ''), arguments: {} })
        : undefined
    const promptTokenCount = script.usage?.promptTokens ?? estimatePromptTokens([body.contents, body.systemInstruction])
    const candidatesTokenCount = script.usage?.completionTokens ?? (script.text.match(/\S+/g) ?? []).length
    const fullUsage = {
      promptTokenCount,
      candidatesTokenCount,
      totalTokenCount: promptTokenCount + candidatesTokenCount,
    }
    const response = (parts: unknown[], last: boolean) => ({
      candidates: [
        { content: { parts, role: 'model' }, index: 0, ...(last ? { finishReason: 'STOP' } : {}) },
      ],
      usageMetadata: last ? fullUsage : { promptTokenCount, totalTokenCount: promptTokenCount },
      modelVersion: model,
      responseId,
    })
    const onAbort = state.abortTracker()

    if (!streamed) {
      if (!(await abortableDelay(script.firstChunkDelayMs, req.signal))) {
        onAbort()
        return new Response(null, { status: 499 })
      }
      if (script.failAfterChunks !== undefined) return errorResponse(500, script.errorMessage)
      const parts = functionCall
        ? [{ functionCall: { name: functionCall.name, args: functionCall.arguments } }]
        : [{ text: script.text }]
      return json(response(parts, true))
    }

    const texts = functionCall ? [] : chunkText(script.text, script.tokensPerChunk)
    const frame = (value: unknown) => `data: ${JSON.stringify(value)}\r\n\r\n`
    // Gemini marks the last chunk itself (finishReason, full usage) rather than sending a trailer.
    const chunkFrames = functionCall
      ? [frame(response([{ functionCall: { name: functionCall.name, args: functionCall.arguments } }], true))]
      : texts.map((text, i) => frame(response([{ text }], i === texts.length - 1)))
    const tailFrames = chunkFrames.length === 0 ? [frame(response([{ text: '' }], true))] : []
    const errorFrame = frame({ error: { code: 500, message: script.errorMessage, status: 'INTERNAL' } })
    const stream = pacedStream({ chunkFrames, tailFrames, errorFrame }, script, req, onAbort)
    return new Response(stream, { headers: { 'content-type': 'text/event-stream' } })
  }

  function batchEmbed(recorded: RecordedRequest, script: FakeScript) {
    const requests: { content?: { parts?: { text?: string }[] }; outputDimensionality?: number }[] = Array.isArray(
      recorded.body?.requests,
    )
      ? recorded.body.requests
      : []
    if (requests.length === 0) return errorResponse(400, '* BatchEmbedContentsRequest.requests: required')
    if (requests.length > 100) return errorResponse(400, 'At most 100 requests can be in one batch.')
    const embeddings = requests.map((r) => {
      const text = (r.content?.parts ?? []).map((p) => p.text ?? '').join('')
      return { values: fakeVector(text, script.embeddingDim ?? r.outputDimensionality ?? defaultDim) }
    })
    return json({ embeddings })
  }

  return {
    url: `http://127.0.0.1:${server.port}`,
    origin: `http://127.0.0.1:${server.port}`,
    requests: state.requests,
    setScript: state.setScript,
    aborted: state.aborted,
    waitForAborts: state.waitForAborts,
    stop: async () => {
      await server.stop(true)
    },
  }
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
}

function errorResponse(status: number, message: string): Response {
  return json({ error: { code: status, message, status: STATUS_NAMES[status] ?? 'UNKNOWN' } }, status)
}
