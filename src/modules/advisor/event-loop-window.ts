import { createBatcher, type FlushFn } from '../../platform/batcher'

/** A group-commit batcher that lets the event loop run around every flush. */
export interface WindowedBatcher<T, R> {
  /** Resolves with this item's result, or rejects with its own error, as `Batcher.submit` does. */
  submit(item: T): Promise<R>
  /** Resolves once everything submitted before the call is settled. */
  drain(): Promise<void>
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * platform/batcher.ts with two changes for the embedded database. PGlite runs every query to
 * its end on this thread, driven by microtasks only, so with the batcher's microtask flush:
 * (1) the first request of a burst runs all its queries before the next request is even
 * parsed, and every batch holds one item; (2) back-to-back flushes never let a socket write
 * through, so streams already answering stall for the whole queue. Here submissions wait for
 * the loop's next check phase (`setImmediate`) and are handed over together, so a batch holds
 * every request that arrived meanwhile; and each flush of at most `maxBatch` items first
 * yields one turn, so no single stretch of database work outlasts one small batch. When idle
 * this costs two turns of the loop, well under a millisecond; on PostgreSQL it only batches.
 */
export function createWindowedBatcher<T, R>(options: { flush: FlushFn<T, R>; maxBatch: number }): WindowedBatcher<T, R> {
  const batcher = createBatcher<T, R>({
    maxBatch: options.maxBatch,
    flush: async (items) => {
      await nextTurn()
      return options.flush(items)
    },
  })
  let waiting: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = []
  let scheduled: Promise<void> | undefined

  const release = () => {
    const batch = waiting
    waiting = []
    scheduled = undefined
    // Submitted in one synchronous loop, so the batcher's next flush carries all of them.
    for (const w of batch) batcher.submit(w.item).then(w.resolve, w.reject)
  }

  return {
    submit(item) {
      return new Promise<R>((resolve, reject) => {
        waiting.push({ item, resolve, reject })
        scheduled ??= nextTurn().then(release)
      })
    },
    async drain() {
      await scheduled
      await batcher.drain()
    },
  }
}
