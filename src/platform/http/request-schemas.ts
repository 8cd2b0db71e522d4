/**
 * The schema pieces every surface's routes share for what arrives in paths, queries and
 * bodies. Numbers: only canonical decimal digits (no sign, spaces, exponent, hex, fraction
 * or leading zero) within the range of the column they will meet, so `0x10`, `16e0` and
 * ` 16 ` are not read as 16 and `1.5` or 2^63 never reach the database. Text: see
 * text-guard.ts, applied to every request by the HTTP pipeline.
 */
import { t } from 'elysia'
import { TypeRegistry } from 'elysia/type-system'
import { validation } from '../errors'

/** Ids live in bigint columns read as JS numbers: the largest one a number carries exactly. */
export const BIGINT_ID_MAX = Number.MAX_SAFE_INTEGER
/** The largest value of an `integer` / `serial` column. */
export const INT4_MAX = 2_147_483_647

const CANONICAL_DIGITS = '^(0|[1-9][0-9]{0,15})$'
/** TypeBox's kind marker (`Symbol.for`, so the same symbol Elysia's TypeBox uses). */
const Kind = Symbol.for('TypeBox.Kind')

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
 * A schema kind of its own for body integers: Elysia coerces every `Number`/`Integer` schema in
 * a body (`"0x10"` would arrive as 16), and an `Unknown` one would let a required field be
 * missing. This kind accepts a JSON integer or a canonical decimal string within the range.
 */
const BODY_INT = 'HuddleBodyInteger'
interface BodyIntSchema {
  minimum: number
  maximum: number
  'x-nullable': boolean
}
if (!TypeRegistry.Has(BODY_INT))
  TypeRegistry.Set<BodyIntSchema>(BODY_INT, (schema, value) => {
    if (value === null) return schema['x-nullable']
    const n = typeof value === 'number' ? value : typeof value === 'string' && CANONICAL.test(value) ? Number(value) : NaN
    return Number.isSafeInteger(n) && n >= schema.minimum && n <= schema.maximum
  })

/**
 * An integer in a body: a JSON integer, or its canonical decimal string (multipart fields
 * are strings), within [minimum, maximum]; with `nullable`, null too. Refusals read
 * "`{description}` must be an integer from … to …" in the surface's validation shape.
 */
export const IntField = <N extends boolean = false>(range: IntRange & { nullable?: N }) =>
  t
    .Transform(
      t.Unsafe<unknown>({
        [Kind]: BODY_INT,
        minimum: range.minimum,
        maximum: range.maximum,
        'x-nullable': range.nullable ?? false,
        description: `${range.description}, ${range.minimum}–${range.maximum}`,
        error: expectation(range),
        oneOf: [{ type: 'integer' }, { type: 'string', pattern: CANONICAL_DIGITS }, ...(range.nullable ? [{ type: 'null' }] : [])],
      }),
    )
    .Decode((v): N extends true ? number | null : number => (v === null ? (null as never) : Number(v)))
    .Encode((n) => n)

/** A row id in a body. */
export const IdField = (description = 'id', maximum: number = BIGINT_ID_MAX) => IntField({ minimum: 1, maximum, description })
