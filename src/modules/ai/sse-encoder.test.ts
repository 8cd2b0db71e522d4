import { afterAll, describe, expect, test } from 'bun:test'
import { startFakeOpenAi } from '../../../test/fakes/fake-openai'
import { AppError } from '../../platform/errors'
import { createOpenAiChat } from './providers/openai-provider'
import { encodeSseEvent, sseResponse } from './sse-encoder'

async function* fromArray<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item
}

/** An iterable whose items the test releases one by one, recording whether return() was called. */
function controlledSource() {
  const waiting: ((value: IteratorResult<object>) => void)[] = []
  const state = { returned: false }
  const iterator: AsyncIterator<object> = {
    next: () => new Promise((resolve) => waiting.push(resolve)),
    async return() {
      state.returned = true
      for (const resolve of waiting.splice(0)) resolve({ done: true, value: undefined })
      return { done: true, value: undefined }
    },
  }
  const asked = async (): Promise<(value: IteratorResult<object>) => void> => {
    while (waiting.length === 0) await Bun.sleep(1)
    return waiting.shift() as (value: IteratorResult<object>) => void
  }
  return {
    iterable: { [Symbol.asyncIterator]: () => iterator },
    state,
    /** Hands `value` to the stream as soon as it asks for the next item. */
    push: async (value: object) => (await asked())({ done: false, value }),
    end: async () => (await asked())({ done: true, value: undefined }),
  }
}

async function readUntil(reader: { read(): Promise<{ value?: unknown; done?: boolean }> }, marker: string): Promise<string> {
  const decoder = new TextDecoder()
  let text = ''
  while (!text.includes(marker)) {
    const { value, done } = await reader.read()
    if (done) break
    text += decoder.decode(value as Uint8Array, { stream: true })
  }
  return text
}

describe('sse encoder', () => {
  test('encodes each event as one data line and sets the streaming headers', async () => {
    const response = sseResponse(fromArray([{ type: 'start' }, { type: 'text', content: '두 줄\n짜리' }]), {
      headers: { 'x-request-id': 'r1' },
    })
    expect(await response.text()).toBe('data: {"type":"start"}\n\ndata: {"type":"text","content":"두 줄\\n짜리"}\n\n')
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform')
    expect(response.headers.get('x-accel-buffering')).toBe('no')
    expect(response.headers.get('connection')).toBe('keep-alive')
    expect(response.headers.get('x-request-id')).toBe('r1')
    expect(encodeSseEvent({ a: 1 })).toBe('data: {"a":1}\n\n')
  })

  test('writes heartbeat comments while the source is idle', async () => {
    const source = controlledSource()
    const reader = sseResponse(source.iterable, { heartbeatMs: 10 }).body!.getReader()
    const idle = await readUntil(reader, ': ping\n\n')
    expect(idle.startsWith(': ping\n\n')).toBe(true)
    await source.push({ n: 1 })
    const after = await readUntil(reader, 'data: ')
    expect(after.replaceAll(': ping\n\n', '')).toBe('data: {"n":1}\n\n')
    await source.end()
    await reader.cancel()
  })

  test('a cancelled body closes the source at once, even while it is waiting', async () => {
    const source = controlledSource()
    const reader = sseResponse(source.iterable, { heartbeatMs: 0 }).body!.getReader()
    const pending = reader.read()
    await source.push({ n: 1 })
    expect(new TextDecoder().decode((await pending).value)).toBe('data: {"n":1}\n\n')
    await reader.cancel()
    expect(source.state.returned).toBe(true)
  })

  test('an aborted signal ends the stream and closes the source', async () => {
    const source = controlledSource()
    const controller = new AbortController()
    const reader = sseResponse(source.iterable, { signal: controller.signal, heartbeatMs: 0 }).body!.getReader()
    const pending = reader.read()
    controller.abort()
    expect((await pending).done).toBe(true)
    expect(source.state.returned).toBe(true)
  })

  test('a failing source ends with the event onError builds', async () => {
    async function* failing() {
      yield { type: 'start' }
      throw new AppError('TIMEOUT', 'too slow')
    }
    const response = sseResponse(failing(), {
      onError: (e) => ({ type: 'error', error: (e as AppError).message }),
    })
    expect(await response.text()).toBe('data: {"type":"start"}\n\ndata: {"type":"error","error":"too slow"}\n\n')
    const silent = sseResponse(failing())
    expect(await silent.text()).toBe('data: {"type":"start"}\n\n')
  })

  describe('over HTTP', () => {
    const upstream = startFakeOpenAi({ script: { text: 'one two three four five', tokensPerChunk: 1, chunkDelayMs: 200 } })
    const chat = createOpenAiChat({ apiKey: 'k', baseURL: upstream.url, maxRetries: 0, timeoutMs: 5000 })
    const server = Bun.serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch: (req) =>
        sseResponse(chat.stream({ messages: [{ role: 'user', content: 'hi' }], signal: req.signal }), {
          signal: req.signal,
        }),
    })
    afterAll(async () => {
      await server.stop(true)
      await upstream.stop()
    })

    test('a client that disconnects aborts the upstream model call', async () => {
      const client = new AbortController()
      const response = await fetch(`http://127.0.0.1:${server.port}/`, { signal: client.signal })
      const reader = response.body!.getReader()
      const first = await readUntil(reader, '\n\n')
      expect(first).toBe('data: {"type":"text","text":"one "}\n\n')
      client.abort()
      await upstream.waitForAborts(1)
      expect(upstream.aborted()).toBe(1)
    })
  })
})
