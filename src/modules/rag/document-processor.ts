import type { Config } from '../../config'
import { AppError, badRequest, type ErrorCode } from '../../platform/errors'
import { abortReason } from '../ai/abort'
import { DEFAULT_PROCESSING_LIMITS, type ProcessedDocument, type ProcessingLimits } from './document-processing'

/** What the server sends a document worker. */
export interface WorkerJob {
  id: number
  bytes: Uint8Array
  filename: string
  limits: ProcessingLimits
}

/** What a document worker answers: the processed document, or the refusal it hit. */
export type WorkerReply =
  | { id: number; ok: true; reusable: true; document: ProcessedDocument }
  /** `reusable` is false when work may still run in the worker (a refused PDF page still parsing). */
  | { id: number; ok: false; reusable: boolean; code: ErrorCode; message: string }

export interface DocumentProcessorOptions {
  limits: ProcessingLimits
  /** Wall-clock time one document may take in its worker before the worker is killed. */
  timeoutMs: number
  /** Documents processed at once; more wait their turn (their clock starts when they run). */
  workers: number
  /** An idle worker is stopped after this long without a job (default 10 s). */
  idleMs?: number
}

const WORKER_URL = new URL('./document-worker.ts', import.meta.url).href

/**
 * Runs document extraction and chunking in Bun workers, off the server's event loop.
 * Guarantees: at most `workers` documents are processed at once; a document that outlives
 * `timeoutMs` has its worker terminated (freeing its heap) and is refused with BAD_REQUEST;
 * a refusal inside the worker (format, damage, page/slide/paragraph/text/chunk budget)
 * arrives as the same AppError, and the worker is terminated if work may still be running
 * in it (a refused PDF page), as it is on a caller's abort. A worker that finished a document for the next document until it has been idle for `idleMs`.
 * Bun does not enforce worker heap limits (`resourceLimits`), so memory is bounded by the
 * budgets the extractors count on the raw markup before building anything per paragraph.
 */
export function createDocumentProcessor(options: DocumentProcessorOptions) {
  const idleMs = options.idleMs ?? 10_000
  const idle: { worker: Worker; timer: Timer }[] = []
  /** Running workers, each with how to fail its document at shutdown. */
  const busy = new Map<Worker, () => void>()
  const waiting: (() => void)[] = []
  let running = 0
  let nextId = 1
  let closed = false

  async function acquire(): Promise<void> {
    if (running < options.workers) {
      running++
      return
    }
    await new Promise<void>((resolve) => waiting.push(resolve))
  }

  /** Hands the slot to the next waiter, so `running` never drops while someone waits. */
  function release(): void {
    const next = waiting.shift()
    if (next) next()
    else running--
  }

  /** An idle worker, or a new one once it has loaded (so loading is not charged to the document's clock). */
  async function takeWorker(): Promise<Worker> {
    const kept = idle.pop()
    if (kept) {
      clearTimeout(kept.timer)
      kept.worker.ref()
      return kept.worker
    }
    const worker = new Worker(WORKER_URL, { smol: true })
    // 'open' comes before the worker's modules have loaded; it says `ready` once they have.
    await new Promise<void>((resolve, reject) => {
      const onReady = (event: MessageEvent) => {
        if ((event.data as { ready?: boolean }).ready !== true) return
        worker.removeEventListener('message', onReady)
        resolve()
      }
      worker.addEventListener('message', onReady)
      worker.addEventListener('error', (event) => reject(new Error(`document worker failed to start: ${event.message}`)), { once: true })
    })
    return worker
  }

  function keep(worker: Worker): void {
    if (closed) {
      worker.terminate()
      return
    }
    worker.unref()
    const timer = setTimeout(() => {
      const at = idle.findIndex((k) => k.worker === worker)
      if (at >= 0) idle.splice(at, 1)
      worker.terminate()
    }, idleMs)
    timer.unref()
    idle.push({ worker, timer })
  }

  function run(worker: Worker, job: WorkerJob, signal?: AbortSignal): Promise<ProcessedDocument> {
    return new Promise((resolve, reject) => {
      let settled = false
      const finish = (outcome: () => void, reusable: boolean) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
        worker.removeEventListener('message', onMessage)
        worker.removeEventListener('error', onError)
        busy.delete(worker)
        if (reusable) keep(worker)
        else worker.terminate()
        outcome()
      }
      const onMessage = (event: MessageEvent<WorkerReply>) => {
        const reply = event.data
        if (reply.id !== job.id) return
        if (reply.ok) finish(() => resolve(reply.document), true)
        else if (reply.code === 'INTERNAL') finish(() => reject(new Error(`document worker failed: ${reply.message}`)), false)
        else finish(() => reject(new AppError(reply.code, reply.message)), reply.reusable)
      }
      const onError = (event: ErrorEvent) => finish(() => reject(new Error(`document worker crashed: ${event.message}`)), false)
      const onAbort = () => finish(() => reject(abortReason(signal!)), false)
      const timer = setTimeout(
        () =>
          finish(
            () => reject(badRequest(`Processing the document took longer than ${Math.ceil(options.timeoutMs / 1000)} s; it was stopped and rejected.`)),
            false,
          ),
        options.timeoutMs,
      )
      worker.addEventListener('message', onMessage)
      worker.addEventListener('error', onError)
      signal?.addEventListener('abort', onAbort, { once: true })
      busy.set(worker, () => finish(() => reject(new Error('document processor closed')), false))
      worker.postMessage(job)
    })
  }

  return {
    /** Extracts and chunks one document in a worker; see the guarantees above. */
    async process(bytes: Uint8Array, filename: string, signal?: AbortSignal): Promise<ProcessedDocument> {
      if (closed) throw new Error('document processor is closed')
      await acquire()
      try {
        const worker = await takeWorker()
        if (signal?.aborted) {
          keep(worker)
          throw abortReason(signal)
        }
        return await run(worker, { id: nextId++, bytes, filename, limits: options.limits }, signal)
      } finally {
        release()
      }
    },
    /** Stops every worker; documents still in progress fail. */
    close(): void {
      closed = true
      for (const { worker, timer } of idle.splice(0)) {
        clearTimeout(timer)
        worker.terminate()
      }
      for (const fail of [...busy.values()]) fail()
    },
  }
}

export type DocumentProcessor = ReturnType<typeof createDocumentProcessor>

/** The processor the configuration describes (INGEST_* variables). */
export function createConfiguredDocumentProcessor(ingest: Config['ingest']): DocumentProcessor {
  return createDocumentProcessor({
    timeoutMs: ingest.timeoutMs,
    workers: ingest.workers,
    limits: {
      ...DEFAULT_PROCESSING_LIMITS,
      maxTextBytes: ingest.maxTextBytes,
      maxParagraphs: ingest.maxParagraphs,
      maxPdfPages: ingest.maxPages,
      maxSlides: ingest.maxPages,
      maxChunks: ingest.maxChunks,
    },
  })
}
