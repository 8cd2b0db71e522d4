/**
 * The card catalog: its types, validation of a catalog document, and the CSV layout the
 * `cards:import` command reads.
 *
 * CSV layout (header required, columns in any order, one row per benefit, cards grouped by
 * card_id; the card columns repeat on every row of a card and must agree):
 *
 *   card_id,card_name,company,card_image_url,annual_fee_domestic,annual_fee_overseas,
 *   fee_waiver_rule,min_monthly_spend,benefit_id,category_name,benefit_rate,benefit_limit
 *
 * Amounts are whole KRW ("15000" or "15,000" in quotes). A card with no benefits is one row
 * whose four benefit columns are empty. `benefit_rate` is a percentage ("10%", "1.5%") or a
 * flat amount per use ("1,000원"); `benefit_limit` is KRW per month, 0 meaning no cap.
 * `min_monthly_spend` is the monthly spend (전월실적) that `fee_waiver_rule` names.
 */
import { AppError } from '../../platform/errors'
import { headerIndex, parseCsv } from '../spending/csv'
import { CATEGORIES, isCategory, type Category } from './categories'

/** One benefit of a card. */
export interface CardBenefit {
  benefit_id: number
  category_name: Category
  benefit_rate: string
  benefit_limit: number
}

/** One card, in the advisor seed's shape plus `min_monthly_spend`. */
export interface Card {
  card_id: number
  card_name: string
  company: string
  card_image_url: string
  annual_fee_domestic: number
  annual_fee_overseas: number
  fee_waiver_rule: string
  min_monthly_spend: number
  benefits: CardBenefit[]
}

/** A validated catalog. `sample` marks illustrative data that is no issuer's real offer. */
export interface CardCatalog {
  sample: boolean
  note?: string
  cards: Card[]
}

/** Matches the two benefit_rate forms: "10%" / "1.5%" and "1,000원". */
export const RATE_PATTERN = /^(?:\d{1,2}(?:\.\d{1,2})?%|\d{1,3}(?:,\d{3})*원|\d+원)$/

const MAX_ERRORS_IN_MESSAGE = 5

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

interface Problems {
  add(path: string, message: string): void
  throwIfAny(what: string): void
}

/** Collects every problem so one import run reports them all, not just the first. */
function problems(): Problems {
  const list: string[] = []
  return {
    add: (path, message) => list.push(`${path}: ${message}`),
    throwIfAny: (what) => {
      if (list.length === 0) return
      throw listError(what, list)
    },
  }
}

function listError(what: string, list: readonly string[]): AppError {
  const shown = list.slice(0, MAX_ERRORS_IN_MESSAGE).join('; ')
  const more = list.length > MAX_ERRORS_IN_MESSAGE ? ` (and ${list.length - MAX_ERRORS_IN_MESSAGE} more)` : ''
  return new AppError('VALIDATION', `${what}: ${shown}${more}`, { details: { errors: [...list] } })
}

function text(o: Obj, key: string, path: string, p: Problems, { max, required }: { max: number; required: boolean }): string {
  const v = o[key]
  if (v === undefined || v === null) {
    if (required) p.add(`${path}.${key}`, 'is required')
    return ''
  }
  if (typeof v !== 'string') {
    p.add(`${path}.${key}`, 'must be a string')
    return ''
  }
  const s = v.trim()
  if (required && s === '') p.add(`${path}.${key}`, 'must not be empty')
  if (s.length > max) p.add(`${path}.${key}`, `must be at most ${max} characters`)
  return s
}

function integer(o: Obj, key: string, path: string, p: Problems, min: number): number {
  const v = o[key]
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
    p.add(`${path}.${key}`, `must be an integer ≥ ${min}`)
    return 0
  }
  return v
}

/**
 * Validates a catalog document: `{sample?, note?, cards: [...]}` or a bare array of cards.
 * Guarantees unique card_id and benefit_id, known categories, well-formed rates, non-negative
 * whole-KRW amounts; otherwise throws AppError VALIDATION listing every problem by path.
 */
export function validateCatalog(json: unknown): CardCatalog {
  const doc: Obj = Array.isArray(json) ? { cards: json } : isObj(json) ? json : {}
  const p = problems()
  if (!Array.isArray(doc.cards)) {
    p.add('cards', 'must be a list')
    p.throwIfAny('invalid card catalog')
  }
  const cardIds = new Set<number>()
  const benefitIds = new Set<number>()
  const cards: Card[] = (doc.cards as unknown[]).map((raw, i) => {
    const path = `cards[${i}]`
    if (!isObj(raw)) {
      p.add(path, 'must be an object')
      return null
    }
    const card_id = integer(raw, 'card_id', path, p, 1)
    if (cardIds.has(card_id)) p.add(`${path}.card_id`, `duplicates card_id ${card_id}`)
    cardIds.add(card_id)
    const card_image_url = text(raw, 'card_image_url', path, p, { max: 500, required: false })
    if (card_image_url !== '' && !/^(https?:\/\/|\/)/.test(card_image_url)) {
      p.add(`${path}.card_image_url`, 'must be an http(s) URL or an absolute path')
    }
    const benefitsRaw = raw.benefits ?? []
    if (!Array.isArray(benefitsRaw)) p.add(`${path}.benefits`, 'must be a list')
    const benefits = (Array.isArray(benefitsRaw) ? benefitsRaw : []).map((b, j) => {
      const bpath = `${path}.benefits[${j}]`
      if (!isObj(b)) {
        p.add(bpath, 'must be an object')
        return null
      }
      const benefit_id = integer(b, 'benefit_id', bpath, p, 1)
      if (benefitIds.has(benefit_id)) p.add(`${bpath}.benefit_id`, `duplicates benefit_id ${benefit_id}`)
      benefitIds.add(benefit_id)
      const category = text(b, 'category_name', bpath, p, { max: 50, required: true })
      if (category !== '' && !isCategory(category)) {
        p.add(`${bpath}.category_name`, `unknown category "${category}" (expected one of ${CATEGORIES.join(', ')})`)
      }
      const rate = text(b, 'benefit_rate', bpath, p, { max: 20, required: true })
      if (rate !== '' && !RATE_PATTERN.test(rate)) p.add(`${bpath}.benefit_rate`, 'must look like "10%" or "1,000원"')
      return {
        benefit_id,
        category_name: category as Category,
        benefit_rate: rate,
        benefit_limit: integer(b, 'benefit_limit', bpath, p, 0),
      }
    })
    return {
      card_id,
      card_name: text(raw, 'card_name', path, p, { max: 100, required: true }),
      company: text(raw, 'company', path, p, { max: 100, required: true }),
      card_image_url,
      annual_fee_domestic: integer(raw, 'annual_fee_domestic', path, p, 0),
      annual_fee_overseas: integer(raw, 'annual_fee_overseas', path, p, 0),
      fee_waiver_rule: text(raw, 'fee_waiver_rule', path, p, { max: 200, required: false }),
      min_monthly_spend: raw.min_monthly_spend === undefined ? 0 : integer(raw, 'min_monthly_spend', path, p, 0),
      benefits: benefits.filter((b): b is CardBenefit => b !== null),
    }
  }).filter((c): c is Card => c !== null)
  if (doc.sample !== undefined && typeof doc.sample !== 'boolean') p.add('sample', 'must be true or false')
  if (doc.note !== undefined && typeof doc.note !== 'string') p.add('note', 'must be a string')
  p.throwIfAny('invalid card catalog')
  return { sample: doc.sample === true, ...(typeof doc.note === 'string' ? { note: doc.note } : {}), cards }
}

const CARD_COLUMNS = [
  'card_id', 'card_name', 'company', 'card_image_url', 'annual_fee_domestic', 'annual_fee_overseas',
  'fee_waiver_rule', 'min_monthly_spend',
] as const
const BENEFIT_COLUMNS = ['benefit_id', 'category_name', 'benefit_rate', 'benefit_limit'] as const
const NUMERIC = new Set(['card_id', 'annual_fee_domestic', 'annual_fee_overseas', 'min_monthly_spend', 'benefit_id', 'benefit_limit'])

/** "15,000" → 15000; anything that is not a whole number is returned as text for validation to reject. */
function cell(column: string, raw: string): unknown {
  const v = raw.trim()
  if (!NUMERIC.has(column)) return v
  if (/^\d{1,3}(,\d{3})+$|^\d+$/.test(v)) return Number(v.replace(/,/g, ''))
  return v
}

/**
 * Parses a catalog CSV (layout in the module comment) into a validated, non-sample catalog.
 * Guarantees: cards keep the order of their first row; a card whose rows disagree on a card
 * column, or a malformed value, throws AppError VALIDATION naming the CSV line.
 */
export function parseCatalogCsv(csvText: string): CardCatalog {
  const [header, ...rows] = parseCsv(csvText)
  if (!header) throw new AppError('VALIDATION', 'card CSV is empty')
  const index = headerIndex(header, [...CARD_COLUMNS, ...BENEFIT_COLUMNS])
  const p = problems()
  const cards = new Map<string, Obj>()
  const lineOf = new Map<Obj, number>()
  for (const { line, fields } of rows) {
    const get = (c: string) => cell(c, fields[index.get(c)!] ?? '')
    const cardKey = String(get('card_id'))
    let card = cards.get(cardKey)
    if (!card) {
      card = Object.fromEntries(CARD_COLUMNS.map((c) => [c, get(c)]))
      card.benefits = []
      cards.set(cardKey, card)
      lineOf.set(card, line)
    } else {
      for (const c of CARD_COLUMNS) {
        if (card[c] !== get(c)) p.add(`line ${line}`, `${c} differs from the earlier row of card ${cardKey}`)
      }
    }
    const benefit = Object.fromEntries(BENEFIT_COLUMNS.map((c) => [c, get(c)]))
    if (BENEFIT_COLUMNS.every((c) => benefit[c] === '')) continue
    ;(card.benefits as Obj[]).push(benefit)
    lineOf.set(benefit, line)
  }
  p.throwIfAny('invalid card CSV')
  try {
    return validateCatalog({ sample: false, cards: [...cards.values()] })
  } catch (e) {
    if (!(e instanceof AppError)) throw e
    const errors = (e.details?.errors as string[] | undefined) ?? [e.message]
    const cardList = [...cards.values()]
    const located = errors.map((msg) => {
      const m = /^cards\[(\d+)\](?:\.benefits\[(\d+)\])?/.exec(msg)
      if (!m) return msg
      const card = cardList[Number(m[1])]
      const benefit = m[2] !== undefined ? (card?.benefits as Obj[] | undefined)?.[Number(m[2])] : undefined
      const line = (benefit && lineOf.get(benefit)) ?? (card && lineOf.get(card))
      return line ? `line ${line} — ${msg}` : msg
    })
    throw listError('invalid card CSV', located)
  }
}
