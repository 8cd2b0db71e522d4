/**
 * Presence for a single process: plain counters. Every call settles before it returns a
 * promise, so concurrent connects of one user always see exactly one `firstForUser`.
 */
import type { Presence } from './presence'

/** `now` is injectable so tests can move last-seen time by hand. */
export interface MemoryPresenceOptions {
  now?: () => number
}

/** Presence held in this process's memory; use it when `REDIS_URL` is not set. */
export function createMemoryPresence(options: MemoryPresenceOptions = {}): Presence {
  const now = options.now ?? Date.now
  const byTopic = new Map<string, Map<string, number>>()
  // Sockets per user across all topics, to answer last-seen with "now" while connected.
  const everywhere = new Map<string, number>()
  // One timestamp per user ever seen; bounded by the user table, like the users it names.
  const seenAt = new Map<string, number>()
  let closed = false

  return {
    async connect(topic, userId) {
      if (closed) return { firstForUser: false }
      let users = byTopic.get(topic)
      if (!users) byTopic.set(topic, (users = new Map()))
      const count = (users.get(userId) ?? 0) + 1
      users.set(userId, count)
      everywhere.set(userId, (everywhere.get(userId) ?? 0) + 1)
      return { firstForUser: count === 1 }
    },
    async disconnect(topic, userId) {
      const users = byTopic.get(topic)
      const count = users?.get(userId) ?? 0
      if (!users || count === 0) return { lastForUser: false }
      if (count === 1) {
        users.delete(userId)
        if (users.size === 0) byTopic.delete(topic)
      } else {
        users.set(userId, count - 1)
      }
      const total = (everywhere.get(userId) ?? 1) - 1
      if (total <= 0) {
        everywhere.delete(userId)
        seenAt.set(userId, now())
      } else {
        everywhere.set(userId, total)
      }
      return { lastForUser: count === 1 }
    },
    async online(topic) {
      return [...(byTopic.get(topic)?.keys() ?? [])]
    },
    async lastSeen(userIds) {
      const result = new Map<string, Date>()
      const t = now()
      for (const id of userIds) {
        if ((everywhere.get(id) ?? 0) > 0) result.set(id, new Date(t))
        else if (seenAt.has(id)) result.set(id, new Date(seenAt.get(id)!))
      }
      return result
    },
    async close() {
      closed = true
      const t = now()
      for (const id of everywhere.keys()) seenAt.set(id, t)
      const departures = [...byTopic].map(([topic, users]) => ({ topic, userIds: [...users.keys()] }))
      byTopic.clear()
      everywhere.clear()
      return departures
    },
  }
}
