/**
 * The schema pieces every surface's routes share for what arrives in paths, queries and
 * bodies. Numbers: only canonical decimal digits (no sign, spaces, exponent, hex, fraction
 * or leading zero) within the range of the column they will meet, so `0x10`, `16e0` and
 * ` 16 ` are not read as 16 and `1.5` or 2^63 never reach the database. Text: see
 * text-guard.ts, applied to every request by the HTTP pipeline.
 */
import { t } from 'elysia'
import { validation } from '../errors'

/** Ids live in bigint columns read as JS numbers: the largest one a number carries exactly. */
export const BIGINT_ID_MAX = Number.MAX_SAFE_INTEGER
/** The largest value of an `integer` / `serial` column. */
export const INT4_MAX = 2_147_483_647

const CANONICAL_DIGITS = '^(0|[1-9][0-9]{0,15})$'

interface IntRange {
  minimum: number
  maximum: number
  /** What the number is (`id`, `page`), named in the refusal. */
  description: string
}

const expectation = ({ minimum, maximum, description }: IntRange) => `${description} must be an integer from ${minimum} to ${maximum}`

const inRange = (range: IntRange) => (n: number) => {
  if (!Number.isSafeInteger(n) || n < range.minimum || n > range.maximum) throw validation(expectation(range))
  return n
}

/**
 * An integer in a path or query: a string of canonical decimal digits, decoded to a number
 * within [minimum, maximum] (else VALIDATION, rendered in the surface's shape). A string-only
 * schema on purpose: a number branch would let Elysia coerce `0x10` to 16 first.
 */
export const IntParam = (range: IntRange) =>
  t
    .Transform(t.String({ pattern: CANONICAL_DIGITS, description: `${range.description}, ${range.minimum}–${range.maximum}`, error: expectation(range) }))
    .Decode((v) => inRange(range)(Number(v)))
    .Encode((n) => String(n))

/** A row id in a path or query (bigint column unless `maximum` says the column is narrower). */
export const IdParam = (maximum: number = BIGINT_ID_MAX) => IntParam({ minimum: 1, maximum, description: 'id' })

/** `page`-style numbers: 1 up to `maximum`. */
export const PageParam = (maximum = 1_000_000) => IntParam({ minimum: 1, maximum, description: 'page' })

/** A size/limit: 1 up to `maximum`. */
export const SizeParam = (maximum: number) => IntParam({ minimum: 1, maximum, description: 'page size' })

const CANONICAL = new RegExp(CANONICAL_DIGITS)

/**
 * An integer in a body: a JSON integer, or its canonical decimal string (multipart fields
 * are strings), within [minimum, maximum]; with `nullable`, null too. Checked in the decoder,
 * not by a number schema, which Elysia would use to coerce `"0x10"` to 16 first; the schema
 * below only documents it.
 */
export const IntField = <N extends boolean = false>(range: IntRange & { nullable?: N }) =>
  t
    .Transform(
      t.Unknown({
        description: `${range.description}, ${range.minimum}–${range.maximum}`,
        oneOf: [{ type: 'integer', minimum: range.minimum, maximum: range.maximum }, { type: 'string', pattern: CANONICAL_DIGITS }, ...(range.nullable ? [{ type: 'null' }] : [])],
      }),
    )
    .Decode((v): N extends true ? number | null : number => {
      if (v === null && range.nullable) return null as never
      if ((typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && CANONICAL.test(v))) return inRange(range)(Number(v))
      throw validation(expectation(range))
    })
    .Encode((n) => n)

/** A row id in a body. */
export const IdField = (description = 'id', maximum: number = BIGINT_ID_MAX) => IntField({ minimum: 1, maximum, description })
