/**
 * Reading one HTTP/1.1 response off a connection, for socket-fetch.ts: the head into a
 * `Response`, then the body (chunked, Content-Length or until the close) into its stream.
 */

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304])
const MAX_HEAD_BYTES = 64 * 1024

/** A kept-alive connection closed before the response began. */
export class StaleConnection extends Error {}

/** What an aborted request rejects with: the signal's reason, or an AbortError as fetch gives. */
export function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError')
}

/**
 * Reads one HTTP/1.1 response from the bytes a connection receives: the head, then the body
 * framed by `Transfer-Encoding: chunked`, `Content-Length` or the connection's end.
 */
export class ResponseReader {
  private headBytes: Uint8Array | undefined
  private controller: ReadableStreamDefaultController<Uint8Array> | undefined
  private phase: 'head' | 'body' | 'done' = 'head'
  private framing: 'chunked' | 'length' | 'close' | 'none' = 'none'
  private remaining = 0
  /** Chunked framing, carried across reads: where in the framing, and the size line so far. */
  private chunkState: 'size' | 'data' | 'crlf' | 'trailer' = 'size'
  private sizeDigits = 0
  private inExtension = false
  private trailerLine = 0
  private reusable = true
  private unwatch: (() => void) | undefined

  constructor(
    private readonly method: string,
    private readonly resolve: (response: Response) => void,
    private readonly reject: (error: unknown) => void,
    private readonly finished: (reusable: boolean) => void,
    private readonly abandon: () => void,
  ) {}

  watch(signal: AbortSignal): void {
    const onAbort = (): void => this.fail(abortError(signal))
    signal.addEventListener('abort', onAbort, { once: true })
    this.unwatch = () => signal.removeEventListener('abort', onAbort)
  }

  receive(chunk: Uint8Array): void {
    try {
      if (this.phase === 'head') chunk = this.readHead(chunk)
      if (this.phase === 'body' && chunk.length) this.readBody(chunk)
    } catch (error) {
      this.fail(error)
    }
  }

  closed(error?: Error): void {
    if (this.phase === 'done') return
    if (this.phase === 'head') {
      this.phase = 'done'
      this.unwatch?.()
      // Nothing of a response arrived: the caller may try a new connection.
      if (!this.headBytes) return this.reject(new StaleConnection(error?.message ?? 'closed'))
      return this.reject(new TypeError('fetch failed: the connection closed inside the response head', { cause: error }))
    }
    if (this.framing === 'close' && !error) return this.end(false)
    this.fail(new TypeError('fetch failed: the connection closed before the response ended', { cause: error }))
  }

  private fail(error: unknown): void {
    if (this.phase === 'done') return
    const wasHead = this.phase === 'head'
    this.phase = 'done'
    this.unwatch?.()
    this.abandon()
    if (wasHead) this.reject(error)
    else this.controller?.error(error)
  }

  private end(reusable: boolean): void {
    if (this.phase === 'done') return
    this.phase = 'done'
    this.unwatch?.()
    this.controller?.close()
    this.finished(reusable && this.reusable)
  }

  /** Gathers the head; returns what follows it in this chunk. */
  private readHead(chunk: Uint8Array): Uint8Array {
    const bytes = this.headBytes ? concat(this.headBytes, chunk) : chunk
    const end = headEnd(bytes)
    if (end < 0) {
      if (bytes.length > MAX_HEAD_BYTES) throw new TypeError('fetch failed: response head too large')
      this.headBytes = bytes
      return new Uint8Array(0)
    }
    const lines = new TextDecoder('latin1').decode(bytes.subarray(0, end)).split('\r\n')
    const rest = bytes.subarray(end + 4)
    const status = /^HTTP\/1\.([01]) (\d{3})(?: (.*))?$/.exec(lines[0]!)
    if (!status) throw new TypeError('fetch failed: not an HTTP/1.x response')
    const code = Number(status[2])
    if (code >= 100 && code < 200 && code !== 101) {
      // An interim response (100 Continue, 103 Early Hints): the real one follows.
      this.headBytes = undefined
      return rest.length ? this.readHead(rest) : rest
    }
    const headers = new Headers()
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':')
      if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim())
    }
    const connection = headers.get('connection')?.toLowerCase() ?? ''
    this.reusable = status[1] === '1' ? !connection.includes('close') : connection.includes('keep-alive')
    const hasBody = this.method !== 'HEAD' && !NULL_BODY_STATUSES.has(code)
    if (!hasBody) this.framing = 'none'
    else if (headers.get('transfer-encoding')?.toLowerCase().includes('chunked')) this.framing = 'chunked'
    else if (headers.has('content-length')) {
      this.framing = 'length'
      this.remaining = Number(headers.get('content-length'))
      if (!Number.isSafeInteger(this.remaining) || this.remaining < 0) throw new TypeError('fetch failed: bad Content-Length')
    } else this.framing = 'close'
    this.headBytes = new Uint8Array(0)
    const body = hasBody
      ? new ReadableStream<Uint8Array>({
          start: (c) => {
            this.controller = c
          },
          cancel: () => {
            if (this.phase === 'done') return
            this.phase = 'done'
            this.unwatch?.()
            this.abandon()
          },
        })
      : null
    this.phase = 'body'
    this.resolve(new Response(body, { status: code, statusText: status[3] ?? '', headers }))
    if (this.framing === 'none' || (this.framing === 'length' && this.remaining === 0)) this.end(true)
    return rest
  }

  private readBody(chunk: Uint8Array): void {
    if (this.framing === 'close') return this.controller!.enqueue(chunk)
    if (this.framing === 'length') {
      const take = Math.min(this.remaining, chunk.length)
      if (take) this.controller!.enqueue(take === chunk.length ? chunk : copyOf(chunk, 0, take))
      this.remaining -= take
      if (this.remaining === 0) this.end(take === chunk.length)
      return
    }
    this.readChunked(chunk)
  }

  /**
   * `Transfer-Encoding: chunked`: a hex size line (extensions after `;` ignored), that many
   * bytes, CRLF; a zero size, trailer lines and a blank line end it. Read byte by byte with no
   * text decoding: a streamed answer arrives as one small chunk per read.
   */
  private readChunked(chunk: Uint8Array): void {
    let at = 0
    while (at < chunk.length && this.phase === 'body') {
      if (this.chunkState === 'data') {
        const take = Math.min(this.remaining, chunk.length - at)
        this.controller!.enqueue(at === 0 && take === chunk.length ? chunk : copyOf(chunk, at, at + take))
        at += take
        this.remaining -= take
        if (this.remaining === 0) this.chunkState = 'crlf'
        continue
      }
      const byte = chunk[at++]!
      if (byte === 13) continue
      if (this.chunkState === 'size') {
        if (byte === 10) {
          if (this.sizeDigits === 0) throw badChunking()
          this.chunkState = this.remaining === 0 ? 'trailer' : 'data'
          this.sizeDigits = 0
          this.inExtension = false
        } else if (this.inExtension || byte === 32 || byte === 9) {
          // Chunk extensions and the whitespace before them carry nothing we use.
        } else if (byte === 59) {
          this.inExtension = true
        } else {
          const digit = hexValue(byte)
          if (digit < 0 || ++this.sizeDigits > 12) throw badChunking()
          this.remaining = this.remaining * 16 + digit
        }
      } else if (this.chunkState === 'crlf') {
        if (byte !== 10) throw badChunking()
        this.chunkState = 'size'
      } else if (byte === 10) {
        // The blank line after the trailers: the response is whole. Bytes after it would be a
        // response nobody asked for, so the connection is not reused then.
        if (this.trailerLine === 0) return this.end(at === chunk.length)
        this.trailerLine = 0
      } else if (++this.trailerLine > 8192) throw badChunking()
    }
  }
}

/**
 * A copy of part of a received buffer. A view (subarray) cost more than copying the few hundred
 * bytes of a streamed chunk: ~10 % of the relay's CPU in a profile.
 */
function copyOf(chunk: Uint8Array, from: number, to: number): Uint8Array {
  return chunk.slice(from, to)
}

function badChunking(): TypeError {
  return new TypeError('fetch failed: bad chunked encoding')
}

function hexValue(byte: number): number {
  if (byte >= 48 && byte <= 57) return byte - 48
  if (byte >= 97 && byte <= 102) return byte - 87
  if (byte >= 65 && byte <= 70) return byte - 55
  return -1
}

function headEnd(bytes: Uint8Array): number {
  for (let i = bytes.indexOf(13); i >= 0 && i + 3 < bytes.length; i = bytes.indexOf(13, i + 1)) {
    if (bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) return i
  }
  return -1
}

export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}
