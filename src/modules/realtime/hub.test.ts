import { afterAll, afterEach, beforeAll, describe, expect, test } from 'bun:test'
import type Redis from 'ioredis'
import type { Hub } from './hub'
import { createMemoryHub } from './memory-hub'
import type { MessengerMessageEvent, MessengerTypingEvent } from './protocol'
import { createRedisHub } from './redis-hub'
import {
  connectTestRedis,
  openClient,
  openStalledClient,
  startHubServer,
  uniquePrefix,
  waitUntil,
  type HubTestServer,
  type TestClient,
} from './test-kit'

const typing = (userId: number): MessengerTypingEvent => ({
  type: 'typing',
  user_id: userId,
  user_name: `user ${userId}`,
  is_typing: true,
})

const message = (id: number, content: string): MessengerMessageEvent => ({
  type: 'message',
  message_id: id,
  room_id: 1,
  sender_id: 10,
  sender_name: '김철수',
  content,
  message_type: 'text',
  timestamp: '2025-09-02T12:00:00',
  reply_to_message_id: null,
})

let redis: Redis
beforeAll(async () => {
  redis = await connectTestRedis()
})
afterAll(() => redis.disconnect())

const implementations: Array<{ name: string; make: (options?: { maxBufferedBytes?: number }) => Promise<Hub> }> = [
  { name: 'memory hub', make: async (options) => createMemoryHub(options) },
  {
    name: 'redis hub',
    make: (options) => createRedisHub({ redis, channelPrefix: uniquePrefix('hub'), ...options }),
  },
]

for (const impl of implementations) {
  describe(`${impl.name} contract`, () => {
    const cleanups: Array<() => unknown> = []
    afterEach(async () => {
      for (const fn of cleanups.splice(0).reverse()) await fn()
    })

    async function setup(options?: { maxBufferedBytes?: number }) {
      const hub = await impl.make(options)
      const srv: HubTestServer = startHubServer(hub, options)
      cleanups.push(() => srv.stop(), () => hub.close())
      const connect = async (...topics: string[]): Promise<TestClient> => {
        const client = await openClient(`${srv.url}?${topics.map((t) => `topic=${encodeURIComponent(t)}`).join('&')}`)
        cleanups.push(() => client.close())
        return client
      }
      return { hub, srv, connect }
    }

    test('an event reaches every subscriber of its topic once, and no one else', async () => {
      const { hub, connect } = await setup()
      const a1 = await connect('room:a')
      const a2 = await connect('room:a')
      const b = await connect('room:b')
      await hub.publish('room:a', typing(1))
      await hub.publish('room:b', typing(2))
      await Promise.all([a1.waitForCount(1), a2.waitForCount(1), b.waitForCount(1)])
      // Frames on one socket arrive in order, so a stray room:a event would precede room:b's.
      expect(b.received).toEqual([typing(2)])
      await hub.publish('room:a', typing(3))
      await Promise.all([a1.waitForCount(2), a2.waitForCount(2)])
      expect(a1.received).toEqual([typing(1), typing(3)])
      expect(a2.received).toEqual([typing(1), typing(3)])
    })

    test('events on a topic arrive in publish order', async () => {
      const { hub, connect } = await setup()
      const client = await connect('room:order')
      const ids = Array.from({ length: 200 }, (_, i) => i + 1)
      await Promise.all(ids.map((id) => hub.publish('room:order', message(id, `m${id}`))))
      await client.waitForCount(ids.length)
      expect(client.received.map((e) => (e as MessengerMessageEvent).message_id)).toEqual(ids)
    })

    test('a socket subscribed to two topics receives both; unsubscribe stops one', async () => {
      const { hub, srv, connect } = await setup()
      const client = await connect('room:x', 'room:y')
      await hub.publish('room:x', typing(1))
      await hub.publish('room:y', typing(2))
      await client.waitForCount(2)
      const [ws] = [...srv.sockets]
      hub.unsubscribe(ws!, 'room:x')
      await hub.publish('room:x', typing(3))
      await hub.publish('room:y', typing(4))
      await client.waitForCount(3)
      expect(client.received).toEqual([typing(1), typing(2), typing(4)])
    })

    test('a publish with `except` skips that socket and reaches every other subscriber', async () => {
      const { hub, srv, connect } = await setup()
      const sender = await connect('room:typing')
      const [senderSocket] = [...srv.sockets]
      const other = await connect('room:typing')
      await hub.publish('room:typing', typing(1), { except: senderSocket! })
      await other.waitForCount(1)
      // The sentinel goes to both; had the sender received the first event, it would come first.
      await hub.publish('room:typing', typing(2))
      await Promise.all([sender.waitForCount(1), other.waitForCount(2)])
      expect(sender.received).toEqual([typing(2)])
      expect(other.received).toEqual([typing(1), typing(2)])
    })

    test('a slow consumer is closed with 4009 while a reading subscriber keeps every event', async () => {
      const { hub, srv, connect } = await setup({ maxBufferedBytes: 512 * 1024 })
      const reader = await connect('room:big')
      const stalled = await openStalledClient(`${srv.url}?topic=room:big`)
      cleanups.push(() => stalled.end())
      await waitUntil(() => srv.server.subscriberCount('room:big') === 2, 'both subscribers')
      const payload = 'x'.repeat(128 * 1024)
      let sent = 0
      // The kernel absorbs a few MB before the socket's own buffer grows; 1,000 frames of
      // 128 KB is far beyond any loopback buffer, so the loop ends by the bound tripping.
      while (srv.closes.length === 0 && sent < 1000) {
        sent += 1
        await hub.publish('room:big', message(sent, payload))
        await reader.waitForCount(sent)
      }
      expect(srv.closes).toEqual([{ code: 4009, reason: 'slow consumer' }])
      expect(reader.closed).toBeNull()
      await hub.publish('room:big', message(sent + 1, 'after'))
      await reader.waitForCount(sent + 1)
      expect((reader.received.at(-1) as MessengerMessageEvent).content).toBe('after')
    })

    test('close() says going away (1001) to every socket and refuses later publishes', async () => {
      const { hub, connect } = await setup()
      const a = await connect('room:bye')
      const b = await connect('room:other')
      await hub.close()
      await waitUntil(() => a.closed !== null && b.closed !== null, 'both sockets closed')
      expect(a.closed?.code).toBe(1001)
      expect(b.closed?.code).toBe(1001)
      await expect(hub.publish('room:bye', typing(1))).rejects.toMatchObject({ code: 'UNAVAILABLE' })
    })
  })
}

describe('redis hub across processes', () => {
  test('a publish on one process reaches clients on both, exactly once each', async () => {
    const channelPrefix = uniquePrefix('hub2')
    const hubA = await createRedisHub({ redis, channelPrefix })
    const hubB = await createRedisHub({ redis, channelPrefix })
    // A third process with no sockets of its own, used only to publish a sentinel.
    const hubC = await createRedisHub({ redis, channelPrefix })
    const srvA = startHubServer(hubA)
    const srvB = startHubServer(hubB)
    try {
      const onA = await openClient(`${srvA.url}?topic=room:7`)
      const onB = await openClient(`${srvB.url}?topic=room:7`)
      await hubA.publish('room:7', message(1, 'from A'))
      // Redis runs PUBLISH commands one at a time and pushes messages down each subscriber
      // connection in that order: once both clients hold C's sentinel, any echo of A's
      // event (A delivering its own publish twice) would already have arrived.
      await hubC.publish('room:7', message(2, 'sentinel'))
      await Promise.all([onA.waitForCount(2), onB.waitForCount(2)])
      for (const client of [onA, onB]) {
        expect(client.received.map((e) => (e as MessengerMessageEvent).content)).toEqual(['from A', 'sentinel'])
      }
      onA.close()
      onB.close()
    } finally {
      srvA.stop()
      srvB.stop()
      await Promise.all([hubA.close(), hubB.close(), hubC.close()])
    }
  })

  test('`except` spares only the local sender: another process delivers to all its sockets', async () => {
    const channelPrefix = uniquePrefix('except')
    const hubA = await createRedisHub({ redis, channelPrefix })
    const hubB = await createRedisHub({ redis, channelPrefix })
    const srvA = startHubServer(hubA)
    const srvB = startHubServer(hubB)
    try {
      const sender = await openClient(`${srvA.url}?topic=room:9`)
      const [senderSocket] = [...srvA.sockets]
      const neighbour = await openClient(`${srvA.url}?topic=room:9`)
      const remote = await openClient(`${srvB.url}?topic=room:9`)
      await hubA.publish('room:9', typing(1), { except: senderSocket! })
      await hubA.publish('room:9', typing(2))
      await Promise.all([sender.waitForCount(1), neighbour.waitForCount(2), remote.waitForCount(2)])
      expect(sender.received).toEqual([typing(2)])
      expect(neighbour.received).toEqual([typing(1), typing(2)])
      expect(remote.received).toEqual([typing(1), typing(2)])
      for (const c of [sender, neighbour, remote]) c.close()
    } finally {
      srvA.stop()
      srvB.stop()
      await Promise.all([hubA.close(), hubB.close()])
    }
  })

  test("one event-loop turn's events leave as one Redis message per channel and arrive in order", async () => {
    const channelPrefix = uniquePrefix('batch')
    const hubA = await createRedisHub({ redis, channelPrefix })
    const hubB = await createRedisHub({ redis, channelPrefix })
    const spy = redis.duplicate()
    const onBus: string[] = []
    spy.on('pmessage', (_p: string, channel: string) => onBus.push(channel.slice(channelPrefix.length)))
    await spy.psubscribe(`${channelPrefix}*`)
    const srvB = startHubServer(hubB)
    try {
      const remote = await openClient(`${srvB.url}?topic=room:1&topic=room:2`)
      await Promise.all([1, 2, 3, 4, 5].map((i) => hubA.publish('room:1', message(i, `m${i}`))).concat(hubA.publish('room:2', typing(9))))
      await remote.waitForCount(6)
      expect(remote.received.filter((e) => (e as MessengerMessageEvent).type === 'message').map((e) => (e as MessengerMessageEvent).content)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5'])
      // A later turn's publish is a sentinel: the spy has seen everything sent before it.
      await hubA.publish('room:1', typing(10))
      await waitUntil(() => onBus.length >= 3, 'the sentinel on the bus')
      expect(onBus).toEqual(['room:1', 'room:2', 'room:1'])
      remote.close()
    } finally {
      srvB.stop()
      spy.disconnect()
      await Promise.all([hubA.close(), hubB.close()])
    }
  })

  test('hubs with different channel prefixes do not hear each other', async () => {
    const hubA = await createRedisHub({ redis, channelPrefix: uniquePrefix('iso') })
    const hubB = await createRedisHub({ redis, channelPrefix: uniquePrefix('iso') })
    const srvB = startHubServer(hubB)
    try {
      const onB = await openClient(`${srvB.url}?topic=room:1`)
      await hubA.publish('room:1', typing(1))
      await hubB.publish('room:1', typing(2))
      await onB.waitForCount(1)
      // hubA's PUBLISH was answered before hubB's was sent; had B's subscriber matched it,
      // it would have arrived first.
      expect(onB.received).toEqual([typing(2)])
      onB.close()
    } finally {
      srvB.stop()
      await hubA.close()
      await hubB.close()
    }
  })

  test('publishing after the bus connection is gone rejects with UNAVAILABLE, after local delivery', async () => {
    const own = await connectTestRedis()
    const hub = await createRedisHub({ redis: own, channelPrefix: uniquePrefix('down') })
    const srv = startHubServer(hub)
    try {
      const client = await openClient(`${srv.url}?topic=room:1`)
      own.disconnect()
      await expect(hub.publish('room:1', typing(5))).rejects.toMatchObject({ code: 'UNAVAILABLE' })
      await client.waitForCount(1)
      expect(client.received).toEqual([typing(5)])
      client.close()
    } finally {
      srv.stop()
      await hub.close()
    }
  })
})

