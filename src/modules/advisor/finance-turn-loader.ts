import { sql } from 'drizzle-orm'
import { createWindowedBatcher } from './event-loop-window'
import { queryRows, type Db } from '../../platform/db/client'
import type { ChatMessage } from '../ai/types'
import type { SpendingRepo } from './spending-repo'
import { asSpending, spendingContextOf, spendingWindow, type SpendingContext } from './spending-service'

/** What answering one finance question reads: the user's room, its last messages, and their spending. */
export interface FinanceTurnData {
  /** The user's finance room, when they asked before. */
  roomId?: number
  /** The room's last messages with text, oldest first. */
  recent: ChatMessage[]
  spending: SpendingContext
}

/** Questions read together at most: large enough to amortise, small enough that one read stays short. */
const LOADS_PER_BATCH = 16

/** `finance:{userId}`: the unique key of a user's one finance room. */
export const financeRoomKey = (userId: number) => `finance:${userId}`

/**
 * Reads what finance questions need, for every question waiting at once in two queries (the
 * rooms with their recent messages, and the spending of all their users), through a group
 * batcher behind an event-loop window (see event-loop-window.ts): the embedded database runs
 * queries one at a time on the server's own thread, so two hundred questions arriving
 * together cost a few queries instead of four hundred, and the streams already answering
 * keep their pace. A question never joins a read that started before it was asked, so it
 * always sees what was committed before.
 */
export function createFinanceTurnLoader(deps: { db: Db; spending: SpendingRepo; recentMessages: number; now?: () => Date }) {
  const now = deps.now ?? (() => new Date())

  async function loadMany(userIds: number[]): Promise<FinanceTurnData[]> {
    const unique = [...new Set(userIds)]
    const keys = sql.join(unique.map((id) => sql`${financeRoomKey(id)}`), sql`, `)
    const rows = await queryRows<{ owner: unknown; room_id: unknown; role: string | null; content: string | null }>(
      deps.db,
      sql`select r.created_by as owner, r.id as room_id, m.role, m.content
            from rooms r
            left join lateral (
              select id, role, content from messages
               where room_id = r.id and not is_deleted and content <> '' and role in ('user', 'assistant')
               order by id desc limit ${deps.recentMessages}) m on true
           where r.direct_key in (${keys}) and r.kind = 'finance'
           order by r.id, m.id`,
    )
    const at = now()
    const { from, to } = spendingWindow(at)
    const transactions = await deps.spending.betweenForUsers(unique, from, to)

    const byUser = new Map<number, { roomId?: number; recent: ChatMessage[]; rows: typeof transactions }>()
    for (const id of unique) byUser.set(id, { recent: [], rows: [] })
    for (const r of rows) {
      const entry = byUser.get(Number(r.owner))
      if (!entry) continue
      entry.roomId = Number(r.room_id)
      if (r.role && r.content) entry.recent.push({ role: r.role as 'user' | 'assistant', content: r.content })
    }
    for (const t of transactions) byUser.get(t.userId)?.rows.push(t)
    return userIds.map((id) => {
      const entry = byUser.get(id)!
      return { roomId: entry.roomId, recent: entry.recent, spending: spendingContextOf(entry.rows.map(asSpending), at) }
    })
  }

  const batcher = createWindowedBatcher<number, FinanceTurnData>({ flush: loadMany, maxBatch: LOADS_PER_BATCH })
  return {
    /** What a finance question of `userId` needs, read together with every other question waiting. */
    load: (userId: number): Promise<FinanceTurnData> => batcher.submit(userId),
  }
}

/** The batched reader of finance turns. */
export type FinanceTurnLoader = ReturnType<typeof createFinanceTurnLoader>
