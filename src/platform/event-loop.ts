/**
 * Resolves on the event loop's next check phase, after pending I/O (new requests, socket
 * frames) has been served: long CPU or embedded-database work awaits it between slices.
 */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))
