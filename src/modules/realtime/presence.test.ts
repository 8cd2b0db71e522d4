import { afterAll, afterEach, beforeAll, describe, expect, test } from 'bun:test'
import type Redis from 'ioredis'
import { createMemoryPresence } from './memory-presence'
import type { Presence } from './presence'
import { createRedisPresence, type RedisPresence } from './redis-presence'
import { connectTestRedis, deleteKeys, uniquePrefix } from './test-kit'

let redis: Redis
const prefixes: string[] = []
beforeAll(async () => {
  redis = await connectTestRedis()
})
afterAll(async () => {
  for (const p of prefixes) await deleteKeys(redis, p)
  redis.disconnect()
})

/** A clock the test moves by hand, shared by every instance of one test. */
function manualClock(start = 1_000_000) {
  const clock = { t: start, now: () => clock.t }
  return clock
}

const implementations: Array<{ name: string; make: (now: () => number) => Presence }> = [
  { name: 'memory presence', make: (now) => createMemoryPresence({ now }) },
  {
    name: 'redis presence',
    make: (now) => {
      const keyPrefix = uniquePrefix('presence')
      prefixes.push(keyPrefix)
      return createRedisPresence({ redis, keyPrefix, now })
    },
  },
]

for (const impl of implementations) {
  describe(`${impl.name} contract`, () => {
    const open: Presence[] = []
    afterEach(async () => {
      for (const p of open.splice(0)) await p.close()
    })
    const make = (now: () => number) => {
      const p = impl.make(now)
      open.push(p)
      return p
    }

    test('two tabs of one user: online on the first, offline after the last', async () => {
      const presence = make(Date.now)
      expect(await presence.connect('room:1', '11')).toEqual({ firstForUser: true })
      expect(await presence.connect('room:1', '11')).toEqual({ firstForUser: false })
      expect(await presence.online('room:1')).toEqual(['11'])
      expect(await presence.disconnect('room:1', '11')).toEqual({ lastForUser: false })
      expect(await presence.online('room:1')).toEqual(['11'])
      expect(await presence.disconnect('room:1', '11')).toEqual({ lastForUser: true })
      expect(await presence.online('room:1')).toEqual([])
    })

    test('topics are counted separately', async () => {
      const presence = make(Date.now)
      await presence.connect('room:a', 'u1')
      await presence.connect('room:a', 'u2')
      expect(await presence.connect('room:b', 'u2')).toEqual({ firstForUser: true })
      expect((await presence.online('room:a')).sort()).toEqual(['u1', 'u2'])
      expect(await presence.online('room:b')).toEqual(['u2'])
      expect(await presence.disconnect('room:b', 'u2')).toEqual({ lastForUser: true })
      expect((await presence.online('room:a')).sort()).toEqual(['u1', 'u2'])
    })

    test('a disconnect without a connect changes nothing', async () => {
      const presence = make(Date.now)
      await presence.connect('room:1', 'u1')
      expect(await presence.disconnect('room:1', 'u2')).toEqual({ lastForUser: false })
      expect(await presence.disconnect('room:2', 'u1')).toEqual({ lastForUser: false })
      expect(await presence.online('room:1')).toEqual(['u1'])
    })

    test('last seen is now while connected anywhere, then the moment the last socket closed', async () => {
      const clock = manualClock()
      const presence = make(clock.now)
      await presence.connect('room:1', 'u1')
      await presence.connect('room:2', 'u1')
      clock.t += 4000
      expect(await presence.lastSeen(['u1', 'ghost'])).toEqual(new Map([['u1', new Date(clock.t)]]))
      clock.t += 1000
      await presence.disconnect('room:1', 'u1')
      clock.t += 1000
      expect((await presence.lastSeen(['u1'])).get('u1')).toEqual(new Date(clock.t))
      const leftAt = clock.t
      await presence.disconnect('room:2', 'u1')
      clock.t += 60_000
      expect((await presence.lastSeen(['u1'])).get('u1')).toEqual(new Date(leftAt))
      expect(await presence.lastSeen([])).toEqual(new Map())
    })

    test('close removes this instance from presence and stamps last seen', async () => {
      const clock = manualClock()
      const presence = impl.make(clock.now)
      await presence.connect('room:1', 'u9')
      clock.t += 500
      await presence.close()
      const closedAt = clock.t
      clock.t += 500
      // A closed instance can still be asked: only its own sockets and timers are gone.
      expect(await presence.online('room:1')).toEqual([])
      expect((await presence.lastSeen(['u9'])).get('u9')).toEqual(new Date(closedAt))
    })

    test('close names, per topic, the users it leaves without a socket, and ignores later connects', async () => {
      const presence = impl.make(manualClock().now)
      await presence.connect('room:1', 'u1')
      await presence.connect('room:1', 'u1')
      await presence.connect('room:1', 'u2')
      await presence.connect('room:2', 'u1')
      const departures = await presence.close()
      expect(departures.map((d) => ({ topic: d.topic, userIds: [...d.userIds].sort() })).sort((x, y) => x.topic.localeCompare(y.topic))).toEqual([
        { topic: 'room:1', userIds: ['u1', 'u2'] },
        { topic: 'room:2', userIds: ['u1'] },
      ])
      expect(await presence.connect('room:1', 'u3')).toEqual({ firstForUser: false })
      expect(await presence.online('room:1')).toEqual([])
      expect(await presence.close()).toEqual([])
    })
  })
}

describe('redis presence across processes', () => {
  const open: RedisPresence[] = []
  afterEach(async () => {
    for (const p of open.splice(0)) await p.close()
  })
  function processes(count: number, options: { ttlMs?: number; onLapse?: (topic: string, users: string[]) => void } = {}) {
    const keyPrefix = uniquePrefix('presence2')
    prefixes.push(keyPrefix)
    const clock = manualClock()
    const list = Array.from({ length: count }, () =>
      createRedisPresence({ redis, keyPrefix, now: clock.now, ttlMs: options.ttlMs, onLapse: options.onLapse }),
    )
    open.push(...list)
    return { clock, list }
  }

  test('a user connected on two processes goes offline only when both sockets close', async () => {
    const { list: [a, b] } = processes(2)
    expect(await a!.connect('room:1', '11')).toEqual({ firstForUser: true })
    expect(await b!.connect('room:1', '11')).toEqual({ firstForUser: false })
    expect(await a!.online('room:1')).toEqual(['11'])
    expect(await b!.online('room:1')).toEqual(['11'])
    expect(await a!.disconnect('room:1', '11')).toEqual({ lastForUser: false })
    expect(await b!.online('room:1')).toEqual(['11'])
    expect(await b!.disconnect('room:1', '11')).toEqual({ lastForUser: true })
    expect(await a!.online('room:1')).toEqual([])
  })

  test('a process that closes is gone for the others at once', async () => {
    const { clock, list: [a, b] } = processes(2)
    await a!.connect('room:1', 'u9')
    await b!.connect('room:1', 'u1')
    clock.t += 500
    await a!.connect('room:1', 'both')
    await b!.connect('room:1', 'both')
    // 'both' still has a socket on b: only u9 departs with a.
    expect(await a!.close()).toEqual([{ topic: 'room:1', userIds: ['u9'] }])
    expect(await b!.online('room:1')).toEqual(expect.arrayContaining(['u1', 'both']))
    expect((await b!.lastSeen(['u9'])).get('u9')).toEqual(new Date(clock.t))
  })

  test('concurrent first connects on two processes announce online exactly once', async () => {
    const { list: [a, b] } = processes(2)
    const results = await Promise.all([a!.connect('room:1', 'u'), b!.connect('room:1', 'u')])
    expect(results.filter((r) => r.firstForUser)).toHaveLength(1)
  })

  test("a dead process's sockets lapse after the TTL unless its heartbeat refreshed them", async () => {
    const lapses: Array<[string, string[]]> = []
    const { clock, list } = processes(2, { ttlMs: 10_000, onLapse: (topic, users) => lapses.push([topic, users]) })
    const [dying, alive] = list as [RedisPresence, RedisPresence]
    const start = clock.t
    await dying.connect('room:1', 'ghost')
    await alive.connect('room:1', 'u1')
    clock.t = start + 8000
    await dying.refresh()
    await alive.refresh()
    clock.t = start + 15_000
    expect((await alive.online('room:1')).sort()).toEqual(['ghost', 'u1'])
    expect(lapses).toEqual([])
    // `dying` stops heartbeating here; `alive` keeps going.
    await alive.refresh()
    clock.t = start + 18_001
    expect(await alive.online('room:1')).toEqual(['u1'])
    expect(lapses).toEqual([['room:1', ['ghost']]])
    expect((await alive.lastSeen(['ghost', 'u1'])).get('ghost')).toEqual(new Date(start + 8000))
    expect(await alive.connect('room:1', 'ghost')).toEqual({ firstForUser: true })
  })

  test('a refresh heals counts that lapsed while this process stalled', async () => {
    const { clock, list: [a, b] } = processes(2, { ttlMs: 10_000 })
    await a!.connect('room:1', 'u1')
    await a!.connect('room:1', 'u1')
    clock.t += 20_000
    expect(await b!.online('room:1')).toEqual([])
    await a!.refresh()
    expect(await b!.online('room:1')).toEqual(['u1'])
    expect(await a!.disconnect('room:1', 'u1')).toEqual({ lastForUser: false })
    expect(await a!.disconnect('room:1', 'u1')).toEqual({ lastForUser: true })
  })
})
