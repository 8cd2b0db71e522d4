import { describe, expect, test } from 'bun:test'
import { createBatcher, createLanedBatcher } from './batcher'

/** A flush whose calls are recorded and whose completion the test controls. */
function gatedFlush<T>() {
  const calls: T[][] = []
  const gates: Array<() => void> = []
  const flush = async (items: T[]) => {
    calls.push([...items])
    await new Promise<void>((resolve) => gates.push(resolve))
    return items.map((item) => ({ stored: item }))
  }
  const openNext = async () => {
    while (gates.length === 0) await Bun.sleep(1)
    gates.shift()!()
  }
  return { calls, flush, openNext }
}

describe('createBatcher', () => {
  test('submissions in the same tick share one flush and each gets its own result', async () => {
    const calls: number[][] = []
    const batcher = createBatcher<number, string>({
      flush: async (items) => {
        calls.push([...items])
        return items.map((n) => `r${n}`)
      },
    })
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => batcher.submit(n)))
    expect(results).toEqual(['r1', 'r2', 'r3', 'r4', 'r5'])
    expect(calls).toEqual([[1, 2, 3, 4, 5]])
  })

  test('items submitted while a flush is in flight go out together in the next flush', async () => {
    const gate = gatedFlush<number>()
    const batcher = createBatcher({ flush: gate.flush })
    const first = batcher.submit(1)
    await Bun.sleep(1)
    expect(gate.calls).toEqual([[1]])
    const queued = [2, 3, 4].map((n) => batcher.submit(n))
    await Bun.sleep(5)
    expect(gate.calls).toHaveLength(1)
    await gate.openNext()
    expect(await first).toEqual({ stored: 1 })
    await gate.openNext()
    expect(await Promise.all(queued)).toEqual([{ stored: 2 }, { stored: 3 }, { stored: 4 }])
    expect(gate.calls).toEqual([[1], [2, 3, 4]])
  })

  test('a submitter is not resolved before its flush resolves', async () => {
    const gate = gatedFlush<string>()
    const batcher = createBatcher({ flush: gate.flush })
    let settled = false
    const p = batcher.submit('a').then(() => (settled = true))
    await Bun.sleep(5)
    expect(settled).toBe(false)
    await gate.openNext()
    await p
    expect(settled).toBe(true)
  })

  test('maxBatch splits a long queue into ordered flushes', async () => {
    const calls: number[][] = []
    const batcher = createBatcher<number, number>({
      maxBatch: 2,
      flush: async (items) => {
        calls.push([...items])
        return items.map((n) => n * 10)
      },
    })
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => batcher.submit(n)))
    expect(results).toEqual([10, 20, 30, 40, 50])
    expect(calls).toEqual([[1, 2], [3, 4], [5]])
  })

  test('a failing batch is retried item by item so only the bad item fails', async () => {
    const calls: number[][] = []
    const batcher = createBatcher<number, number>({
      flush: async (items) => {
        calls.push([...items])
        if (items.includes(3)) throw new Error('item 3 violates a constraint')
        return items.map((n) => n + 100)
      },
    })
    const settled = await Promise.allSettled([1, 2, 3, 4].map((n) => batcher.submit(n)))
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled'])
    expect(settled.filter((s) => s.status === 'fulfilled').map((s) => (s as PromiseFulfilledResult<number>).value)).toEqual([
      101, 102, 104,
    ])
    expect(((settled[2] as PromiseRejectedResult).reason as Error).message).toBe('item 3 violates a constraint')
    expect(calls).toEqual([[1, 2, 3, 4], [1], [2], [3], [4]])
  })

  test('a lone failing item rejects with the flush error without a retry', async () => {
    let calls = 0
    const batcher = createBatcher<number, number>({
      flush: async () => {
        calls += 1
        throw new Error('database is down')
      },
    })
    await expect(batcher.submit(1)).rejects.toThrow('database is down')
    expect(calls).toBe(1)
  })

  test('a flush that returns the wrong number of results fails its items', async () => {
    const batcher = createBatcher<number, number>({ flush: async () => [] })
    await expect(batcher.submit(1)).rejects.toThrow('result count')
  })

  test('drain waits for every accepted item, including those queued behind a flush', async () => {
    const gate = gatedFlush<number>()
    const batcher = createBatcher({ flush: gate.flush })
    const done: number[] = []
    batcher.submit(1).then(() => done.push(1))
    await Bun.sleep(1)
    batcher.submit(2).then(() => done.push(2))
    let drained = false
    const drain = batcher.drain().then(() => (drained = true))
    expect(batcher.pending).toBe(2)
    await gate.openNext()
    await Bun.sleep(2)
    expect(drained).toBe(false)
    await gate.openNext()
    await drain
    expect(drained).toBe(true)
    expect(done).toEqual([1, 2])
    expect(batcher.pending).toBe(0)
    await batcher.drain()
  })

  test('the batcher keeps working after a drain', async () => {
    const batcher = createBatcher<number, number>({ flush: async (items) => items })
    await batcher.submit(1)
    await batcher.drain()
    expect(await batcher.submit(2)).toBe(2)
  })
})

/** Items keyed by room, as the message service submits them. */
type Keyed = { room: number; n: number }

describe('createLanedBatcher', () => {
  test('lanes flush at the same time; one lane keeps one flush in flight and its order', async () => {
    const gate = gatedFlush<Keyed>()
    const batcher = createLanedBatcher({ lanes: 2, laneOf: (item: Keyed) => item.room, flush: gate.flush })
    const a1 = batcher.submit({ room: 0, n: 1 })
    const b1 = batcher.submit({ room: 1, n: 1 })
    await Bun.sleep(2)
    // Both rooms' first flushes are in flight at once.
    expect(gate.calls).toEqual([[{ room: 0, n: 1 }], [{ room: 1, n: 1 }]])
    const a2 = batcher.submit({ room: 2, n: 2 })
    const a3 = batcher.submit({ room: 0, n: 3 })
    await Bun.sleep(2)
    // Rooms 0 and 2 share a lane: their next batch waits for that lane's flush to settle.
    expect(gate.calls).toHaveLength(2)
    expect(batcher.pending).toBe(4)
    await gate.openNext()
    expect(await a1).toEqual({ stored: { room: 0, n: 1 } })
    await Bun.sleep(2)
    expect(gate.calls[2]).toEqual([{ room: 2, n: 2 }, { room: 0, n: 3 }])
    await gate.openNext()
    await gate.openNext()
    expect(await Promise.all([b1, a2, a3])).toHaveLength(3)
    expect(batcher.pending).toBe(0)
  })

  test('a failing batch is retried item by item in its own lane, before that lane goes on; the other lane is not held', async () => {
    const calls: Keyed[][] = []
    const batcher = createLanedBatcher({
      lanes: 2,
      laneOf: (item: Keyed) => item.room,
      flush: async (items: Keyed[]) => {
        calls.push([...items])
        if (items.some((i) => i.n === 2)) throw new Error('item 2 violates a constraint')
        return items.map((i) => i.n)
      },
    })
    const first = [1, 2, 3].map((n) => batcher.submit({ room: 0, n }))
    const other = batcher.submit({ room: 1, n: 9 })
    const settled = await Promise.allSettled(first)
    const later = await batcher.submit({ room: 0, n: 4 })
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(await other).toBe(9)
    expect(later).toBe(4)
    const room0 = calls.filter((c) => c[0]!.room === 0).map((c) => c.map((i) => i.n))
    expect(room0).toEqual([[1, 2, 3], [1], [2], [3], [4]])
  })

  test('drain waits for every lane', async () => {
    const gate = gatedFlush<Keyed>()
    const batcher = createLanedBatcher({ lanes: 2, laneOf: (item: Keyed) => item.room, flush: gate.flush })
    const done: number[] = []
    batcher.submit({ room: 0, n: 1 }).then(() => done.push(1))
    batcher.submit({ room: 1, n: 2 }).then(() => done.push(2))
    await Bun.sleep(2)
    let drained = false
    const drain = batcher.drain().then(() => (drained = true))
    await gate.openNext()
    await Bun.sleep(2)
    expect(drained).toBe(false)
    await gate.openNext()
    await drain
    expect(done.sort()).toEqual([1, 2])
  })

  test('one lane is the plain batcher; a lane count that is not a positive integer is refused', async () => {
    const calls: number[][] = []
    const batcher = createLanedBatcher<number, number>({
      lanes: 1,
      laneOf: (n) => n,
      flush: async (items) => (calls.push([...items]), items),
    })
    expect(await Promise.all([1, 2, 3].map((n) => batcher.submit(n)))).toEqual([1, 2, 3])
    expect(calls).toEqual([[1, 2, 3]])
    for (const lanes of [0, 1.5, -2]) expect(() => createLanedBatcher({ lanes, laneOf: () => 0, flush: async (i: number[]) => i })).toThrow(RangeError)
  })
})
