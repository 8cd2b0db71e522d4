import { describe, expect, test } from 'bun:test'
import { AppError } from '../../platform/errors'
import { DEFAULT_LIMIT, encodeCursor, parseCursor, parseLimit, toPage } from './page-cursor'
import { formatId, parseId } from './petcare-ids'

const UUID = '0b4f2c1e-1a2b-4c3d-8e9f-0123456789ab'

const rejects = (fn: () => unknown) => {
  try {
    fn()
  } catch (e) {
    return e instanceof AppError && e.code === 'VALIDATION'
  }
  return false
}

describe('parseCursor', () => {
  test('reads plain ISO 8601 timestamps, with or without zone and fraction', () => {
    expect(parseCursor(undefined)).toBeUndefined()
    expect(parseCursor('')).toBeUndefined()
    expect(parseCursor('2025-03-13T12:30:00Z')).toEqual({ at: new Date('2025-03-13T12:30:00Z') })
    expect(parseCursor('2025-03-13T12:30:00.123Z')!.at.toISOString()).toBe('2025-03-13T12:30:00.123Z')
    expect(parseCursor('2025-03-13T21:30:00+09:00')!.at.toISOString()).toBe('2025-03-13T12:30:00.000Z')
    // A `+` left unencoded in a query string arrives as a space.
    expect(parseCursor('2025-03-13T21:30:00 09:00')!.at.toISOString()).toBe('2025-03-13T12:30:00.000Z')
  })

  test('round-trips the cursors it hands out, tie-breaker included', () => {
    const at = new Date('2025-03-13T12:34:56.789Z')
    expect(parseCursor(encodeCursor(at, UUID))).toEqual({ at, id: UUID })
    expect(parseCursor(`${at.toISOString()}~${UUID.toUpperCase()}`)).toEqual({ at, id: UUID })
  })

  test('refuses anything else with VALIDATION', () => {
    for (const bad of ['yesterday', '2025-13-45T99:00:00Z', '2025-03-13T12:00:00Z~nope', `2025-03-13T12:00:00Z~${UUID}~${UUID}`, 'x'.repeat(200), 42]) {
      expect(rejects(() => parseCursor(bad))).toBe(true)
    }
  })
})

describe('parseLimit and toPage', () => {
  test('limit defaults to 5 and must be 1..50', () => {
    expect(parseLimit(undefined)).toBe(DEFAULT_LIMIT)
    expect(parseLimit('1')).toBe(1)
    expect(parseLimit('50')).toBe(50)
    for (const bad of ['0', '51', '500', '-1', '2.5', 'ten', ' ']) expect(rejects(() => parseLimit(bad))).toBe(true)
  })

  test('the extra row only signals a next page; the cursor names the last row shown', () => {
    const rows = [1, 2, 3].map((n) => ({ at: new Date(Date.UTC(2025, 0, n)), id: `${n}`.repeat(8) + UUID.slice(8) }))
    const page = toPage(rows, 2, (r) => r)
    expect(page.items).toHaveLength(2)
    expect(page.hasNext).toBe(true)
    expect(page.nextCursor).toBe(encodeCursor(rows[1]!.at, rows[1]!.id))
    expect(toPage(rows.slice(0, 2), 2, (r) => r)).toEqual({ items: rows.slice(0, 2), hasNext: false, nextCursor: null })
  })
})

describe('petcare ids', () => {
  test('format and parse prefixed uuids; anything else reads as unknown', () => {
    expect(formatId('chat', UUID)).toBe(`chat-${UUID}`)
    expect(parseId('chat', `chat-${UUID}`)).toBe(UUID)
    expect(parseId('recipe', `recipe-${UUID.toUpperCase()}`)).toBe(UUID)
    expect(parseId('chat', `recipe-${UUID}`)).toBeUndefined()
    expect(parseId('chat', UUID)).toBeUndefined()
    expect(parseId('chat', 'chat-1')).toBeUndefined()
    expect(parseId('chat', undefined)).toBeUndefined()
  })
})
