/**
 * The advisor seed's shapes: `sess-{n}` and `msg-{12 hex}` ids, its two timestamp styles,
 * finance chat items, cards and transactions.
 */
import { t } from 'elysia'
import type { Card } from '../../modules/cards/catalog'
import type { Message } from '../../modules/messaging/message-repo'
import type { StoredTransaction } from '../../modules/advisor/spending-repo'

/** `sess-{room id}`. */
export const sessionIdOf = (roomId: number) => `sess-${roomId}`

/** The room id in a `sess-{n}` session id; undefined for anything else (so the caller answers 404). */
export function roomIdOf(sessionId: unknown): number | undefined {
  if (typeof sessionId !== 'string') return undefined
  const m = /^sess-([1-9]\d{0,14})$/.exec(sessionId)
  return m ? Number(m[1]) : undefined
}

/** `msg-` and the first 12 hex digits of the message's uuid (random in a v4 uuid, so ids do not collide in practice). */
export const messageIdOf = (m: Message) => `msg-${m.publicId.replace(/-/g, '').slice(0, 12)}`

const KST_MS = 9 * 60 * 60 * 1000

/**
 * make_room and send_message time: Korean wall-clock time with microseconds and no zone,
 * `2026-01-28T21:00:00.123000`, the way the seed's server printed a local `datetime`; a
 * browser reads a zone-less time as local, which is Korean time for this client's users.
 */
export const kstTimestamp = (d: Date) => new Date(d.getTime() + KST_MS).toISOString().replace('Z', '000')

/** Finance chat time as the seed shows it: UTC to the second, `2026-01-28T12:00:00Z`. */
export const utcSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z')

/** A finance chat message: `{user, message, is_user, created_at}`; `user` is the chat owner on both sides. */
export const chatItem = (ownerId: number, m: Message) => ({
  user: ownerId,
  message: m.content,
  is_user: m.role === 'user',
  created_at: utcSeconds(m.createdAt),
})

/** A card as send_message shows it (the ranking-only `min_monthly_spend` is left out). */
export const cardView = (c: Card) => ({
  card_id: c.card_id,
  card_name: c.card_name,
  company: c.company,
  card_image_url: c.card_image_url,
  annual_fee_domestic: c.annual_fee_domestic,
  annual_fee_overseas: c.annual_fee_overseas,
  fee_waiver_rule: c.fee_waiver_rule,
  benefits: c.benefits.map((b) => ({ benefit_id: b.benefit_id, category_name: b.category_name, benefit_rate: b.benefit_rate, benefit_limit: b.benefit_limit })),
})

/** A stored transaction. */
export const transactionView = (r: StoredTransaction) => ({
  id: r.id,
  amount: r.amount,
  category: r.category,
  merchant: r.merchant,
  occurred_at: utcSeconds(r.occurredAt),
})

/** OpenAPI schema of `chatItem`. */
export const ChatItemSchema = t.Object({ user: t.Number(), message: t.String(), is_user: t.Boolean(), created_at: t.String() })

/** OpenAPI schema of `cardView`. */
export const CardSchema = t.Object({
  card_id: t.Number(),
  card_name: t.String(),
  company: t.String(),
  card_image_url: t.String(),
  annual_fee_domestic: t.Number(),
  annual_fee_overseas: t.Number(),
  fee_waiver_rule: t.String(),
  benefits: t.Array(t.Object({ benefit_id: t.Number(), category_name: t.String(), benefit_rate: t.String(), benefit_limit: t.Number() })),
})

/** OpenAPI schema of `transactionView`. */
export const TransactionSchema = t.Object({ id: t.Number(), amount: t.Number(), category: t.String(), merchant: t.String(), occurred_at: t.String() })
