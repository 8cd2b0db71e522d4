/**
 * Cursor paging of petcare lists (chats, recipes), newest first. The seed's cursor is an
 * ISO 8601 timestamp; many rows can share one timestamp, so the cursor huddle hands out is
 * `{iso}~{uuid}`: the last row's time and public id, which order the list as the pair
 * (created_at desc, public_id desc). A plain timestamp is still accepted and means
 * "older than this instant".
 */
import { AppError } from '../../platform/errors'

/** Where the next page starts: strictly after (`at`, `id`) in (created_at desc, public_id desc) order. */
export interface PageCursor {
  at: Date
  /** The public uuid of the last row seen; absent for a plain timestamp cursor. */
  id?: string
}

/** One page of a newest-first list. */
export interface Page<T> {
  items: T[]
  nextCursor: string | null
  hasNext: boolean
}

/** The default page size the seed names. */
export const DEFAULT_LIMIT = 5
/** The largest page the seed allows. */
export const MAX_LIMIT = 50

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Reads a `cursor` query value. Guarantees: undefined for none; a valid cursor otherwise, or
 * AppError VALIDATION for anything that is not an ISO 8601 timestamp (optionally `~uuid`).
 * A `+` offset that a query string turned into a space is read back as `+`.
 */
export function parseCursor(raw: unknown): PageCursor | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined
  if (typeof raw !== 'string' || raw.length > 100) throw new AppError('VALIDATION', 'cursor must be an ISO 8601 timestamp')
  const [stamp = '', id, ...rest] = raw.trim().split('~')
  const iso = stamp.replace(/ (\d{2}(?::?\d{2})?)$/, '+$1')
  if (rest.length > 0 || !ISO_8601.test(iso) || (id !== undefined && !UUID.test(id))) {
    throw new AppError('VALIDATION', 'cursor must be an ISO 8601 timestamp')
  }
  const at = new Date(iso.replace(' ', 'T'))
  if (Number.isNaN(at.getTime())) throw new AppError('VALIDATION', 'cursor must be an ISO 8601 timestamp')
  return id === undefined ? { at } : { at, id: id.toLowerCase() }
}

/** The cursor that continues after a row: its time (ISO 8601, UTC) and its public uuid. */
export const encodeCursor = (at: Date, id: string): string => `${at.toISOString()}~${id}`

/** Reads a `limit` query value: DEFAULT_LIMIT when absent, else an integer 1..MAX_LIMIT or AppError VALIDATION. */
export function parseLimit(raw: unknown): number {
  if (raw === undefined || raw === null || raw === '') return DEFAULT_LIMIT
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : ''
  if (!/^\d{1,4}$/.test(text)) throw new AppError('VALIDATION', `limit must be an integer from 1 to ${MAX_LIMIT}`)
  const n = Number(text)
  if (n < 1 || n > MAX_LIMIT) throw new AppError('VALIDATION', `limit must be an integer from 1 to ${MAX_LIMIT}`)
  return n
}

/** Cuts a `limit + 1` fetch into a page: the extra row only says there is a next page. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => { at: Date; id: string }): Page<T> {
  const items = rows.slice(0, limit)
  const hasNext = rows.length > limit
  const last = items[items.length - 1]
  const key = last ? keyOf(last) : undefined
  return { items, hasNext, nextCursor: hasNext && key ? encodeCursor(key.at, key.id) : null }
}
