/**
 * What a departed process could not say itself. When a process dies, its sockets never run
 * their close handlers, so nobody announces that their users left; Redis presence notices
 * once the process's heartbeat lapses and tells exactly one surviving process (`onLapse`).
 * A process that stops gracefully uses the same announcer for what `Presence.close` returns,
 * before it closes its hub. Either way, `user_status: offline` goes to the messenger rooms
 * those users were in, as their own close handlers would have sent it. Other surfaces show
 * no presence events.
 */
import type { Logger } from '../../platform/logger'
import type { Hub } from './hub'
import { topics } from './protocol'

/** What announcing needs: the hub, and the display name of a messenger user id. */
export interface LapseAnnouncerDeps {
  hub: Hub
  /** The user's name as the messenger shows it; undefined when the user no longer exists. */
  userName: (userId: number) => Promise<string | undefined>
  /** Stores that the user was just seen (the durable last-seen behind presence's). */
  recordSeen?: (userId: number) => Promise<void>
  logger?: Logger
}

const MESSENGER_PREFIX = topics.messengerRoom('')

/**
 * An `onLapse` callback for Redis presence: publishes one `user_status: offline` per lapsed
 * user of a messenger topic. Never rejects; it resolves once every announcement was handed
 * to the hub, and a failed one is logged (clients still see the user offline in the room's
 * online status).
 */
export function createLapseAnnouncer(deps: LapseAnnouncerDeps): (topic: string, userIds: string[]) => Promise<void> {
  return async (topic, userIds) => {
    if (!topic.startsWith(MESSENGER_PREFIX)) return
    await Promise.all(
      userIds.map(async (id) => {
        const userId = Number(id)
        if (!Number.isSafeInteger(userId)) return
        try {
          const name = await deps.userName(userId)
          if (name === undefined) return
          await deps.hub.publish(topic, { type: 'user_status', user_id: userId, user_name: name, status: 'offline' })
          await deps.recordSeen?.(userId)
        } catch (error) {
          deps.logger?.warn('could not announce a departed user', { topic, userId, error })
        }
      }),
    )
  }
}
