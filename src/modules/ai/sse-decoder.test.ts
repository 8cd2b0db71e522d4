import { describe, expect, test } from 'bun:test'
import { sseEvents, type SseEvent } from './sse-decoder'

/** A body that delivers `parts` as separate chunks, as a network would. */
function body(parts: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  return new ReadableStream({
    start(c) {
      for (const p of parts) c.enqueue(typeof p === 'string' ? encoder.encode(p) : p)
      c.close()
    },
  })
}

async function all(parts: (string | Uint8Array)[]): Promise<SseEvent[]> {
  const out: SseEvent[] = []
  for await (const e of sseEvents(body(parts))) out.push(e)
  return out
}

describe('sseEvents', () => {
  test('events split anywhere across chunks, with \\n, \\r\\n or \\r line ends, come out whole', async () => {
    const text = 'data: {"a":1}\n\ndata: {"b":2}\r\n\r\nevent: error\rdata: x\r\r'
    const expected = [{ data: '{"a":1}' }, { data: '{"b":2}' }, { event: 'error', data: 'x' }]
    expect(await all([text])).toEqual(expected)
    // Every split point, including between '\r' and '\n'.
    for (let i = 1; i < text.length; i++) expect(await all([text.slice(0, i), text.slice(i)])).toEqual(expected)
  })

  test('multi-line data is joined, comments and fields without data are skipped, a missing last blank line is forgiven', async () => {
    expect(await all([': keep-alive\n\nid: 7\nretry: 10\n\ndata: one\ndata:two\n\nevent: x\n\ndata: tail'])).toEqual([
      { data: 'one\ntwo' },
      { data: 'tail' },
    ])
  })

  test('a character split between chunks is decoded once whole', async () => {
    const bytes = new TextEncoder().encode('data: 안녕\n\n')
    expect(await all([bytes.slice(0, 8), bytes.slice(8)])).toEqual([{ data: '안녕' }])
  })

  test('leaving early cancels the body', async () => {
    let cancelled = false
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        c.enqueue(new TextEncoder().encode('data: 1\n\n'))
      },
      cancel() {
        cancelled = true
      },
    })
    for await (const e of sseEvents(stream)) {
      expect(e.data).toBe('1')
      break
    }
    expect(cancelled).toBe(true)
  })
})
