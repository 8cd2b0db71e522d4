/**
 * Negation and contrast, for the offline answerer: "without a pass", "if I'm not a member", "outside a dock",
 * "non-members", "회원이 아니면", "비회원", "이동장 없이" name the other case of a word, and a
 * question that says one case must prefer the sentence, row or column of that case.
 */

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** The root a word's forms share: "membership" and "members" are "member". */
const rootOf = (stem: string) => (/^[a-z]/.test(stem) ? stem.replace(/(?:ship|ness|ment|s)$/, '') : stem)

/** The patterns of a word's mentions, all and negated, built once per word. */
const patterns = new Map<string, { negated: RegExp; all: RegExp } | null>()
function patternsOf(stem: string): { negated: RegExp; all: RegExp } | null {
  let found = patterns.get(stem)
  if (found !== undefined) return found
  const root = escapeRegExp(rootOf(stem))
  const english = /^[a-z]/.test(stem)
  const word = english ? `\\b${root}[a-z]*` : `${root}`
  found =
    root.length < 2
      ? null
      : {
          all: new RegExp(word, 'g'),
          negated: english
            ? new RegExp(`(?:\\bnon-?\\s?|\\b(?:without|outside) (?:a |an |the |any )?|\\bnot (?:a |an |the |any )(?:[a-z]+ ){0,2}|\\bno )${word}`, 'g')
            : new RegExp(`비${word}|${word}(?:이|가)?\\s?(?:아닌|아니|없이|없으면|없는|없어도)`, 'g'),
        }
  if (patterns.size > 5000) patterns.clear()
  patterns.set(stem, found)
  return found
}

/** How often a text names a word in its negated case, and in all. "Not a" may stand a name away ("not an Orchard Lane member"); "not" on a verb ("does not remove fluoride") negates the verb. */
function mentions(stem: string, text: string): { negated: number; all: number } {
  const found = patternsOf(stem)
  if (!found) return { negated: 0, all: 0 }
  const all = text.match(found.all)?.length ?? 0
  return { negated: all === 0 ? 0 : (text.match(found.negated)?.length ?? 0), all }
}

/**
 * Which case of a word of the question a text says: 'same' when the question negates it and
 * the text does too, 'other' when the text says it only in the case the question does not
 * ("pass holders" for "without a pass", "non-members" for "members"), 'none' otherwise. Both
 * texts normalised (lower case).
 */
export function caseOf(stem: string, question: string, text: string): 'same' | 'other' | 'none' {
  const asked = mentions(stem, question)
  if (asked.all === 0) return 'none'
  const said = mentions(stem, text)
  if (said.all === 0) return 'none'
  if (asked.negated > 0) return said.negated > 0 ? 'same' : 'other'
  return said.negated > 0 && said.all === said.negated ? 'other' : 'none'
}

/** Whether a text says the same case of the question's words as the question: +1 per word said in its case, −1 per word said only in the other. */
export function caseAgreement(stems: string[], question: string, text: string): number {
  let agreement = 0
  for (const stem of stems) {
    const found = caseOf(stem, question, text)
    agreement += found === 'same' ? 1 : found === 'other' ? -1 : 0
  }
  return agreement
}
