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
/** English: the word after "is there", "does … have", "can I bring". */
const ENGLISH = new RegExp(
  `\\b(?:is there|are there|do you have|(?:does|do) (?:[a-z-]+ ){1,4}(?:have|offer|sell|rent out)|(?:can|may) (?:i|we) (?:bring|get|have|book|rent|hire))\\s+(?:${DETERMINER}\\s+)?([a-z][a-z-]+)(?: ([a-z][a-z-]+))?`,
)
/** Korean: the word before "있어요", "있나요", "돼요" ("is there", "does it work") at the question's end. */
const KOREAN = /([가-힣a-z0-9]+)\s+(?:있나요|있어요|있습니까|있을까요|없나요|없어요|돼요|되나요|되요)\s*[?？]?$/
/** Korean: the object of "X V할 수 있어요" ("스터디룸 예약할 수 있어요?": may I book a study room). */
const KOREAN_CAN = /([가-힣a-z0-9]+)\s+[가-힣]+\s+수\s+(?:있나요|있어요|있을까요|있습니까)\s*[?？]?$/
/** Korean words before those endings that are not a thing: verb forms, bound and general nouns. */
const NOT_A_THING = /(?:야|면|게|서|고)$|^(?:수|데|거|것|게|곳|방법|어디|어디에|어떻게|얼마|뭐|무엇|시|때)$/

/**
 * The words of the question that may name the thing asked about, as `words(matchingText(question))`
 * has them, first the likeliest: in English the word after the cue and the one after it
 * ("Is there a Northgate station": the organisation's name first, then the thing).
 */
export function askedThingWords(question: string): string[] {
  const text = matchingText(question)
  const english = ENGLISH.exec(text)
  if (english) return english.slice(1).filter((w): w is string => w !== undefined)
  const korean = KOREAN_CAN.exec(text)?.[1] ?? KOREAN.exec(text)?.[1]
  // "놓여 있어요", "적혀 있나요", "붙어 있어요": a verb in its 아/어 form says a state, it names no thing.
  if (!korean || NOT_A_THING.test(korean) || isConcessiveVerb(korean) || isStateVerb(korean)) return []
  return words(korean).slice(0, 1)
}
