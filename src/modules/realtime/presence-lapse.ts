/**
 * What a crashed process could not say itself. When a process dies, its sockets never run
 * their close handlers, so nobody announces that their users left; Redis presence notices
 * once the process's heartbeat lapses and tells exactly one surviving process (`onLapse`).
 * That process announces `user_status: offline` on the messenger rooms those users were in,
 * as their own close handlers would have. Other surfaces show no presence events.
 */
import type { Logger } from '../../platform/logger'
import type { Hub } from './hub'
import { topics } from './protocol'

/** What announcing needs: the hub, and the display name of a messenger user id. */
export interface LapseAnnouncerDeps {
  hub: Hub
  /** The user's name as the messenger shows it; undefined when the user no longer exists. */
  userName: (userId: number) => Promise<string | undefined>
  logger?: Logger
}

const MESSENGER_PREFIX = topics.messengerRoom('')

/**
 * An `onLapse` callback for Redis presence: publishes one `user_status: offline` per lapsed
 * user of a messenger topic. Never throws; a failed announcement is logged, and clients
 * still see the user offline in the room's online status.
 */
export function createLapseAnnouncer(deps: LapseAnnouncerDeps): (topic: string, userIds: string[]) => void {
  return (topic, userIds) => {
    if (!topic.startsWith(MESSENGER_PREFIX)) return
    for (const id of userIds) {
      const userId = Number(id)
      if (!Number.isSafeInteger(userId)) continue
      deps
        .userName(userId)
        .then((name) => {
          if (name === undefined) return
          return deps.hub.publish(topic, { type: 'user_status', user_id: userId, user_name: name, status: 'offline' })
        })
        .catch((error: unknown) => deps.logger?.warn('could not announce a lapsed user', { topic, userId, error }))
    }
  }
}
