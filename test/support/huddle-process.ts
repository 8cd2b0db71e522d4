import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SignJWT } from 'jose'
import { freePort } from './free-port'
import { pgliteTemplateFile } from './db'

/** A real huddle server process (src/main.ts) started by a test. */
export interface HuddleProcess {
  port: number
  base: string
  proc: ReturnType<typeof Bun.spawn>
  /** Everything it wrote to stderr so far. */
  stderr(): string
  /** Its JSON log lines so far (stdout), parsed. */
  logs(): Array<Record<string, any>>
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number>
}

const MAIN = join(import.meta.dir, '../../src/main.ts')

/** A token for huddle's shared-secret issuer; the first use creates the user named `sub`. */
export const signToken = (secret: string, sub: string) =>
  new SignJWT({ name: sub }).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setExpirationTime('1h').sign(new TextEncoder().encode(secret))

/**
 * Spawns `bun src/main.ts` with `env` on top of a quiet default environment (a fresh
 * DATA_DIR, a free port unless PORT is given, no REDIS_URL unless given) and resolves once
 * /readyz answers; `waitReady: false` resolves at once (for processes expected to fail).
 * The DATA_DIR holds the test template's embedded database when a run has built it, so the
 * process starts as a restarted huddle does, without PostgreSQL's initdb (seconds of CPU);
 * `emptyDataDir: true` leaves it empty.
 */
export async function startHuddle(
  env: Record<string, string>,
  options: { waitReady?: boolean; args?: string[]; emptyDataDir?: boolean } = {},
): Promise<HuddleProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'huddle-proc-'))
  const template = pgliteTemplateFile()
  if (!options.emptyDataDir && !env.DATABASE_URL && existsSync(template)) {
    mkdirSync(join(dataDir, 'pglite'))
    const untar = Bun.spawnSync(['tar', '-xzf', template, '-C', join(dataDir, 'pglite')], { stderr: 'pipe' })
    if (untar.exitCode !== 0) throw new Error(`could not unpack the test template: ${untar.stderr.toString()}`)
  }
  const port = Number(env.PORT ?? freePort())
  const full: Record<string, string> = { ...(process.env as Record<string, string>), HOST: '127.0.0.1', LOG_LEVEL: 'warn', AI_PROVIDER: 'offline', DATA_DIR: dataDir }
  delete full.REDIS_URL
  delete full.DATABASE_URL
  Object.assign(full, env, { PORT: String(port) })
  const proc = Bun.spawn([process.execPath, MAIN, ...(options.args ?? [])], { env: full, stdout: 'pipe', stderr: 'pipe' })
  let err = ''
  let out = ''
  const collect = async (stream: ReadableStream<Uint8Array>, add: (text: string) => void) => {
    const decoder = new TextDecoder()
    for await (const chunk of stream) add(decoder.decode(chunk, { stream: true }))
  }
  void collect(proc.stderr as ReadableStream<Uint8Array>, (t) => (err += t))
  void collect(proc.stdout as ReadableStream<Uint8Array>, (t) => (out += t))
  const base = `http://127.0.0.1:${port}`
  const cleanup = () => rmSync(dataDir, { recursive: true, force: true })
  void proc.exited.then(cleanup)
  const handle: HuddleProcess = {
    port,
    base,
    proc,
    stderr: () => err,
    logs: () =>
      out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l)),
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal)
      return await proc.exited
    },
  }
  if (options.waitReady === false) return handle
  for (let i = 0; i < 300; i++) {
    if (proc.exitCode !== null) throw new Error(`huddle exited with ${proc.exitCode}: ${err}`)
    try {
      if ((await fetch(`${base}/readyz`)).ok) return handle
    } catch {}
    await Bun.sleep(100)
  }
  proc.kill('SIGKILL')
  throw new Error(`huddle did not become ready: ${err}`)
}
