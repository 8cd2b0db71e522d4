/**
 * Negation and contrast, for the offline answerer: "without a pass", "if I'm not a member",
 * "non-members", "회원이 아니면", "비회원", "이동장 없이" name the other case of a word, and a
 * question that says one case must prefer the sentence, row or column of that case.
 */

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** The root a word's forms share: "membership" and "members" are "member". */
const rootOf = (stem: string) => (/^[a-z]/.test(stem) ? stem.replace(/(?:ship|ness|ment|s)$/, '') : stem)

/** How often a text names a word in its negated case, and in all. "Not a" may stand a name away ("not an Orchard Lane member"); "not" on a verb ("does not remove fluoride") negates the verb. */
function mentions(stem: string, text: string): { negated: number; all: number } {
  const root = escapeRegExp(rootOf(stem))
  if (root.length < 2) return { negated: 0, all: 0 }
  const english = /^[a-z]/.test(stem)
  const word = english ? `\\b${root}[a-z]*` : `${root}`
  const negated = english
    ? new RegExp(`(?:\\bnon-?\\s?|\\bwithout (?:a |an |the |any )?|\\bnot (?:a |an |the |any )(?:[a-z]+ ){0,2}|\\bno )${word}`, 'g')
    : new RegExp(`비${word}|${word}(?:이|가)?\\s?(?:아닌|아니|없이|없으면|없는|없어도)`, 'g')
  return { negated: text.match(negated)?.length ?? 0, all: text.match(new RegExp(word, 'g'))?.length ?? 0 }
}

/**
 * Whether a text says the same case of the question's words as the question: +1 a word the
 * question negates that the text negates too, −1 one the text names only in the other case;
 * summed over the words, 0 when no word is said in a case. Both texts normalised (lower case).
 */
export function caseAgreement(stems: string[], question: string, text: string): number {
  let agreement = 0
  for (const stem of stems) {
    const asked = mentions(stem, question)
    if (asked.all === 0) continue
    const said = mentions(stem, text)
    if (said.all === 0) continue
    const positive = said.all - said.negated
    if (asked.negated > 0) agreement += said.negated > 0 ? 1 : -1
    else if (said.negated > 0 && positive === 0) agreement -= 1
  }
  return agreement
}
