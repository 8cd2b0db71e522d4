/**
 * The worker thread that extracts and chunks documents for document-processor.ts. One job
 * at a time; every outcome, refusal included, is answered with the job's id, and the heap is
 * collected after each so an idle worker holds no document.
 */
import { readlinkSync } from 'node:fs'
import { setPriority } from 'node:os'
import { AppError } from '../../platform/errors'
import { processDocument } from './document-processing'
import { pdfParsing } from './extract/pdf-extractor'
import type { WorkerJob, WorkerReply } from './document-processor'

declare const self: Worker

/** The niceness of this thread: on a busy machine the event loop's thread is scheduled first. */
const WORKER_NICENESS = 10
try {
  // On Linux a thread has its own id, and setpriority on it lowers only this thread.
  setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), WORKER_NICENESS)
} catch {
  // Elsewhere the worker keeps the process's priority.
}

self.onmessage = async (event: MessageEvent<WorkerJob>) => {
  const { id, bytes, filename, limits } = event.data
  let reply: WorkerReply
  try {
    reply = { id, ok: true, reusable: true, document: await processDocument(bytes, filename, limits) }
  } catch (error) {
    reply =
      error instanceof AppError
        ? { id, ok: false, reusable: !pdfParsing(), code: error.code, message: error.message }
        : { id, ok: false, reusable: false, code: 'INTERNAL', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }
  }
  self.postMessage(reply)
  Bun.gc(true)
}

// Loaded (the extractors' modules are big): from here on the document's clock may run.
self.postMessage({ ready: true })
