/**
 * A `fetch` for model calls: HTTP/1.1 over Bun's own TCP and TLS sockets, with kept-alive
 * connections per origin. Relaying a model's streamed answer to hundreds of clients at once,
 * Bun's `fetch` cost about 10 µs of CPU per received chunk more than a socket read (its body
 * reader, 25-30 µs against 13-17 µs in a bare client at 200 streams); this client hands each
 * received piece of the body to a plain ReadableStream. The SDKs still build the request and
 * read the Response (auth, retries, error statuses): only the transport is ours.
 *
 * What it does not do, it leaves to the global `fetch`: a request through a proxy
 * (HTTP(S)_PROXY / ALL_PROXY set), a scheme other than http(s), a streamed request body.
 * Responses are asked for without compression (`Accept-Encoding: identity`).
 */
import type { Socket } from 'bun'
import { isIP } from 'node:net'
import { abortError, concat, ResponseReader, StaleConnection } from './http1-response'

/** What one connection is doing: idle in the pool, or reading one response. */
interface Connection {
  socket: Socket<Connection>
  origin: string
  /** The response being read; undefined while idle. */
  reader?: ResponseReader
  idleTimer?: ReturnType<typeof setTimeout>
  closed: boolean
  tls: boolean
  /** Request bytes the socket did not take yet; written on drain. */
  outbox?: Uint8Array
  /** Settle the wait for `open` (after the TLS handshake) while connecting. */
  opening?: { resolve: () => void; reject: (error: Error) => void }
}

export interface SocketFetchOptions {
  /** Idle connections kept per origin. */
  maxIdlePerOrigin?: number
  /** How long an idle connection is kept before it is closed. */
  idleMs?: number
  /**
   * Certificate authorities (PEM) to trust instead of the bundled ones, e.g. a private one's
   * (NODE_EXTRA_CA_CERTS adds to the bundled ones, as for the global fetch).
   */
  ca?: string
}

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy']
/** Request headers the transport writes itself. */
const OWN_HEADERS = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'accept-encoding', 'keep-alive'])
const textEncoder = new TextEncoder()

export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>

/** A `fetch` over pooled sockets (see the module comment); `close()` ends its idle connections. */
export function createSocketFetch(options: SocketFetchOptions = {}): FetchFunction & { close(): void } {
  const maxIdle = options.maxIdlePerOrigin ?? 32
  const idleMs = options.idleMs ?? 30_000
  const idle = new Map<string, Connection[]>()

  const release = (conn: Connection, reusable: boolean): void => {
    conn.reader = undefined
    const list = idle.get(conn.origin) ?? []
    if (!reusable || conn.closed || list.length >= maxIdle) return void destroy(conn)
    list.push(conn)
    idle.set(conn.origin, list)
    conn.idleTimer = setTimeout(() => destroy(conn), idleMs)
    conn.idleTimer.unref?.()
  }
  const forget = (conn: Connection): void => {
    clearTimeout(conn.idleTimer)
    const list = idle.get(conn.origin)
    const at = list?.indexOf(conn) ?? -1
    if (at >= 0) list!.splice(at, 1)
  }
  const destroy = (conn: Connection): void => {
    forget(conn)
    if (!conn.closed) {
      conn.closed = true
      conn.socket.terminate()
    }
  }

  const handlers = {
    // Plain Uint8Arrays, not Buffers: slicing a Buffer goes through its species constructor,
    // which cost as much again per chunk in a profile.
    binaryType: 'uint8array' as const,
    open(socket: Socket<Connection>) {
      if (!socket.data.tls) socket.data.opening?.resolve()
    },
    // With this handler Bun calls `open` before the TLS handshake: the request waits for this.
    handshake(socket: Socket<Connection>, success: boolean, authorizationError: Error | null) {
      if (success && !authorizationError) return socket.data.opening?.resolve()
      socket.data.opening?.reject(new Error(`TLS: ${authorizationError?.message ?? 'the handshake failed'}`))
      destroy(socket.data)
    },
    drain(socket: Socket<Connection>) {
      const conn = socket.data
      const rest = conn.outbox
      conn.outbox = undefined
      if (rest) send(conn, rest)
    },
    data(socket: Socket<Connection>, chunk: Uint8Array) {
      // Bytes on an idle connection answer nothing that was asked: it cannot be trusted again.
      if (socket.data.reader) socket.data.reader.receive(chunk)
      else destroy(socket.data)
    },
    close(socket: Socket<Connection>, error?: Error) {
      const conn = socket.data
      conn.closed = true
      forget(conn)
      conn.opening?.reject(error ?? new Error('the connection closed while opening'))
      conn.reader?.closed(error)
    },
    end(socket: Socket<Connection>) {
      socket.end()
    },
    error(socket: Socket<Connection>, error: Error) {
      socket.data.opening?.reject(error)
      socket.data.reader?.closed(error)
    },
  }

  /** Writes what the socket takes now and the rest on drain (a large request body). */
  const send = (conn: Connection, bytes: Uint8Array): void => {
    if (conn.outbox) return void (conn.outbox = concat(conn.outbox, bytes))
    const written = Math.max(0, conn.socket.write(bytes))
    if (written < bytes.length) conn.outbox = bytes.subarray(written)
  }

  async function connect(url: URL): Promise<Connection> {
    const tls = url.protocol === 'https:'
    const conn = { origin: url.origin, closed: false, tls } as Connection
    const hostname = url.hostname.replace(/^\[|\]$/g, '')
    // Bun.connect resolves before a TLS handshake ends, when a write would be dropped: the
    // request waits for the connection to open, and over TLS for the verified handshake.
    const opened = new Promise<void>((resolve, reject) => (conn.opening = { resolve, reject }))
    opened.catch(() => {})
    conn.socket = await Bun.connect<Connection>({
      hostname,
      port: Number(url.port || (tls ? 443 : 80)),
      data: conn,
      socket: handlers,
      // SNI names a host, never an address literal.
      ...(tls ? { tls: { ...(isIP(hostname) ? {} : { serverName: hostname }), rejectUnauthorized: true, ...(options.ca ? { ca: options.ca } : {}) } } : {}),
    })
    try {
      await opened
    } finally {
      conn.opening = undefined
    }
    return conn
  }

  /** One request on one connection: resolves at the response head; a close before any byte of it rejects with StaleConnection. */
  function exchange(conn: Connection, head: Uint8Array, body: Uint8Array | undefined, method: string, signal: AbortSignal | null | undefined) {
    return new Promise<Response>((resolve, reject) => {
      const reader = new ResponseReader(method, resolve, reject, (reusable) => release(conn, reusable), () => destroy(conn))
      conn.reader = reader
      if (signal) reader.watch(signal)
      send(conn, body?.length ? concat(head, body) : head)
    })
  }

  async function socketFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
    const prepared = prepare(input, init)
    if (!prepared) return fetch(input, init)
    const { url, head, body, method } = prepared
    const signal = init.signal
    if (signal?.aborted) throw abortError(signal)
    // A kept-alive connection the server closed meanwhile fails before any response byte: the
    // request is then sent once more on a new connection, as browsers and undici do.
    for (;;) {
      const pooled = idle.get(url.origin)?.pop()
      if (pooled) forget(pooled)
      let conn: Connection
      try {
        conn = pooled ?? (await connect(url))
      } catch (error) {
        throw new TypeError(`fetch failed: ${(error as Error)?.message ?? error}`, { cause: error })
      }
      // Aborted while connecting: nothing was sent, so the connection is kept for the next request.
      if (signal?.aborted) {
        release(conn, true)
        throw abortError(signal)
      }
      try {
        return await exchange(conn, head, body, method, signal)
      } catch (error) {
        if (pooled && error instanceof StaleConnection) continue
        throw error instanceof StaleConnection ? new TypeError('fetch failed: the connection closed before a response', { cause: error }) : error
      }
    }
  }

  return Object.assign(socketFetch, {
    close() {
      for (const list of idle.values()) for (const conn of [...list]) destroy(conn)
      idle.clear()
    },
  })
}

/** The request as bytes, or undefined when the global fetch should send it (see the module comment). */
function prepare(input: string | URL | Request, init: RequestInit) {
  if (input instanceof Request) return undefined
  const url = new URL(String(input))
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
  if (PROXY_VARIABLES.some((name) => process.env[name])) return undefined
  let body: Uint8Array | undefined
  const raw = init.body
  if (typeof raw === 'string') body = textEncoder.encode(raw)
  else if (raw instanceof Uint8Array) body = raw
  else if (raw instanceof ArrayBuffer) body = new Uint8Array(raw)
  else if (raw != null) return undefined
  const method = (init.method ?? 'GET').toUpperCase()
  let head = `${method} ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n`
  for (const [name, value] of new Headers(init.headers)) {
    if (OWN_HEADERS.has(name)) continue
    if (/[\r\n]/.test(value)) throw new TypeError(`fetch failed: header ${name} holds a line break`)
    head += `${name}: ${value}\r\n`
  }
  if (body || (method !== 'GET' && method !== 'HEAD')) head += `Content-Length: ${body?.length ?? 0}\r\n`
  head += 'Accept-Encoding: identity\r\nConnection: keep-alive\r\n\r\n'
  return { url, head: textEncoder.encode(head), body, method }
}
