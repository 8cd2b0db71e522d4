/** One Server-Sent Event: its `event` field when it has one, and its data lines joined by `\n`. */
export interface SseEvent {
  event?: string
  data: string
}

/**
 * The events of a `text/event-stream` body, fed one received chunk at a time and answering the
 * events each chunk completes, read as the WHATWG rules say: fields per line (`\n`, `\r\n` or
 * `\r`), an event ends at a blank line, `:` lines are comments, one space after the colon is
 * dropped, an event without data lines is skipped. The openai SDK's own reader does the same
 * through several layers of iterators and copies; relaying a model's stream to hundreds of
 * clients at once, those layers were a third of huddle's CPU per chunk, so the provider loops
 * over the body itself and hands each chunk here.
 */
export class SseParser {
  private readonly decoder = new TextDecoder()
  private buffer = ''

  push(bytes: Uint8Array): SseEvent[] {
    return this.take(this.decoder.decode(bytes, { stream: true }), false)
  }

  /** The events left when the body ends; a stream may end without the last blank line. */
  end(): SseEvent[] {
    const events = this.take(this.decoder.decode(), true)
    const last = parseEvent(this.buffer.replace(/\r$/, ''))
    this.buffer = ''
    if (last) events.push(last)
    return events
  }

  private take(text: string, done: boolean): SseEvent[] {
    let buffer = this.buffer + text
    if (buffer.includes('\r')) {
      // A trailing '\r' may be the first half of '\r\n': keep it until the next chunk.
      const held = !done && buffer.endsWith('\r')
      buffer = (held ? buffer.slice(0, -1) : buffer).replace(/\r\n?/g, '\n') + (held ? '\r' : '')
    }
    const events: SseEvent[] = []
    let start = 0
    for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n', start)) {
      const event = parseEvent(buffer.slice(start, end))
      start = end + 2
      if (event) events.push(event)
    }
    this.buffer = start ? buffer.slice(start) : buffer
    return events
  }
}

/** The event of one block of lines (no blank line inside), or undefined when it has no data. */
function parseEvent(block: string): SseEvent | undefined {
  // The common case, one `data:` line, without splitting.
  if (block.startsWith('data: ') && !block.includes('\n')) return { data: block.slice(6) }
  let data: string[] | undefined
  let event: string | undefined
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue
    const colon = line.indexOf(':')
    const field = colon === -1 ? line : line.slice(0, colon)
    let value = colon === -1 ? '' : line.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (field === 'data') (data ??= []).push(value)
    else if (field === 'event') event = value
  }
  if (!data) return undefined
  return event === undefined ? { data: data.join('\n') } : { event, data: data.join('\n') }
}
