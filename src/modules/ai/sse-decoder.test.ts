import { describe, expect, test } from 'bun:test'
import { SseParser, type SseEvent } from './sse-decoder'

/** The events of a body delivered as `parts`, separate chunks as a network would. */
function all(parts: (string | Uint8Array)[]): SseEvent[] {
  const encoder = new TextEncoder()
  const parser = new SseParser()
  const out = parts.flatMap((p) => parser.push(typeof p === 'string' ? encoder.encode(p) : p))
  return [...out, ...parser.end()]
}

describe('SseParser', () => {
  test('events split anywhere across chunks, with \\n, \\r\\n or \\r line ends, come out whole', () => {
    const text = 'data: {"a":1}\n\ndata: {"b":2}\r\n\r\nevent: error\rdata: x\r\r'
    const expected = [{ data: '{"a":1}' }, { data: '{"b":2}' }, { event: 'error', data: 'x' }]
    expect(all([text])).toEqual(expected)
    // Every split point, including between '\r' and '\n'.
    for (let i = 1; i < text.length; i++) expect(all([text.slice(0, i), text.slice(i)])).toEqual(expected)
  })

  test('multi-line data is joined, comments and fields without data are skipped, a missing last blank line is forgiven', () => {
    expect(all([': keep-alive\n\nid: 7\nretry: 10\n\ndata: one\ndata:two\n\nevent: x\n\ndata: tail'])).toEqual([
      { data: 'one\ntwo' },
      { data: 'tail' },
    ])
  })

  test('a character split between chunks is decoded once whole', () => {
    const bytes = new TextEncoder().encode('data: 안녕\n\n')
    expect(all([bytes.slice(0, 8), bytes.slice(8)])).toEqual([{ data: '안녕' }])
  })
})
