const encoder = new TextEncoder()

/** How `streamBody` turns items into bytes and what it does around them. */
export interface StreamBodyOptions<T> {
  encode: (item: T) => string
  /** Ends the body (and closes the source) when it aborts, e.g. the request's signal. */
  signal?: AbortSignal
  /** Text written whenever nothing else was written for `intervalMs`. */
  heartbeat?: { intervalMs: number; text: string }
  /** The last text to write when the source throws; undefined just ends the body. */
  onError?: (error: unknown) => string | undefined
}

/**
 * A response body fed by an async iterable, one item per pull, so a client that reads slowly
 * holds the source back instead of making the server buffer without bound. When the client
 * goes away (the body is cancelled) or `signal` aborts, the source's `return()` is called
 * right away so the work behind it (an upstream model call) is aborted. A source that ends
 * normally is never asked to return.
 */
export function streamBody<T>(source: AsyncIterable<T>, opts: StreamBodyOptions<T>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]()
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined
  let closed = false
  let timer: ReturnType<typeof setInterval> | undefined

  let lastWriteAt = 0
  const write = (text: string): void => {
    if (!closed && text) {
      controller?.enqueue(encoder.encode(text))
      lastWriteAt = performance.now()
    }
  }
  // One interval for the body's life: a tick writes the heartbeat only when nothing else was
  // written for a whole interval, so a busy stream pays no timer work per chunk.
  const armHeartbeat = (): void => {
    const heartbeat = opts.heartbeat
    if (!heartbeat || closed || timer) return
    lastWriteAt = performance.now()
    timer = setInterval(() => {
      if (performance.now() - lastWriteAt >= heartbeat.intervalMs - 1) write(heartbeat.text)
    }, heartbeat.intervalMs)
  }
  const end = (): void => {
    closed = true
    clearInterval(timer)
    opts.signal?.removeEventListener('abort', onAbort)
  }
  const abandon = (): void => {
    if (closed) return
    end()
    iterator.return?.()?.catch(() => {})
  }
  const onAbort = (): void => {
    if (closed) return
    abandon()
    try {
      controller?.close()
    } catch {
      // Already closed or errored by the runtime: nothing left to end.
    }
  }

  return new ReadableStream<Uint8Array>({
    start(c) {
      controller = c
      if (opts.signal?.aborted) return onAbort()
      opts.signal?.addEventListener('abort', onAbort, { once: true })
      armHeartbeat()
    },
    async pull(c) {
      if (closed) return
      try {
        const result = await iterator.next()
        if (closed) return
        if (result.done) {
          end()
          c.close()
          return
        }
        write(opts.encode(result.value))
        armHeartbeat()
      } catch (error) {
        if (closed) return
        const tail = opts.onError?.(error)
        if (tail) write(tail)
        end()
        c.close()
        // A failing source may still hold an upstream call (e.g. after a throw in encode).
        iterator.return?.()?.catch(() => {})
      }
    },
    cancel() {
      abandon()
    },
  })
}
