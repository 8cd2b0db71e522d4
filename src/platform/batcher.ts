/**
 * Group commit. Writers submit one item each; the batcher hands the storage layer a whole
 * array at a time, so N concurrent writers cost one round trip (one INSERT, one fsync)
 * instead of N. There is no timer: when nothing is in flight, a submission is flushed on
 * the next turn of the event loop (items submitted before then share that flush); while a flush is
 * in flight, submissions queue and go out together as soon as it settles. Under light load
 * this adds no latency, under heavy load the batches grow by themselves.
 */
import { AppError } from './errors'

/** Stores a batch; resolves with one result per item, in the same order. */
export type FlushFn<T, R> = (items: T[]) => Promise<R[]>

/** What to do with a batch, and how large one may get (256 by default). */
export interface BatcherOptions<T, R> {
  /**
   * Must be all-or-nothing (one transaction): after a failed batch, each item is retried
   * alone, so a partially applied batch would be applied twice.
   */
  flush: FlushFn<T, R>
  /** Largest array handed to one `flush` call; a longer queue is split, in order. */
  maxBatch?: number
}

/** Batchers side by side; `laneOf` picks an item's lane (any integer, taken modulo `lanes`). */
export interface LanedBatcherOptions<T, R> extends BatcherOptions<T, R> {
  lanes: number
  laneOf: (item: T) => number
}

/** A queue in front of `flush`; one flush runs at a time. */
export interface Batcher<T, R> {
  /**
   * Resolves with this item's own result once the flush that carried it has resolved;
   * rejects with the error that kept this item (alone, after a retry) from being stored.
   * Items are flushed in submission order, one flush at a time.
   */
  submit(item: T): Promise<R>
  /** Resolves once every item submitted before the call (and any queued since) is settled. */
  drain(): Promise<void>
  /** Items accepted but not yet settled. */
  readonly pending: number
}

interface Pending<T, R> {
  item: T
  resolve: (result: R) => void
  reject: (error: unknown) => void
}

/** A group-commit batcher over `flush`; one flush is in flight at any time. */
export function createBatcher<T, R>(options: BatcherOptions<T, R>): Batcher<T, R> {
  const maxBatch = options.maxBatch ?? 256
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new RangeError('maxBatch must be a positive integer')
  const flush = options.flush

  let queue: Pending<T, R>[] = []
  let running = false
  let inFlight = 0
  let drainWaiters: Array<() => void> = []

  async function run(batch: Pending<T, R>[]): Promise<R[]> {
    const results = await flush(batch.map((p) => p.item))
    if (!Array.isArray(results) || results.length !== batch.length) {
      throw new AppError('INTERNAL', 'batch flush returned a result count that does not match its items')
    }
    return results
  }

  async function settle(batch: Pending<T, R>[]): Promise<void> {
    try {
      const results = await run(batch)
      batch.forEach((p, i) => p.resolve(results[i] as R))
      return
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error)
        return
      }
    }
    // One bad item (a constraint violation, say) must not fail its neighbours: retry each
    // alone, in order, so the good ones are stored and only the bad one sees its error.
    for (const p of batch) {
      try {
        const [result] = await run([p])
        p.resolve(result as R)
      } catch (error) {
        p.reject(error)
      }
    }
  }

  async function loop(): Promise<void> {
    // Yield to the event loop once, not just to the microtask queue: every socket frame and
    // request already read in this turn of the loop submits before the first flush starts.
    // That matters most when the database runs on this thread (PGlite): a flush blocks the
    // thread, so without this every frame would become a batch of one.
    await new Promise<void>((resolve) => setImmediate(resolve))
    while (queue.length > 0) {
      const batch = queue.length <= maxBatch ? queue : queue.slice(0, maxBatch)
      queue = queue.length <= maxBatch ? [] : queue.slice(maxBatch)
      await settle(batch)
      inFlight -= batch.length
    }
    running = false
    if (inFlight === 0) {
      const waiters = drainWaiters
      drainWaiters = []
      for (const w of waiters) w()
    }
  }

  return {
    submit(item) {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject })
        inFlight += 1
        if (!running) {
          running = true
          void loop()
        }
      })
    },
    drain() {
      if (inFlight === 0) return Promise.resolve()
      return new Promise<void>((resolve) => drainWaiters.push(resolve))
    },
    get pending() {
      return inFlight
    },
  }
}

/**
 * `lanes` group commits in flight at once, one per lane: items of one lane keep the single
 * batcher's guarantees (one flush at a time, submission order, a failed batch retried item by
 * item before the lane goes on), and different lanes flush concurrently, each on its own
 * database connection. Items that must stay in order relative to each other (a room's
 * messages) must map to the same lane.
 */
export function createLanedBatcher<T, R>(options: LanedBatcherOptions<T, R>): Batcher<T, R> {
  const { lanes: count, laneOf, ...single } = options
  if (!Number.isInteger(count) || count < 1) throw new RangeError('lanes must be a positive integer')
  if (count === 1) return createBatcher(single)
  const lanes = Array.from({ length: count }, () => createBatcher(single))
  return {
    submit: (item) => lanes[((laneOf(item) % count) + count) % count]!.submit(item),
    drain: async () => {
      await Promise.all(lanes.map((lane) => lane.drain()))
    },
    get pending() {
      return lanes.reduce((sum, lane) => sum + lane.pending, 0)
    },
  }
}
