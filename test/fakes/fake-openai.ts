import {
  type FakeScript,
  type FakeServer,
  type RecordedRequest,
  type ScriptInput,
  chunkText,
  abortableDelay,
  createFakeState,
  estimatePromptTokens,
  fakeVector,
  json,
  pacedStream,
} from './fake-script'

/**
 * A fake OpenAI server speaking the real wire format of the endpoints huddle uses:
 * `POST /v1/chat/completions` (SSE `chat.completion.chunk` frames, the usage chunk when
 * `stream_options.include_usage`, `data: [DONE]`; or one JSON completion; tool calls when the
 * request offers tools) and `POST /v1/embeddings` (`encoding_format` float or base64,
 * `dimensions`). Errors use OpenAI's `{"error":{"message","type","code"}}` body.
 */
export function startFakeOpenAi(opts: { script?: ScriptInput; defaultEmbeddingDim?: number } = {}): FakeServer {
  const state = createFakeState()
  if (opts.script) state.setScript(opts.script)
  const defaultDim = opts.defaultEmbeddingDim ?? 1536
  let sequence = 0

  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    idleTimeout: 0,
    async fetch(req) {
      const recorded = await state.record(req)
      const script = state.scriptFor(recorded)
      if (script.errorStatus) return errorResponse(script.errorStatus, script.errorMessage)
      if (req.method === 'POST' && recorded.path === '/v1/chat/completions') {
        return chatCompletions(req, recorded, script, `chatcmpl-fake-${++sequence}`)
      }
      if (req.method === 'POST' && recorded.path === '/v1/embeddings') {
        return embeddings(recorded, script, defaultDim)
      }
      return errorResponse(404, `Unknown path ${recorded.path}`)
    },
  })

  async function chatCompletions(req: Request, recorded: RecordedRequest, script: FakeScript, id: string) {
    const body = recorded.body ?? {}
    const model = String(body.model ?? 'gpt-4o-mini')
    const created = Math.floor(Date.now() / 1000)
    const tools: { function?: { name?: string } }[] = Array.isArray(body.tools) ? body.tools : []
    const offersTools = tools.length > 0 && body.tool_choice !== 'none'
    const toolCall = offersTools
      ? (script.toolCall ?? { name: String(tools[0]?.function?.name ?? ''), arguments: {} })
      : undefined
    const chunks = chunkText(script.text, script.tokensPerChunk)
    const usage = {
      prompt_tokens: script.usage?.promptTokens ?? estimatePromptTokens(body.messages),
      completion_tokens: script.usage?.completionTokens ?? (script.text.match(/\S+/g) ?? []).length,
    }
    const usageBody = { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens }
    const base = { id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_fake' }
    const onAbort = state.abortTracker()

    if (!body.stream) {
      if (!(await abortableDelay(script.firstChunkDelayMs, req.signal))) {
        onAbort()
        return new Response(null, { status: 499 })
      }
      if (script.failAfterChunks !== undefined) return errorResponse(500, script.errorMessage)
      const message = toolCall
        ? {
            role: 'assistant',
            content: null,
            refusal: null,
            tool_calls: [
              {
                id: 'call_fake_1',
                type: 'function',
                function: { name: toolCall.name, arguments: JSON.stringify(toolCall.arguments) },
              },
            ],
          }
        : { role: 'assistant', content: script.text, refusal: null }
      return json({
        id,
        object: 'chat.completion',
        created,
        model,
        system_fingerprint: 'fp_fake',
        choices: [{ index: 0, message, logprobs: null, finish_reason: toolCall ? 'tool_calls' : 'stop' }],
        usage: usageBody,
      })
    }

    const includeUsage = Boolean(body.stream_options?.include_usage)
    const frame = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({ ...base, choices, ...(includeUsage ? { usage: null } : {}), ...extra })}\n\n`
    const choice = (delta: unknown, finish: string | null = null) => ({
      index: 0,
      delta,
      logprobs: null,
      finish_reason: finish,
    })
    const chunkFrames = toolCall
      ? [
          frame([
            choice({
              role: 'assistant',
              content: null,
              tool_calls: [
                { index: 0, id: 'call_fake_1', type: 'function', function: { name: toolCall.name, arguments: '' } },
              ],
            }),
          ]),
          frame([choice({ tool_calls: [{ index: 0, function: { arguments: JSON.stringify(toolCall.arguments) } }] })]),
        ]
      : chunks.map((text, i) =>
          // OpenAI opens with a role-only delta; it travels with the first text so pacing counts text chunks.
          (i === 0 ? frame([choice({ role: 'assistant', content: '', refusal: null })]) : '') +
          frame([choice({ content: text })]),
        )
    const tailFrames = [
      ...(chunkFrames.length === 0 ? [frame([choice({ role: 'assistant', content: '', refusal: null })])] : []),
      frame([choice({}, toolCall ? 'tool_calls' : 'stop')]),
      ...(includeUsage ? [frame([], { usage: usageBody })] : []),
      'data: [DONE]\n\n',
    ]
    const errorFrame = `data: ${JSON.stringify({
      error: { message: script.errorMessage, type: 'server_error', param: null, code: 'server_error' },
    })}\n\n`
    const stream = pacedStream({ chunkFrames, tailFrames, errorFrame }, script, req, onAbort)
    return new Response(stream, {
      headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' },
    })
  }

  function embeddings(recorded: RecordedRequest, script: FakeScript, fallbackDim: number) {
    const body = recorded.body ?? {}
    const inputs: string[] = typeof body.input === 'string' ? [body.input] : Array.isArray(body.input) ? body.input : []
    if (inputs.length === 0) return errorResponse(400, "'input' is required")
    const dim = script.embeddingDim ?? (typeof body.dimensions === 'number' ? body.dimensions : fallbackDim)
    const base64 = body.encoding_format === 'base64'
    const data = inputs.map((text, index) => {
      const vector = fakeVector(String(text), dim)
      const embedding = base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector
      return { object: 'embedding', index, embedding }
    })
    const tokens = estimatePromptTokens(inputs)
    return json({
      object: 'list',
      data,
      model: String(body.model ?? 'text-embedding-3-small'),
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    })
  }

  return {
    url: `http://127.0.0.1:${server.port}/v1`,
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

function errorResponse(status: number, message: string): Response {
  const type =
    status === 401
      ? 'invalid_api_key'
      : status === 429
        ? 'rate_limit_exceeded'
        : status < 500
          ? 'invalid_request_error'
          : 'server_error'
  return json({ error: { message, type, param: null, code: type } }, status)
}
