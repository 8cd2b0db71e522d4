import { describe, expect, test } from 'bun:test'
import { createWindowedBatcher } from './event-loop-window'

/** A flush that records its batches and answers each item doubled, failing on negative items. */
function recorder() {
  const batches: number[][] = []
  return {
    batches,
    flush: async (items: number[]) => {
      batches.push([...items])
      if (items.some((i) => i < 0)) throw new Error('negative')
      return items.map((i) => i * 2)
    },
  }
}

describe('createWindowedBatcher', () => {
  test('items submitted in different ticks of one event-loop turn share a flush', async () => {
    const r = recorder()
    const b = createWindowedBatcher({ flush: r.flush, maxBatch: 100 })
    const results: Promise<number>[] = [b.submit(1)]
    // Microtask-separated submissions, as request handlers resuming after an await produce.
    await Promise.resolve()
    results.push(b.submit(2))
    await Promise.resolve()
    results.push(b.submit(3))
    expect(await Promise.all(results)).toEqual([2, 4, 6])
    expect(r.batches).toEqual([[1, 2, 3]])
  })

  test('batches are cut at maxBatch, in order', async () => {
    const r = recorder()
    const b = createWindowedBatcher({ flush: r.flush, maxBatch: 2 })
    expect(await Promise.all([1, 2, 3, 4, 5].map((i) => b.submit(i)))).toEqual([2, 4, 6, 8, 10])
    expect(r.batches).toEqual([[1, 2], [3, 4], [5]])
  })

  test('the event loop runs between two flushes', async () => {
    const order: string[] = []
    const b = createWindowedBatcher({
      maxBatch: 1,
      flush: async (items: number[]) => {
        order.push(`flush ${items[0]}`)
        // What the loop has queued while a flush ran must get its turn before the next flush.
        setImmediate(() => order.push(`loop after ${items[0]}`))
        return items
      },
    })
    await Promise.all([b.submit(1), b.submit(2)])
    await new Promise((resolve) => setImmediate(resolve))
    expect(order).toEqual(['flush 1', 'loop after 1', 'flush 2', 'loop after 2'])
  })

  test('a failing item fails alone; drain waits for everything submitted', async () => {
    const r = recorder()
    const b = createWindowedBatcher({ flush: r.flush, maxBatch: 10 })
    const good = b.submit(1)
    const bad = b.submit(-1)
    const settled: string[] = []
    good.then(() => settled.push('good'))
    bad.catch(() => settled.push('bad'))
    await b.drain()
    await Promise.resolve()
    expect(await good).toBe(2)
    await expect(bad).rejects.toThrow('negative')
    expect(settled.sort()).toEqual(['bad', 'good'])
  })
})
