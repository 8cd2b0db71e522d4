/** A TCP port on 127.0.0.1 that was free a moment ago (for spawning servers in tests and benches). */
export function freePort(): number {
  const s = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() })
  const port = s.port!
  s.stop(true)
  return port
}
