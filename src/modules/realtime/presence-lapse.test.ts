import { afterAll, beforeAll, expect, test } from 'bun:test'
import type Redis from 'ioredis'
import { createMemoryHub } from './memory-hub'
import { createLapseAnnouncer } from './presence-lapse'
import { topics } from './protocol'
import { createRedisPresence } from './redis-presence'
import { connectTestRedis, deleteKeys, openClient, startHubServer, uniquePrefix } from './test-kit'

let redis: Redis
const keyPrefix = uniquePrefix('lapse')
beforeAll(async () => {
  redis = await connectTestRedis()
})
afterAll(async () => {
  await deleteKeys(redis, keyPrefix)
  redis.disconnect()
})

test("a crashed process's messenger users are announced offline by a surviving process", async () => {
  const hub = createMemoryHub()
  const srv = startHubServer(hub)
  const clock = { t: 1_000_000 }
  const now = () => clock.t
  const names = new Map([[7, '김철수']])
  const onLapse = createLapseAnnouncer({ hub, userName: async (id) => names.get(id) })
  const room = topics.messengerRoom(3)
  const couples = topics.couplesRoom(3)
  const dying = createRedisPresence({ redis, keyPrefix, now, ttlMs: 10_000, heartbeatMs: 5_000 })
  const alive = createRedisPresence({ redis, keyPrefix, now, ttlMs: 10_000, heartbeatMs: 5_000, onLapse })
  try {
    const watcher = await openClient(`${srv.url}?topic=${encodeURIComponent(room)}&topic=${encodeURIComponent(couples)}`)
    await dying.connect(room, '7')
    await dying.connect(couples, '42')
    await alive.connect(room, '8')
    // `dying` never heartbeats again; past its TTL, the next look at the topic purges it.
    clock.t += 10_001
    await alive.refresh()
    expect(await alive.online(room)).toEqual(['8'])
    await watcher.waitForCount(1)
    expect(watcher.received).toEqual([{ type: 'user_status', user_id: 7, user_name: '김철수', status: 'offline' }])
    // A couples topic lapses silently: that surface shows no presence events.
    expect(await alive.online(couples)).toEqual([])
    await hub.publish(room, { type: 'typing', user_id: 8, user_name: 'sentinel', is_typing: true })
    await watcher.waitForCount(2)
    expect(watcher.received).toHaveLength(2)
    watcher.close()
  } finally {
    await alive.close()
    await dying.close()
    srv.stop()
    await hub.close()
  }
})
