/**
 * The thing a question of whether asks about ("Is there a sauna?", "Does the hotel have a spa?",
 * "Can I bring my dog?", "엘리베이터 있나요?", "와이파이 돼요?"). Such a question names its
 * organisation, which the documents hold, and one thing, which they may not: when no passage of
 * the document holds the thing, the passages do not answer, however much else they share.
 */
import { words } from '../text-features'
import { matchingText } from './offline-evidence'
import { isConcessiveVerb, isStateVerb } from './offline-korean-forms'

const DETERMINER = '(?:a|an|any|the|some|my|our|your|their)'
/** English: the word after "is there", "does … have", "can I bring", or what one would pay "to" do ("charge to reserve"). */
const ENGLISH = new RegExp(
  `\\b(?:is there|are there|do you have|(?:does|do) (?:[a-z-]+ ){1,4}(?:have|offer|sell|rent out)|(?:can|may) (?:i|we) (?:bring|get|have|book|rent|hire)|(?:charge|cost|pay|fee) (?:me |us )?to)\\s+(?:${DETERMINER}\\s+)?([a-z][a-z-]+)(?: ([a-z][a-z-]+))?`,
)
/** Korean: the word before "있어요", "있나요", "돼요" ("is there", "does it work") at the question's end. */
const KOREAN = /([가-힣a-z0-9]+)\s+(?:있나요|있어요|있습니까|있을까요|없나요|없어요|돼요|되나요|되요)\s*[?？]?$/
/** Korean: the object of "X V할 수 있어요" ("스터디룸 예약할 수 있어요?": may I book a study room). */
const KOREAN_CAN = /([가-힣a-z0-9]+)\s+[가-힣]+\s+수\s+(?:있나요|있어요|있을까요|있습니까)\s*[?？]?$/
/** Korean: "X도 해 주나요", "X도 하나요" (do you do X too). */
const KOREAN_DO = /([가-힣a-z0-9]+도)\s+(?:해\s?주|하)[가-힣]*\s*[?？]?$/
/** A word that modifies the next as a bare noun: no particle or ending on it ("춘천 숙소", "해외 이사"). */
const BARE_NOUN = /^[가-힣]{2,}$/
const PARTICLE_END = /(?:은|는|이|가|을|를|에|의|로|와|과|도|만|서|고|면|요|까|게|지|랑|께)$/
/** Korean words before those endings that are not a thing: verb forms, bound and general nouns. */
const NOT_A_THING = /(?:야|면|게|서|고)$|^(?:수|데|거|것|게|곳|방법|어디|어디에|어떻게|얼마|뭐|무엇|시|때)$/

/** The clauses of a question, each a question of its own ("해외 이사도 해 주나요? 비용은요?"). */
const clauses = (text: string): string[] => text.split(/(?<=[?？!.])\s+/).filter(Boolean)

/**
 * The Korean thing of one clause and the clause's text before it. Not a verb form, a bound or a
 * general noun; "X도" before "해 주나요" is always a noun with 도, never a verb's 아/어도 form.
 */
function koreanThing(clause: string): { thing: string; before: string } | undefined {
  const doing = KOREAN_DO.exec(clause)
  const match = KOREAN_CAN.exec(clause) ?? doing ?? KOREAN.exec(clause)
  if (!match) return undefined
  const thing = match[1]!
  // "놓여 있어요", "적혀 있나요", "붙어 있어요": a verb in its 아/어 form says a state, it names no thing.
  if (NOT_A_THING.test(thing) || isStateVerb(thing) || (match !== doing && isConcessiveVerb(thing))) return undefined
  return { thing, before: clause.slice(0, match.index) }
}

/**
 * The words of the question that may name the thing asked about, as `words(matchingText(question))`
 * has them, first the likeliest: in English the word after the cue and the one after it
 * ("Is there a Northgate station": the organisation's name first, then the thing).
 */
export function askedThingWords(question: string): string[] {
  const text = matchingText(question)
  const english = ENGLISH.exec(text)
  if (english) return english.slice(1).filter((w): w is string => w !== undefined)
  for (const clause of clauses(text)) {
    const found = koreanThing(clause)
    if (found) return words(found.thing).slice(0, 1)
  }
  return []
}

/**
 * The bare noun before a Korean thing, which makes it a thing of its own ("춘천 숙소 할인": a
 * lodging discount, not any discount; "해외 이사": moving abroad). Undefined when the word before
 * carries a particle or an ending, or there is none.
 */
export function askedThingModifier(question: string): string | undefined {
  const text = matchingText(question)
  if (ENGLISH.test(text)) return undefined
  for (const clause of clauses(text)) {
    const found = koreanThing(clause)
    if (!found) continue
    const previous = words(found.before).at(-1)
    return previous && BARE_NOUN.test(previous) && !PARTICLE_END.test(previous) ? previous : undefined
  }
  return undefined
}
