/** An error answer of the API, with the message its surface's error shape carries. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

/** The message inside any surface's error shape ({detail}, {error}, {message}). */
function messageOf(body: unknown, status: number): string {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>
    const m = b.detail ?? b.error ?? b.message
    if (typeof m === 'string') return m
    if (m !== undefined) return JSON.stringify(m)
  }
  return `HTTP ${status}`
}

/**
 * Calls the API on this origin. The session cookie authenticates by default; `token` sends a
 * Bearer token instead (the couples partner pane, petcare); `credentials: 'omit'` neither sends
 * nor stores cookies. JSON bodies are encoded, FormData
 * is sent as multipart. Non-2xx answers throw ApiError with the surface's message.
 */
export async function api<T = unknown>(
  method: string,
  path: string,
  options: { json?: unknown; form?: FormData; token?: string; raw?: boolean; credentials?: RequestCredentials } = {},
): Promise<T> {
  const headers: Record<string, string> = {}
  if (options.token) headers.authorization = `Bearer ${options.token}`
  let body: BodyInit | undefined
  if (options.form) body = options.form
  else if (options.json !== undefined) {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(options.json)
  }
  const res = await fetch(path, { method, headers, body, credentials: options.credentials ?? 'same-origin' })
  if (!res.ok) {
    const data = await res.json().catch(() => undefined)
    throw new ApiError(res.status, messageOf(data, res.status))
  }
  if (options.raw) return res as T
  if (res.status === 204) return undefined as T
  return (await res.json()) as T
}

/** Reads a text/event-stream response and calls `onEvent` with each `data:` JSON payload. */
export async function readSse(res: Response, onEvent: (event: Record<string, unknown>) => void): Promise<void> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ''
  for (;;) {
    const { value, done } = await reader.read()
    if (done) break
    buffer += value
    let end: number
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const data = block
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trimStart())
        .join('\n')
      if (data) onEvent(JSON.parse(data))
    }
  }
}

/** A WebSocket URL on this origin for a path (ws: or wss: to match the page). */
export const socketUrl = (path: string): string => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}`
