/**
 * What the fake OpenAI and Gemini servers share: the per-test script, the request log, the
 * abort counter and the paced stream writer. Both fakes speak their real wire formats; only
 * the frames differ, the pacing and failure rules are the same.
 */

/** How a fake answers. Every field has a default; `setScript` replaces the whole script. */
export interface FakeScript {
  /** The answer text, streamed in pieces of `tokensPerChunk` words (whitespace kept). */
  text: string
  tokensPerChunk: number
  /** Pause between two chunks (a slow stream). */
  chunkDelayMs: number
  /** Pause before the first chunk, or before a non-streamed answer (a slow upstream). */
  firstChunkDelayMs: number
  /** Fail after this many text chunks have been sent (0: before the first one). */
  failAfterChunks?: number
  /** How a stream fails: an error event in the wire format, or a dropped connection. */
  failMode: 'error-event' | 'disconnect'
  /** Answer every request with this HTTP status and the provider's error body. */
  errorStatus?: number
  errorMessage: string
  /** The tool call to return when the request offers tools (default: the first tool, no arguments). */
  toolCall?: { name: string; arguments: Record<string, unknown> }
  /** Embedding size to answer whatever the request asks (a server that ignores `dimensions`). */
  embeddingDim?: number
  /** Usage to report (default: prompt chars / 4 and one token per streamed word). */
  usage?: { promptTokens: number; completionTokens: number }
}

/** A script, or a function choosing one per request (e.g. by path or by the presence of tools). */
export type ScriptInput = Partial<FakeScript> | ((request: RecordedRequest) => Partial<FakeScript>)

/** One request as the fake received it. */
export interface RecordedRequest {
  method: string
  path: string
  query: Record<string, string>
  headers: Record<string, string>
  /** The parsed JSON body, or the raw text when it is not JSON. */
  body: any
}

/** The handle a test holds on a running fake. */
export interface FakeServer {
  /** The base URL to give the SDK (`…/v1` for OpenAI, the bare origin for Gemini). */
  readonly url: string
  readonly origin: string
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[]
  setScript(script: ScriptInput): void
  /** How many responses the client abandoned before they were complete. */
  aborted(): number
  /** Resolves once `aborted()` reaches `count`; rejects after `timeoutMs`. */
  waitForAborts(count?: number, timeoutMs?: number): Promise<void>
  stop(): Promise<void>
}

/** The defaults a script starts from. */
export const DEFAULT_SCRIPT: FakeScript = {
  text: 'Hello from the fake model. It streams a few words at a time.',
  tokensPerChunk: 2,
  chunkDelayMs: 0,
  firstChunkDelayMs: 0,
  failMode: 'error-event',
  errorMessage: 'The fake upstream failed.',
}

/** `n` words separated by spaces, for fixed-length streams (benchmarks, long answers). */
export function repeatedText(n: number, word = 'token'): string {
  return Array.from({ length: n }, (_, i) => `${word}${i}`).join(' ')
}

/** The text split into chunks of `perChunk` words; concatenated they give back the text. */
export function chunkText(text: string, perChunk: number): string[] {
  const tokens = text.match(/\s*\S+\s*/g) ?? (text ? [text] : [])
  const chunks: string[] = []
  const size = Math.max(1, perChunk)
  for (let i = 0; i < tokens.length; i += size) chunks.push(tokens.slice(i, i + size).join(''))
  return chunks
}

/** A deterministic unit vector for a text, so tests can tell embeddings apart and compare them. */
export function fakeVector(text: string, dim: number): number[] {
  let seed = 2166136261
  for (let i = 0; i < text.length; i++) seed = Math.imul(seed ^ text.charCodeAt(i), 16777619) >>> 0
  const values = Array.from({ length: dim }, (_, i) => Math.sin(seed + i * 1.618) + 0.001)
  const norm = Math.sqrt(values.reduce((s, x) => s + x * x, 0))
  // Rounded through Float32 so base64 and float answers carry exactly the same numbers.
  return values.map((x) => Math.fround(x / norm))
}

/** Rough prompt tokens of a request body: four characters a token over every string in it. */
export function estimatePromptTokens(body: unknown): number {
  let chars = 0
  const walk = (v: unknown): void => {
    if (typeof v === 'string') chars += v.length
    else if (Array.isArray(v)) v.forEach(walk)
    else if (v && typeof v === 'object') Object.values(v).forEach(walk)
  }
  walk(body)
  return Math.max(1, Math.ceil(chars / 4))
}

/** Shared bookkeeping of a fake: script resolution, the request log and abort counting. */
export function createFakeState() {
  let input: ScriptInput = {}
  let abortCount = 0
  const requests: RecordedRequest[] = []
  return {
    requests,
    setScript(next: ScriptInput) {
      input = next
    },
    scriptFor(request: RecordedRequest): FakeScript {
      const patch = typeof input === 'function' ? input(request) : input
      return { ...DEFAULT_SCRIPT, ...patch }
    },
    async record(req: Request): Promise<RecordedRequest> {
      const url = new URL(req.url)
      const text = await req.text()
      let body: unknown = text
      try {
        body = text ? JSON.parse(text) : undefined
      } catch {
        body = text
      }
      const recorded: RecordedRequest = {
        method: req.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: Object.fromEntries(req.headers),
        body,
      }
      requests.push(recorded)
      return recorded
    },
    /** Returns a callback that counts this response as aborted at most once. */
    abortTracker(): () => void {
      let counted = false
      return () => {
        if (counted) return
        counted = true
        abortCount++
      }
    },
    aborted: () => abortCount,
    async waitForAborts(count = 1, timeoutMs = 3000): Promise<void> {
      const deadline = Date.now() + timeoutMs
      while (abortCount < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} aborted responses, saw ${abortCount}`)
        await Bun.sleep(5)
      }
    },
  }
}

/** What a paced stream writes: one frame per text chunk, then the closing frames. */
export interface StreamPlan {
  chunkFrames: string[]
  tailFrames: string[]
  /** The frame that reports a mid-stream failure in the provider's wire format. */
  errorFrame: string
}

/**
 * A response body that writes the plan at the script's pace. It counts an abort when the
 * client goes away before the last frame (body cancelled or request signal aborted), and
 * stops writing at once so a cancelled test leaves nothing running.
 */
export function pacedStream(
  plan: StreamPlan,
  script: FakeScript,
  request: Request,
  onAbort: () => void,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  let finished = false
  let wake: (() => void) | undefined
  const abandon = (): void => {
    if (finished) return
    finished = true
    onAbort()
    wake?.()
  }
  request.signal.addEventListener('abort', abandon, { once: true })
  const sleep = (ms: number): Promise<void> =>
    ms <= 0
      ? Promise.resolve()
      : new Promise((resolve) => {
          const timer = setTimeout(resolve, ms)
          wake = () => {
            clearTimeout(timer)
            resolve()
          }
        })

  async function* frames(): AsyncGenerator<string | Error> {
    await sleep(script.firstChunkDelayMs)
    for (let i = 0; i < plan.chunkFrames.length; i++) {
      if (i > 0) await sleep(script.chunkDelayMs)
      if (script.failAfterChunks === i) {
        yield script.failMode === 'disconnect' ? new Error('fake disconnect') : plan.errorFrame
        return
      }
      yield plan.chunkFrames[i] as string
    }
    if (script.failAfterChunks !== undefined && script.failAfterChunks >= plan.chunkFrames.length) {
      yield script.failMode === 'disconnect' ? new Error('fake disconnect') : plan.errorFrame
      return
    }
    for (const frame of plan.tailFrames) yield frame
  }
  const source = frames()

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (finished) return
      const next = await source.next()
      if (finished) return
      if (next.done) {
        finished = true
        controller.close()
      } else if (next.value instanceof Error) {
        finished = true
        // Erroring the body drops what is still buffered; give the frames already written a
        // moment to leave, as they would have over a real connection that broke afterwards.
        await Bun.sleep(30)
        controller.error()
      } else {
        controller.enqueue(encoder.encode(next.value))
      }
    },
    cancel() {
      abandon()
    },
  })
}

/** JSON response with the given status. */
export function json(body: unknown, status = 200): Response {
  return Response.json(body, { status })
}

/** Waits `ms`, or less if the request is abandoned; false when it was. */
export function abortableDelay(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false)
  if (ms <= 0) return Promise.resolve(true)
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(true), ms)
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer)
        resolve(false)
      },
      { once: true },
    )
  })
}
