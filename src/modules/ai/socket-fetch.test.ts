import { afterEach, describe, expect, test } from 'bun:test'
import type { Socket, TCPSocketListener } from 'bun'
import { createSocketFetch } from './socket-fetch'

/** A TCP server answering each request with the bytes `respond` writes: the framing under test. */
function rawServer(respond: (socket: Socket<{ buffer: string }>, request: string) => void | Promise<void>) {
  const connections: Socket<{ buffer: string }>[] = []
  const requests: string[] = []
  const closed = new Set<Socket<{ buffer: string }>>()
  const listener: TCPSocketListener<{ buffer: string }> = Bun.listen<{ buffer: string }>({
    hostname: '127.0.0.1',
    port: 0,
    socket: {
      open(socket) {
        socket.data = { buffer: '' }
        connections.push(socket)
      },
      close(socket) {
        closed.add(socket)
      },
      data(socket, data) {
        socket.data.buffer += data.toString('latin1')
        for (;;) {
          const end = socket.data.buffer.indexOf('\r\n\r\n')
          if (end < 0) return
          const length = Number(/content-length: (\d+)/i.exec(socket.data.buffer.slice(0, end))?.[1] ?? 0)
          if (socket.data.buffer.length < end + 4 + length) return
          const request = socket.data.buffer.slice(0, end + 4 + length)
          socket.data.buffer = socket.data.buffer.slice(end + 4 + length)
          requests.push(request)
          void respond(socket, request)
        }
      },
    },
  })
  return { url: `http://127.0.0.1:${listener.port}`, connections, requests, closed, stop: () => listener.stop(true) }
}

/** Writes `parts` one at a time, a turn apart, so the client sees every split point. */
async function writeApart(socket: Socket<unknown>, parts: string[]) {
  for (const part of parts) {
    socket.write(Buffer.from(part, 'latin1'))
    socket.flush()
    await Bun.sleep(2)
  }
}

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups.splice(0)) c()
})
function setup(respond: Parameters<typeof rawServer>[0]) {
  const server = rawServer(respond)
  const socketFetch = createSocketFetch()
  cleanups.push(() => socketFetch.close(), server.stop)
  return { server, socketFetch }
}

describe('createSocketFetch', () => {
  test('sends the method, path, headers and body, and reads a Content-Length response', async () => {
    const { server, socketFetch } = setup((s) => void s.write('HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"ok":true}'))
    const res = await socketFetch(`${server.url}/v1/things?x=1`, {
      method: 'post',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: JSON.stringify({ a: '가' }),
    })
    expect(res.status).toBe(201)
    expect(res.statusText).toBe('Created')
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(await res.json()).toEqual({ ok: true })
    const request = server.requests[0]!
    expect(request.startsWith('POST /v1/things?x=1 HTTP/1.1\r\n')).toBe(true)
    expect(request).toContain('authorization: Bearer k\r\n')
    expect(request).toContain(`Content-Length: ${Buffer.byteLength('{"a":"가"}')}\r\n`)
    expect(request).toContain('Accept-Encoding: identity\r\n')
    expect(Buffer.from(request.split('\r\n\r\n')[1]!, 'latin1').toString('utf8')).toBe('{"a":"가"}')
  })

  test('a request body larger than the socket takes at once arrives whole', async () => {
    const { server, socketFetch } = setup((s, request) => {
      const body = request.slice(request.indexOf('\r\n\r\n') + 4)
      s.write(`HTTP/1.1 200 OK\r\nContent-Length: ${String(body.length).length}\r\n\r\n${body.length}`)
    })
    const big = 'x'.repeat(8 * 1024 * 1024)
    const res = await socketFetch(`${server.url}/big`, { method: 'POST', body: big })
    expect(await res.text()).toBe(String(big.length))
  })

  test('reads a chunked body split at every kind of point: size lines, data, CRLFs, trailers', async () => {
    const body = 'data: {"n":1}\n\n' + 'data: 한국어 ✓\n\n' + 'data: [DONE]\n\n'
    const bytes = Buffer.from(body, 'utf8')
    const chunks = [bytes.subarray(0, 7), bytes.subarray(7, 20), bytes.subarray(20)]
    const wire = Buffer.concat([
      Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/event-stream\r\n\r\n'),
      ...chunks.flatMap((c, i) => [Buffer.from(`${c.length.toString(16)}${i === 1 ? ';ext=1' : ''}\r\n`), c, Buffer.from('\r\n')]),
      Buffer.from('0\r\nX-Trailer: yes\r\n\r\n'),
    ]).toString('latin1')
    for (const step of [1, 3, 11]) {
      const { server, socketFetch } = setup((s) => writeApart(s, Array.from({ length: Math.ceil(wire.length / step) }, (_, i) => wire.slice(i * step, (i + 1) * step))).then(() => {}))
      const res = await socketFetch(`${server.url}/stream`, { method: 'POST', body: '{}' })
      expect(await res.text()).toBe(body)
    }
  })

  test('keeps a finished connection and reuses it for the next request', async () => {
    const { server, socketFetch } = setup((s) => void s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n'))
    for (let i = 0; i < 3; i++) expect(await (await socketFetch(`${server.url}/a`)).text()).toBe('ok')
    expect(server.connections.length).toBe(1)
    expect(server.requests.length).toBe(3)
  })

  test('does not reuse a connection the server asked to close; reads a body framed by the close', async () => {
    const { server, socketFetch } = setup((s) => {
      s.write('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end')
      s.end()
    })
    expect(await (await socketFetch(`${server.url}/a`)).text()).toBe('until the end')
    expect(await (await socketFetch(`${server.url}/a`)).text()).toBe('until the end')
    expect(server.connections.length).toBe(2)
  })

  test('a kept connection the server closed meanwhile: the request goes out again on a new one', async () => {
    const { server, socketFetch } = setup((s) => void s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'))
    expect(await (await socketFetch(`${server.url}/a`)).text()).toBe('ok')
    server.connections[0]!.end()
    await Bun.sleep(20)
    expect(await (await socketFetch(`${server.url}/a`)).text()).toBe('ok')
    expect(server.connections.length).toBe(2)
  })

  test('skips an interim 100 response; a 204 has no body', async () => {
    const { server, socketFetch } = setup((s, request) =>
      void s.write(request.includes('/empty') ? 'HTTP/1.1 204 No Content\r\n\r\n' : 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nyes'),
    )
    expect(await (await socketFetch(`${server.url}/a`, { method: 'POST', body: 'x' })).text()).toBe('yes')
    const empty = await socketFetch(`${server.url}/empty`, { method: 'DELETE' })
    expect(empty.status).toBe(204)
    expect(empty.body).toBeNull()
    expect(server.connections.length).toBe(1)
  })

  test('an error status is a Response like any other', async () => {
    const { server, socketFetch } = setup((s) => void s.write('HTTP/1.1 429 Too Many Requests\r\nContent-Length: 19\r\nretry-after: 1\r\n\r\n{"error":"too many"}'.replace('19', '20')))
    const res = await socketFetch(`${server.url}/a`)
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('1')
    expect(await res.json()).toEqual({ error: 'too many' })
  })

  test('aborting mid-body errors the reader with the signal reason and closes the connection', async () => {
    const { server, socketFetch } = setup(async (s) => {
      s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n')
      await Bun.sleep(1000)
      if (!server.closed.has(s)) s.write('4\r\nlate\r\n0\r\n\r\n')
    })
    const controller = new AbortController()
    const res = await socketFetch(`${server.url}/a`, { signal: controller.signal })
    const reader = res.body!.getReader()
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('first')
    controller.abort(new DOMException('gone', 'AbortError'))
    const error = await reader.read().then(() => undefined, (e: unknown) => e)
    expect((error as DOMException).name).toBe('AbortError')
    await Bun.sleep(20)
    expect(server.closed.has(server.connections[0]!)).toBe(true)
  })

  test('aborting before the response rejects with the reason; an aborted signal never connects', async () => {
    const { server, socketFetch } = setup(() => {})
    const controller = new AbortController()
    const pending = socketFetch(`${server.url}/a`, { signal: controller.signal })
    await Bun.sleep(20)
    controller.abort()
    expect(((await pending.catch((e) => e)) as Error).name).toBe('AbortError')
    const before = server.connections.length
    expect(((await socketFetch(`${server.url}/a`, { signal: AbortSignal.abort() }).catch((e) => e)) as Error).name).toBe('AbortError')
    expect(server.connections.length).toBe(before)
  })

  test('cancelling the body closes the connection instead of keeping it', async () => {
    const { server, socketFetch } = setup((s) => void s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n'))
    const res = await socketFetch(`${server.url}/a`)
    const reader = res.body!.getReader()
    await reader.read()
    await reader.cancel()
    const again = socketFetch(`${server.url}/a`)
    await Bun.sleep(20)
    expect(server.connections.length).toBe(2)
    void again.catch(() => {})
  })

  test('a connection that cannot be made, or closes mid-body, fails like fetch (TypeError)', async () => {
    const socketFetch = createSocketFetch()
    cleanups.push(() => socketFetch.close())
    const probe = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
    const port = probe.port
    probe.stop(true)
    expect(await socketFetch(`http://127.0.0.1:${port}/a`).catch((e) => e)).toBeInstanceOf(TypeError)

    const { server, socketFetch: other } = setup((s) => {
      s.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort')
      s.end()
    })
    const res = await other(`${server.url}/a`)
    expect(await res.text().catch((e) => e)).toBeInstanceOf(TypeError)
  })

  test('a malformed response fails the request instead of hanging', async () => {
    const { server, socketFetch } = setup((s) => void s.write('SSH-2.0-OpenSSH\r\n\r\n'))
    expect(await socketFetch(`${server.url}/a`).catch((e) => e)).toBeInstanceOf(TypeError)
    const chunked = setup((s) => void s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'))
    const res = await chunked.socketFetch(`${chunked.server.url}/a`)
    expect(await res.text().catch((e) => e)).toBeInstanceOf(TypeError)
  })

  test('a header value with a line break is refused before anything is sent', async () => {
    const { server, socketFetch } = setup((s) => void s.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'))
    const error = await socketFetch(`${server.url}/a`, { headers: { 'x-evil': 'a\r\nInjected: 1' } }).catch((e) => e)
    expect(error).toBeInstanceOf(TypeError)
    expect(server.requests.length).toBe(0)
  })

  test('with a proxy configured the request goes through the global fetch, which honours it', async () => {
    const { server: proxy, socketFetch } = setup((s) => void s.write('HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\nproxied'))
    const saved = process.env.HTTP_PROXY
    process.env.HTTP_PROXY = proxy.url
    try {
      expect(await (await socketFetch('http://model.internal.invalid/v1/models')).text()).toBe('proxied')
    } finally {
      if (saved === undefined) delete process.env.HTTP_PROXY
      else process.env.HTTP_PROXY = saved
    }
    expect(proxy.requests[0]!.startsWith('GET http://model.internal.invalid/v1/models HTTP/1.1')).toBe(true)
  })

  test('https: a server whose certificate does not verify never sees the request; a trusted one answers', async () => {
    const tls = await selfSignedCertificate()
    let seen = 0
    const server = Bun.serve({ hostname: '127.0.0.1', port: 0, tls, fetch: () => (seen++, new Response('over tls')) })
    const untrusting = createSocketFetch()
    const trusting = createSocketFetch({ ca: tls.cert })
    cleanups.push(() => untrusting.close(), () => trusting.close(), () => server.stop(true))
    const url = `https://127.0.0.1:${server.port}/a`
    const refused = await untrusting(url, { headers: { authorization: 'Bearer secret' } }).catch((e) => e)
    expect(refused).toBeInstanceOf(TypeError)
    expect(String(refused.message)).toMatch(/certificate/i)
    expect(seen).toBe(0)
    expect(await (await trusting(url)).text()).toBe('over tls')
    expect(seen).toBe(1)
  })
})

/** A throwaway self-signed certificate (openssl), as a server nobody vouches for would have. */
async function selfSignedCertificate() {
  const dir = (await import('node:fs')).mkdtempSync(`${(await import('node:os')).tmpdir()}/socket-fetch-`)
  const proc = Bun.spawn(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], {
    stdout: 'ignore',
    stderr: 'ignore',
  })
  await proc.exited
  return { key: await Bun.file(`${dir}/key.pem`).text(), cert: await Bun.file(`${dir}/cert.pem`).text() }
}
