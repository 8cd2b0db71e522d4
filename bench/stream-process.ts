// Starts and stops the huddle process of bench:stream (bench/stream-server.ts).
import { join } from 'node:path'
import postgres from 'postgres'

/** A running huddle for the bench. */
export interface StreamServer {
  url: string
  pid: number
  stop(): Promise<void>
}

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

async function admin(statement: string): Promise<void> {
  const sql = postgres(ADMIN_URL, { max: 1, onnotice: () => {} })
  try {
    await sql.unsafe(statement)
  } finally {
    await sql.end({ timeout: 5 })
  }
}

/**
 * The server's first stdout line (where it listens). The rest is read and counted until the
 * process ends: a pipe nobody reads fills up, and the server's log writes then stall it.
 */
async function firstLine(stream: ReadableStream<Uint8Array>): Promise<{ line: string; rest: Promise<{ lines: number; sample: string }> }> {
  const reader = stream.getReader()
  const decoder = new TextDecoder()
  let text = ''
  while (!text.includes('\n')) {
    const { done, value } = await reader.read()
    if (done) throw new Error('the huddle process exited before it was listening')
    text += decoder.decode(value, { stream: true })
  }
  const line = text.slice(0, text.indexOf('\n'))
  const rest = (async () => {
    let tail = text.slice(line.length + 1)
    let lines = 0
    let sample = ''
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      tail += decoder.decode(value, { stream: true })
      const parts = tail.split('\n')
      tail = parts.pop()!
      lines += parts.length
      sample ||= parts[0] ?? ''
    }
    return { lines, sample }
  })()
  return { line, rest }
}

/**
 * Starts huddle with only `env` (plus PATH/HOME and the database choice): PGlite in
 * `dataDir`, or a fresh database on the PostgreSQL server of BENCH_DATABASE_URL that `stop`
 * drops again. BENCH_BUN_FLAGS passes profiler flags (e.g. --cpu-prof-md) to the process;
 * BENCH_STALL_PROBE=1 has it print the event loop's turns over 10 ms when it stops.
 */
export async function startStreamServer(opts: { db: 'pglite' | 'postgres'; dataDir: string; env: Record<string, string> }): Promise<StreamServer> {
  let databaseUrl: string | undefined
  if (opts.db === 'postgres') {
    const name = `huddle_bench_stream_${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`
    await admin(`CREATE DATABASE ${name}`)
    const u = new URL(ADMIN_URL)
    u.pathname = `/${name}`
    databaseUrl = u.toString()
  }
  const flags = (process.env.BENCH_BUN_FLAGS ?? '').split(' ').filter(Boolean)
  const proc = Bun.spawn([process.execPath, ...flags, 'run', join(import.meta.dir, 'stream-server.ts')], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? opts.dataDir,
      DATA_DIR: opts.dataDir,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      ...(process.env.BENCH_STALL_PROBE ? { BENCH_STALL_PROBE: process.env.BENCH_STALL_PROBE } : {}),
      ...opts.env,
    },
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'inherit',
  })
  const { line, rest } = await firstLine(proc.stdout)
  const { port } = JSON.parse(line) as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    pid: proc.pid,
    async stop() {
      // Closing stdin lets the server stop by itself (and write a profile when one was asked for).
      proc.stdin.end()
      const stopped = await Promise.race([proc.exited.then(() => true), Bun.sleep(10_000).then(() => false)])
      if (!stopped) proc.kill()
      await proc.exited
      const logged = await rest
      if (logged.lines > 0) process.stderr.write(`bench:stream: the server logged ${logged.lines} lines, e.g. ${logged.sample.slice(0, 300)}\n`)
      if (databaseUrl) await admin(`DROP DATABASE IF EXISTS ${new URL(databaseUrl).pathname.slice(1)} WITH (FORCE)`)
    },
  }
}
