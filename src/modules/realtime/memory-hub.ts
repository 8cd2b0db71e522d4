/**
 * The hub for a single process: publishing is local delivery and nothing else, so an event
 * reaches every subscriber before `publish` returns, in publish order per topic.
 */
import { unavailable } from '../../platform/errors'
import { createLocalFanout, encodeEvent, type Hub, type LocalFanoutOptions } from './hub'

/** A hub whose bus is this process; use it when `REDIS_URL` is not set. */
export function createMemoryHub(options: LocalFanoutOptions = {}): Hub {
  const local = createLocalFanout(options)
  let closed = false
  return {
    async publish(topic, event, delivery) {
      if (closed) throw unavailable('realtime hub is closed')
      local.deliver(topic, encodeEvent(event), delivery?.except)
    },
    attachServer: (server) => local.attach(server),
    subscribe: (ws, topic) => local.subscribe(ws, topic),
    unsubscribe: (ws, topic) => local.unsubscribe(ws, topic),
    unsubscribeAll: (ws) => local.unsubscribeAll(ws),
    async close() {
      if (closed) return
      closed = true
      local.closeAll()
    },
  }
}
