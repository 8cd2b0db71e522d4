/**
 * Weighing of retrieved passages against a question, for the offline answerer: every sentence
 * of the first passages scored (its own words, its section's, the kind of value it holds), the
 * passages of another subject set aside, and the evidence that any sentence answers at all.
 */
import { words } from '../text-features'
import type { GroundingPassage } from '../types'
import { askedThingModifier, askedThingWords } from './offline-asked-thing'
import {
  matchingText,
  prepareSentence,
  questionTerms,
  sharesName,
  termMatch,
  type QuestionTerm,
  type SentenceText,
} from './offline-evidence'
import { answerKinds, carriesKind, type AnswerKind } from './offline-answer-kinds'
import { caseAgreement, caseOf } from './offline-negation'
import { readTables, sayRow, type TableRow } from './offline-tables'

/** Only the first passages are read: retrieval ranks them best. */
const MAX_PASSAGES = 5
/** Share of a sentence's score from its own words; the rest from its section (heading and passage). */
const SENTENCE_SHARE = 0.6
const KIND_BONUS = 0.15
const RANK_PRIOR = 0.05
/** Per word: a sentence saying the case the question says ("non-members" for "not a member") over the other. */
const CASE_BONUS = 0.12
/**
 * The answer confidence: a logistic model over the readings that separated answerable from
 * unanswerable questions on bench:answers' tuning split, fitted there (balanced classes) by
 * `bun bench/answers-calibrate.ts`, never on the held-out split. Retrieval's similarity was
 * tried and left out: the unanswerable questions name a document's subject, so retrieval finds
 * that document as well as for the answerable ones. Whether the sentence holds the kind of value
 * asked for is carried by its score (the kind bonus): weighed again on its own, it fitted to
 * about zero and kept fewer facts, cross-validated.
 */
export const ANSWER_MODEL: AnswerModel = { passage: 2.46, score: 9.51, thingMissing: -2.9, intercept: -5.45 }
/** Weight of a figure of the question in the answer confidence (see `answerCoverage`). */
const LIGHT_FIGURE = 0.5
/** Weight of a rate a price is asked for ("한 달에 얼마") in the answer confidence, as of any light word. */
const LIGHT_RATE = 0.35
/** A number in the question ("6개월", "NX3-220") singles out its sentence more than any word. */
const NUMBER_WEIGHT = 3

/** A period after these does not end a sentence ("Dr. Okafor", "e.g. this"). */
const ABBREVIATION = /(?:^|\s)(?:mr|mrs|ms|dr|prof|st|vs|etc|e\.g|i\.e|no|inc|ltd|approx|[a-z])\.$/i

/** Splits a passage into sentences on sentence punctuation and line breaks, not after abbreviations. */
export function splitSentences(text: string): string[] {
  const out: string[] = []
  for (const line of text.split(/\n+/)) {
    let current = ''
    for (const piece of line.split(/(?<=[.!?。！？])\s+/u)) {
      current = current ? `${current} ${piece}` : piece
      if (!ABBREVIATION.test(current)) {
        out.push(current)
        current = ''
      }
    }
    if (current) out.push(current)
  }
  return out.map((s) => s.replace(/\s+/g, ' ').trim()).filter((s) => s.length >= 2)
}

/** A list item ("- 열람실: 매일 …", "2. Rinse the tins"): something said, however short. */
const LIST_ITEM = /^(?:[-*+•·]\s|\d{1,2}[.)]\s)/
/** "열람실: 매일 오전 7시~오후 11시", "Fees: 40 dollars": a short label and a value with a figure. */
const LABEL_VALUE = /^[^:：]{1,20}[:：]\s.*\d/
/** A line that could name a section: a Markdown heading, or short and unpunctuated, and neither a list item nor a labelled value. */
const headingLike = (line: string): boolean =>
  /^#{1,6}\s/.test(line) ||
  (line.length <= 60 && !LIST_ITEM.test(line) && !LABEL_VALUE.test(line) && !/[.!?。:：)]$/.test(line) && !/[다요]$/.test(line))
/**
 * Which lines of a passage name a section. Of short lines one after another only the first
 * does: the rest are the items of a list whose markers the format dropped (DOCX, PPTX, PDF).
 */
function headingLines(lines: string[]): boolean[] {
  return lines.map((line, i) => headingLike(line) && (/^#{1,6}\s/.test(line) || i === 0 || !headingLike(lines[i - 1]!) || /^#{1,6}\s/.test(lines[i - 1]!)))
}

/** The words of a file name: extension dropped, separators as spaces. */
const subjectOfSource = (source: string): string => source.replace(/\.[a-z0-9]{1,5}$/i, '').replace(/[-_.]+/g, ' ')

/** One scored sentence of a passage. */
export interface Candidate {
  passage: GroundingPassage
  rank: number
  position: number
  sentence: SentenceText
  /** For a table row: the row, and how the answer says it (the asked columns' cells with the row's label). */
  row?: TableRow
  said?: string
  /** The words of the question found in the sentence, weighted: 0..1. */
  own: number
  /** The same over the sentence with its heading and passage around it: 0..1. */
  section: number
  score: number
}

/** The scored sentences of the passages, and the evidence that any of them answers the question. */
export interface Evidence {
  candidates: Candidate[]
  best?: Candidate
  /** 0..1: how likely the passages answer the question (the answer model over `signals`). */
  confidence: number
  /** What the confidence is made of, for calibration. */
  signals: AnswerSignals
  kinds: Set<AnswerKind>
}

/** Weights of the answer confidence's logistic model. */
export interface AnswerModel {
  passage: number
  score: number
  /** Weight of `thingMissing` (negative: the thing asked about is not there). */
  thingMissing: number
  intercept: number
}

/** The readings the answer confidence weighs. */
export interface AnswerSignals {
  /** Share of the question's words the best passage holds anywhere. */
  passage: number
  /** Share the best single sentence holds, with its heading. */
  sentence: number
  /** The answer sentence's own score: its words, its section's, the kind of value it holds. */
  score: number
  /** Whether the answer sentence holds the kind of value asked for (reported; its score weighs it). */
  valued: boolean
  /** Whether a question of whether names a thing ("sauna", "엘리베이터") no passage of its document holds. */
  thingMissing?: boolean
  /** Retrieval's score of the answer sentence's passage, when retrieval gave one. */
  similarity?: number
  /** Retrieval's best score over the passages read. */
  topSimilarity?: number
}

/**
 * Scores every sentence of the first passages. A term weighs more the fewer sentences hold it
 * (the company name in every sentence tells them apart less than "hotel"). A sentence scores
 * its own coverage, plus its section's (so the sentence under "## Fees" naming no fee word
 * still counts), plus a bonus when it holds the kind of value asked for (an amount for "how
 * much"), plus a little for the passage's retrieval rank.
 */
export function weighEvidence(question: string, passages: GroundingPassage[], conversational = false): Evidence {
  const terms = questionTerms(question)
  const kinds = answerKinds(question)
  const askedWords = new Set(words(matchingText(question)))
  const asked = matchingText(question)
  const caseStems = terms.filter((t) => !t.numeric && t.weight === 1).map((t) => t.stem)
  const sameCase = (normalized: string) => caseAgreement(caseStems, asked, normalized)
  const units: { passage: GroundingPassage; rank: number; position: number; sentence: SentenceText; heading?: SentenceText; row?: TableRow }[] = []
  const whole = new Map<number, SentenceText>()
  const titles = new Map<number, SentenceText>()
  passages.slice(0, MAX_PASSAGES).forEach((passage, rank) => {
    whole.set(rank, prepareSentence(passage.content))
    let heading: SentenceText | undefined
    const headings: string[] = []
    const read = readTables(splitSentences(passage.content))
    const lines = read.map((l) => l.text)
    // A table row is said, never a heading.
    const headingAt = headingLines(lines).map((h, i) => h && !read[i]!.row)
    lines.forEach((text, position) => {
      // A chat turn is said, never a heading, however short.
      if (!conversational && headingAt[position]) {
        heading = prepareSentence(text.replace(/^#+\s*/, ''))
        // Only the document's title names its subject: a heading that opens the passage and is a
        // Markdown title ("# …") or, unmarked, shares a name with the sentence after it. A section's
        // heading ("## Pets", "면회 시간") names a part, which the question asks about.
        const next = lines[position + 1]
        if (position === 0 && (/^#\s/.test(text) || (!/^#/.test(text) && next !== undefined && sharesName(heading, prepareSentence(next)))))
          headings.push(text.replace(/^#+\s*/, ''))
      } else units.push({ passage, rank, position, sentence: prepareSentence(text), heading, row: read[position]!.row })
    })
    // The file's name names the subject too ("maple-row-handbook.pptx"): a passage cut from the
    // middle of a document has no opening heading.
    titles.set(rank, prepareSentence([...headings, subjectOfSource(passage.source)].join('\n')))
  })
  if (terms.length === 0 || units.length === 0) return { candidates: [], confidence: 0, signals: { passage: 0, sentence: 0, score: 0, valued: false }, kinds }

  // How well each term is found in a text, once per text: passages and headings are read for every sentence.
  // A figure of the question that some sentence states picks that sentence: another figure of
  // its unit there is a neighbouring limit, not the asker's case ("6개월" asked, "1개월 … 89,000원"
  // beside "6개월 … 450,000원"), and counts nothing.
  const stated = terms.map((t) => t.sameUnit !== undefined && units.some((u) => termMatch(t, u.sentence) === 1))
  const memo = new Map<SentenceText, number[]>()
  const matches = (s: SentenceText) => {
    let m = memo.get(s)
    if (!m) memo.set(s, (m = terms.map((t, i) => (stated[i] ? (termMatch(t, s) === 1 ? 1 : 0) : termMatch(t, s)))))
    return m
  }
  // Passages about another subject than the question's ("Tidewell" asked, a vet's leaflet
  // retrieved) answer nothing of it: only those naming the question's subject most fully are read.
  const onSubject = subjectPassages(terms, passages.slice(0, MAX_PASSAGES), whole, titles, matches)
  const kept = units.filter((u) => onSubject.has(u.rank))
  units.length = 0
  units.push(...kept)
  for (const rank of [...whole.keys()]) if (!onSubject.has(rank)) whole.delete(rank)
  const weights = terms.map((t, i) => {
    const df = units.filter((u) => matches(u.sentence)[i]! >= 0.5).length
    return Math.log(1 + units.length / (1 + df)) * (t.numeric ? NUMBER_WEIGHT : 1) * t.weight
  })
  const total = weights.reduce((a, b) => a + b, 0)
  const coverage = (match: (i: number) => number) => terms.reduce((sum, _, i) => sum + weights[i]! * match(i), 0) / total

  // The document's subject is named by the titles of all its passages: a slide cut from the middle
  // of a deck ("제품 소개") does not repeat the name ("ML-300") its title slide gives.
  const documentTitles = new Map<string, number[]>()
  for (const [rank, title] of titles) {
    const source = passages[rank]!.source
    const found = matches(title)
    const seen = documentTitles.get(source)
    documentTitles.set(source, seen ? seen.map((v, i) => Math.max(v, found[i]!)) : found)
  }
  const scoreOf = (u: (typeof units)[number], own: number[]) => {
    const title = documentTitles.get(u.passage.source)!
    const heading = u.heading ? matches(u.heading) : undefined
    const passage = matches(whole.get(u.rank)!)
    // Words naming the document's subject are in most of its sentences: they count half in a sentence's own score.
    const ownScore = coverage((i) => own[i]! * (title[i]! >= 0.5 ? 0.5 : 1))
    // A passage from the middle of a document is about the document's subject as much as its first is.
    const section = coverage((i) => Math.max(own[i]!, heading ? heading[i]! * 0.9 : 0, passage[i]! * 0.7, title[i]! * 0.7))
    let score = SENTENCE_SHARE * ownScore + (1 - SENTENCE_SHARE) * section + RANK_PRIOR * (1 - u.rank / MAX_PASSAGES)
    if (ownScore > 0) score += CASE_BONUS * Math.max(-1, Math.min(1, sameCase(u.sentence.normalized)))
    if (kinds.size > 0 && ownScore > 0) {
      const carries = [...kinds].some((k) => carriesKind(k, u.sentence, askedWords))
      if (carries) score += KIND_BONUS
    }
    return { ownScore, section, score }
  }
  // A question's condition ("배번이 택배로 안 왔으면", "if it rains") often matches one sentence and its
  // main clause the next ("4월 10일까지 받지 못하면 … 받을 수 있습니다"): the next sentence of the same
  // section is weighed with the condition's words found in the one before carried over.
  const condition = conditionTerms(question, terms)
  const candidates = units.map((u, at): Candidate => {
    // A word said in the other case than the question's ("pass holders" for "without a pass") is not found.
    const own = matches(u.sentence).map((m, i) => (m > 0 && !terms[i]!.numeric && caseOf(terms[i]!.stem, asked, u.sentence.normalized) === 'other' ? 0 : m))
    let { ownScore, section, score } = scoreOf(u, own)
    const before = units[at - 1]
    if (condition.size > 0 && before && before.passage === u.passage && before.position === u.position - 1 && before.heading === u.heading) {
      const prior = matches(before.sentence)
      if ([...condition].some((i) => prior[i]! >= 0.5 && own[i]! < 0.5)) {
        const carried = scoreOf(u, own.map((m, i) => (condition.has(i) ? Math.max(m, prior[i]!) : m)))
        if (carried.score > score) ({ ownScore, section, score } = carried)
      }
    }
    const said = u.row ? sayAskedCells(u.row, (text) => coverage((i) => matches(prepareSentence(text))[i]!) + 0.5 * sameCase(prepareSentence(text).normalized), (cell) => [...kinds].some((k) => carriesKind(k, prepareSentence(cell), askedWords))) : undefined
    return { passage: u.passage, rank: u.rank, position: u.position, sentence: u.sentence, row: u.row, said, own: ownScore, section, score }
  })
  const best = candidates.reduce<Candidate | undefined>((b, c) => (!b || c.score > b.score ? c : b), undefined)
  // A sentence holding the kind of value asked for (an amount for "how much") is itself evidence.
  // Not a rule: nearly every sentence of a policy says what may or must be done.
  const askedKinds = [...kinds].filter((k) => k !== 'rule')
  const valued = best !== undefined && askedKinds.some((k) => carriesKind(k, best.sentence, askedWords))
  const similarities = passages.slice(0, MAX_PASSAGES).flatMap((p) => (p.similarity === undefined ? [] : [p.similarity]))
  // The thing is a word of substance the document's titles do not name: the organisation is not the thing.
  const titled = (i: number) => [...whole.keys()].some((rank) => matches(titles.get(rank)!)[i]! >= 0.5)
  const thing = askedThingWords(question)
    .map((w) => terms.findIndex((t) => t.term === w || t.stem === w))
    .find((i) => i >= 0 && terms[i]!.weight === 1 && !titled(i))
  // A bare noun before the thing makes it another thing ("숙소 할인", not any 할인; "해외 이사" where the
  // document is a mover's): the thing is missing when either word is, the document's subject aside.
  const modifierWord = askedThingModifier(question)
  const modifier = terms.findIndex((t) => modifierWord !== undefined && (t.term === modifierWord || t.stem === modifierWord))
  const held = (i: number) => [...whole.values()].some((text) => matches(text)[i]! >= 0.5)
  const thingWords = [thing, modifier >= 0 && terms[modifier]!.weight === 1 && !titled(modifier) ? modifier : undefined].filter((i) => i !== undefined)
  const thingMissing = thingWords.some((i) => !held(i))
  const signals: AnswerSignals = {
    ...(best ? answerCoverage(terms, units, matches, whole, titles) : { passage: 0, sentence: 0 }),
    score: best?.score ?? 0,
    valued,
    thingMissing,
    similarity: best?.passage.similarity,
    topSimilarity: similarities.length > 0 ? Math.max(...similarities) : undefined,
  }
  return { candidates, best, confidence: best ? answerConfidence(signals) : 0, signals, kinds }
}

/** A question's condition clause: an English "if / when / unless …" clause, or Korean words up to one ending in -면 or 경우 (not "-려면", a purpose). */
const ENGLISH_CONDITION = /\b(?:if|when|unless|in case)\b([^,?]*)/
const KOREAN_CONDITION = /^(.*?[가-힣]*(?:[^려]면|경우(?:에는|에)?))(?:\s|$)/

/** The indices of the question's terms said in its condition clause. */
function conditionTerms(question: string, terms: QuestionTerm[]): Set<number> {
  const text = matchingText(question)
  const clause = ENGLISH_CONDITION.exec(text)?.[1] ?? KOREAN_CONDITION.exec(text)?.[1]
  if (!clause) return new Set()
  const said = new Set(questionTerms(clause).flatMap((t) => [t.term, t.stem]))
  return new Set(terms.flatMap((t, i) => (said.has(t.term) || said.has(t.stem) ? [i] : [])))
}

/**
 * A table row as the answer says it: the cells of the columns the question names most (by
 * their header's share of the question's words, then by holding the kind of value asked
 * for), with the row's label; the whole row when no column is named.
 */
function sayAskedCells(row: TableRow, named: (text: string) => number, valued: (cell: string) => boolean): string {
  const columns = row.cells.map((_, i) => i).slice(1)
  const fit = columns.map((i) => (row.header?.[i] ? named(row.header[i]) : 0) + (valued(row.cells[i] ?? '') ? 0.01 : 0))
  const most = Math.max(0, ...fit)
  if (most < 0.02) return sayRow(row)
  return sayRow(row, columns.filter((_, k) => fit[k]! >= most - 1e-9))
}

/** 0..1: the answer model's probability that the passages answer the question. */
export function answerConfidence(signals: AnswerSignals, model: AnswerModel = ANSWER_MODEL): number {
  const z =
    model.intercept +
    model.passage * signals.passage +
    model.score * signals.score +
    (signals.thingMissing ? model.thingMissing : 0)
  return 1 / (1 + Math.exp(-z))
}

/**
 * The ranks of the passages whose document names the question's subject most fully. The
 * subject is the question's words that some passage's title (its opening heading or file name)
 * holds; a document names them in a passage's title or text (a passage from the middle of a
 * document rarely repeats its name). With no such word every passage is kept.
 */
function subjectPassages(
  terms: QuestionTerm[],
  passages: GroundingPassage[],
  whole: Map<number, SentenceText>,
  titles: Map<number, SentenceText>,
  matches: (s: SentenceText) => number[],
): Set<number> {
  // Only names: a word the lexicon knows ("병원", "policy") is in the titles of many documents.
  const subject = terms
    .map((_, i) => i)
    .filter((i) => terms[i]!.weight === 1 && terms[i]!.kin.length === 0 && [...titles.values()].some((t) => matches(t)[i]! >= 0.5))
  const named = new Map<string, Set<number>>()
  for (const [rank, text] of whole) {
    const title = matches(titles.get(rank)!)
    const body = matches(text)
    const source = passages[rank]!.source
    const set = named.get(source) ?? new Set<number>()
    for (const i of subject) if (Math.max(title[i]!, body[i]!) >= 0.5) set.add(i)
    named.set(source, set)
  }
  const most = Math.max(0, ...[...named.values()].map((n) => n.size))
  return new Set([...whole.keys()].filter((rank) => named.get(passages[rank]!.source)!.size >= most))
}

/**
 * How much of the question the material holds, from the question's words that must be answered:
 * each equally, asking words lightly, and only those the passage's opening headings do not
 * already name (the document's subject, "한빛 요가", only finds the document), when the rest
 * has a word of substance. Rarity is left out: a missing rare word ("lounge") and a missing
 * common one ("price") both leave the question unanswered. Two readings: the share the best
 * passage holds anywhere, and the share the best single sentence holds (with its heading).
 */
function answerCoverage(
  terms: QuestionTerm[],
  units: { passage: GroundingPassage; rank: number; sentence: SentenceText; heading?: SentenceText }[],
  matches: (s: SentenceText) => number[],
  whole: Map<number, SentenceText>,
  titles: Map<number, SentenceText>,
): { passage: number; sentence: number } {
  // A passage's document is named by the titles of all its passages: a slide or a section cut
  // from the middle of a document says neither its name nor the file's.
  const sourceOf = new Map<number, string>()
  for (const u of units) sourceOf.set(u.rank, u.passage.source)
  const pools = new Map<number, number[]>()
  const pool = (rank: number) => {
    let p = pools.get(rank)
    if (!p) {
      const sameDocument = [...titles.keys()].filter((r) => sourceOf.get(r) === sourceOf.get(rank) || r === rank)
      const named = terms.map((_, i) => Math.max(...sameDocument.map((r) => matches(titles.get(r)!)[i]!)))
      const rest = terms.map((_, i) => i).filter((i) => named[i]! < 0.5)
      pools.set(rank, (p = rest.some((i) => terms[i]!.weight === 1) ? rest : terms.map((_, i) => i)))
    }
    return p
  }
  // A figure in the question is often the asker's own case ("my 14-year-old", "8살"), which the
  // material states as a range ("under 16"): it singles out a sentence, but is weighed lightly here.
  // A rate a price is asked for ("한 달에") is in most sentences of a price list: light here too.
  const weight = terms.map((t) => (t.numeric ? LIGHT_FIGURE : t.rate ? LIGHT_RATE : t.weight))
  const share = (rank: number, found: (i: number) => number) => {
    const p = pool(rank)
    return p.reduce((sum, i) => sum + weight[i]! * found(i), 0) / p.reduce((sum, i) => sum + weight[i]!, 0)
  }
  let passage = 0
  for (const [rank, text] of whole) passage = Math.max(passage, share(rank, (i) => matches(text)[i]!))
  let sentence = 0
  for (const u of units) {
    const own = matches(u.sentence)
    const heading = u.heading ? matches(u.heading) : undefined
    sentence = Math.max(sentence, share(u.rank, (i) => Math.max(own[i]!, heading ? heading[i]! : 0)))
  }
  return { passage, sentence }
}
