/**
 * Multi-core mode (`WORKERS=N`): one supervisor process that serves nothing itself and runs
 * N huddle server processes sharing one port (SO_REUSEPORT, so the kernel spreads new
 * connections over them). The workers share state only through the PostgreSQL server and
 * Redis, exactly as processes on different machines would; the supervisor only keeps them
 * running:
 *  - the first worker starts alone and the rest once it is listening, so migrations and
 *    first-start seeding run once, not N times concurrently;
 *  - a worker that exits while the supervisor is not stopping is started again, after a
 *    delay that doubles while it keeps dying young (a crash loop must not spin a core);
 *  - SIGTERM/SIGINT is forwarded to every worker, and the supervisor exits once they all
 *    have (each stops gracefully: sockets announced offline, accepted writes stored).
 */
import type { Subprocess } from 'bun'
import type { Logger } from './logger'

export interface SupervisorOptions {
  workers: number
  /** The worker's command line, e.g. `[process.execPath, 'src/main.ts']`. */
  command: string[]
  env: Record<string, string | undefined>
  logger: Logger
  /** First restart delay; doubles (up to 30 s) each time a worker dies within 10 s of starting. */
  restartDelayMs?: number
}

/** The message a worker sends its supervisor (through IPC) once it is listening. */
export const WORKER_READY = 'huddle:ready'

/** Tells a supervisor, if there is one, that this process is listening. */
export function announceReady(): void {
  process.send?.(WORKER_READY)
}

/** Runs `stop` when this worker's supervisor is gone (killed): a worker never serves unsupervised. */
export function onSupervisorGone(stop: () => void): void {
  if (process.send) process.on('disconnect', stop)
}

export interface Supervisor {
  /** Forwards `signal` to every worker; resolves once all have exited. */
  stop(signal: NodeJS.Signals): Promise<void>
}

/** Starts the workers; resolves once the first one is listening (or rejects if it died first). */
export async function startSupervisor(options: SupervisorOptions): Promise<Supervisor> {
  const { logger } = options
  const baseDelay = options.restartDelayMs ?? 1000
  const slots: Array<{ proc?: Subprocess; delay: number }> = Array.from({ length: options.workers }, () => ({ delay: baseDelay }))
  let stopping = false

  function spawn(index: number): Promise<void> {
    const slot = slots[index]!
    const startedAt = Date.now()
    let ready!: () => void
    let failed!: (error: Error) => void
    const listening = new Promise<void>((resolve, reject) => ((ready = resolve), (failed = reject)))
    const proc = Bun.spawn(options.command, {
      env: { ...options.env, WORKERS: '1', REUSE_PORT: 'true', WORKER_INDEX: String(index) },
      stdio: ['ignore', 'inherit', 'inherit'],
      ipc(message) {
        if (message === WORKER_READY) ready()
      },
      onExit(_p, code, signal) {
        failed(new Error(`worker ${index} exited (${signal ?? code}) before listening`))
        if (stopping) return
        if (Date.now() - startedAt >= 10_000) slot.delay = baseDelay
        const wait = slot.delay
        slot.delay = Math.min(wait * 2, 30_000)
        logger.warn('worker exited; restarting', { worker: index, pid: proc.pid, code, signal, inMs: wait })
        setTimeout(() => {
          if (!stopping) spawn(index).catch(() => {})
        }, wait)
      },
    })
    slot.proc = proc
    logger.info('worker started', { worker: index, pid: proc.pid })
    return listening
  }

  try {
    await spawn(0)
  } catch (error) {
    stopping = true
    throw error
  }
  await Promise.all(slots.slice(1).map((_, i) => spawn(i + 1).catch((error: Error) => logger.warn(error.message))))

  return {
    async stop(signal) {
      stopping = true
      const live = slots.map((s) => s.proc).filter((p): p is Subprocess => p !== undefined && p.exitCode === null && p.signalCode === null)
      for (const p of live) p.kill(signal)
      await Promise.all(live.map((p) => p.exited))
    },
  }
}
