/**
 * The same quantity said in another unit, for the offline answerer: "3주" is "21일", "48시간" is
 * "2일", "a fortnight" (2 weeks) is "14 days", "1년" is "12개월". A question's figure finds the
 * document's figure when one is the other converted by a fixed factor; only whole results are
 * kept (a month is 30 days in terms and conditions, never 4 weeks).
 */

/** "10킬로" said alone is kilometres or kilograms; the canonical text keeps it as "10kilo". */
const EITHER_KILO = 'kilo'

/** Units of time, Korean and English, as one name each. */
const UNIT_NAME: Record<string, string> = {
  분: 'minute', minute: 'minute', minutes: 'minute',
  시간: 'hour', hour: 'hour', hours: 'hour',
  일: 'day', day: 'day', days: 'day',
  주: 'week', week: 'week', weeks: 'week',
  개월: 'month', month: 'month', months: 'month',
  년: 'year', year: 'year', years: 'year',
}
/** One unit as a whole number of another. */
const FACTORS: [string, string, number][] = [
  ['hour', 'minute', 60],
  ['day', 'hour', 24],
  ['week', 'day', 7],
  ['month', 'day', 30],
  ['year', 'month', 12],
  ['year', 'day', 365],
]
/** How each unit is written after a figure: Korean glued (canonical form), English spaced, either form. */
const WRITTEN: Record<string, { ko: string; en: string }> = {
  minute: { ko: '분', en: 'minutes?' },
  hour: { ko: '시간', en: 'hours?' },
  day: { ko: '일', en: 'days?' },
  week: { ko: '주', en: 'weeks?' },
  month: { ko: '개월', en: 'months?' },
  year: { ko: '년', en: 'years?' },
}
/** Converted figures past this are not how anyone states the quantity ("20160분"). */
const LARGEST = 400

/** The unit's one name, or undefined when it is not a unit of time (or the ambiguous "kilo"). */
export const timeUnit = (word: string): string | undefined => (word === EITHER_KILO ? word : UNIT_NAME[word])

/** One equivalent of a quantity: its figure and unit as written in the canonical text ("21일"). */
export interface Equivalent {
  /** The figure with its Korean unit, the form a question's glued figure takes ("21일"). */
  stem: string
  /** The quantity in a sentence, in either language ("21일", "21 days"). */
  pattern: RegExp
}

/** The other ways of stating `value` `unit` (a unit's one name, `timeUnit`, or "kilo"): 3 week → 21 day. */
export function equivalentQuantities(value: number, unit: string): Equivalent[] {
  if (unit === EITHER_KILO) return ['km', 'kg'].map((u) => ({ stem: `${value}${u}`, pattern: new RegExp(`(?<![\\d.])${value}\\s?${u}(?![a-z])`) }))
  const out: Equivalent[] = []
  for (const [big, small, factor] of FACTORS) {
    let converted: number | undefined
    let to: string | undefined
    if (unit === big) (converted = value * factor), (to = small)
    else if (unit === small && value % factor === 0) (converted = value / factor), (to = big)
    if (converted === undefined || to === undefined || converted < 1 || converted > LARGEST) continue
    const { ko, en } = WRITTEN[to]!
    out.push({ stem: `${converted}${ko}`, pattern: new RegExp(`(?<![\\d.])${converted}(?:${ko}|\\s${en}\\b)`) })
  }
  return out
}
