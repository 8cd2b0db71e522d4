/**
 * Who is connected where. Presence counts sockets per (topic, user) across every tab and
 * every process, so a user with two tabs open goes "offline" only when the last one closes,
 * and a process that dies without saying goodbye stops counting once its heartbeat lapses.
 * It also remembers when each user was last connected anywhere (last seen).
 *
 * Not stored in the database and never replayed: presence is a live view (SPEC "Realtime":
 * typing and presence are not stored). User ids are strings so every surface's ids fit
 * (messenger integers as decimal strings, couples token subjects as they are).
 *
 * Implementations: `createMemoryPresence` (one process), `createRedisPresence` (many).
 */

/** Result of registering one socket. */
export interface ConnectResult {
  /** True when no other socket of this user was in the topic: announce `online`. */
  firstForUser: boolean
}

/** Result of removing one socket. */
export interface DisconnectResult {
  /** True when this was the user's last socket in the topic: announce `offline`. */
  lastForUser: boolean
}

/** Users who went offline in `topic` because this process left (see `Presence.close`). */
export interface Departure {
  topic: string
  userIds: string[]
}

/** Connection counts per (topic, user); every count is exact within one process and summed across live ones. */
export interface Presence {
  /** Counts one more socket of `userId` in `topic`; call once per opened socket. */
  connect(topic: string, userId: string): Promise<ConnectResult>
  /**
   * Counts one socket fewer; call once per closed socket that was connected. A disconnect
   * this process never connected is ignored and reports `lastForUser: false`.
   */
  disconnect(topic: string, userId: string): Promise<DisconnectResult>
  /** Users with at least one live socket in `topic`, each once, in no particular order. */
  online(topic: string): Promise<string[]>
  /**
   * When each user was last connected to any topic: now while connected, else the moment
   * their last socket closed (or their process's last heartbeat). Users never seen are absent.
   */
  lastSeen(userIds: readonly string[]): Promise<Map<string, Date>>
  /**
   * Removes this process's sockets from presence (graceful shutdown) and stops its timers;
   * later connects are ignored. Returns, per topic, the users who now have no socket left in
   * any process (for memory presence: every user it held), whom the caller announces offline
   * before it closes the hub: their sockets' close handlers then find nothing to announce.
   */
  close(): Promise<Departure[]>
}
