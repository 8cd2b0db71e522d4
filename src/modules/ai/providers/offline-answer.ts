import { hasHangul } from '../text-features'
import type { ChatMessage, Grounding, GroundingPassage } from '../types'
import {
  answerKinds,
  carriesKind,
  prepareSentence,
  questionTerms,
  termMatch,
  type AnswerKind,
  type QuestionTerm,
  type SentenceText,
} from './offline-evidence'

const MAX_PASSAGES = 5
const MAX_SENTENCE_CHARS = 280
const MAX_SUPPORT = 2
/**
 * Below this evidence the passages do not answer the question and the answerer says so.
 * Calibrated on bench:answers' tuning split (bench/rag-data, bench/answers-tuning.json and
 * bench/answers-tuning-docs, with `bun bench/answers-calibrate.ts`), never on the held-out split.
 */
export const ABSTAIN_BELOW = 0.51
/** Supporting lines must score at least this share of the answer sentence. */
const SUPPORT_RATIO = 0.75
/** Share of a sentence's score from its own words; the rest from its section (heading and passage). */
const SENTENCE_SHARE = 0.6
const KIND_BONUS = 0.25
const KIND_PENALTY = 0.1
const RANK_PRIOR = 0.05
/** Added to the answer confidence when the answer sentence holds the kind of value asked for. */
const KIND_EVIDENCE = 0.1
/** Share of the answer confidence from the best passage's coverage; the rest from the best sentence's. */
const PASSAGE_SHARE = 0.4
/** Weight of a figure of the question in the answer confidence (see `answerConfidence`). */
const LIGHT_FIGURE = 0.5
/** A number in the question ("6개월", "NX3-220") singles out its sentence more than any word. */
const NUMBER_WEIGHT = 3

interface Phrases {
  support: string
  factsIntro: string
  factsAfterPassages: string
  sources: string
  abstain: string
}

const KOREAN: Phrases = {
  support: '관련 내용:',
  factsIntro: '확인된 정보는 다음과 같습니다.',
  factsAfterPassages: '함께 참고할 정보:',
  sources: '출처',
  abstain: '제공된 문서에서 이 질문의 답을 찾지 못했습니다. 문서에 없는 내용은 추측해서 답하지 않습니다.',
}

const ENGLISH: Phrases = {
  support: 'Related:',
  factsIntro: 'Here is what I found.',
  factsAfterPassages: 'Also relevant:',
  sources: 'Sources',
  abstain: 'The provided documents do not answer this question, so I will not guess.',
}

/** The text of the last user turn, or '' when the conversation has none. */
export function lastUserMessage(messages: ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]
    if (m?.role === 'user') return m.content
  }
  return ''
}

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

/** A line that names a section rather than says something: a Markdown heading, or short and unpunctuated. */
const isHeading = (line: string): boolean => /^#{1,6}\s/.test(line) || (line.length <= 60 && !/[.!?。:：)]$/.test(line) && !/[다요]$/.test(line))

/** The words of a file name: extension dropped, separators as spaces. */
const subjectOfSource = (source: string): string => source.replace(/\.[a-z0-9]{1,5}$/i, '').replace(/[-_.]+/g, ' ')

function clip(sentence: string): string {
  if (sentence.length <= MAX_SENTENCE_CHARS) return sentence
  const cut = sentence.slice(0, MAX_SENTENCE_CHARS)
  const space = cut.lastIndexOf(' ')
  return `${space > MAX_SENTENCE_CHARS / 2 ? cut.slice(0, space) : cut}…`
}

interface Candidate {
  passage: GroundingPassage
  rank: number
  position: number
  sentence: SentenceText
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
  /** 0..1: how much of the question the best-covered sentence and its section hold. */
  confidence: number
  kinds: Set<AnswerKind>
}

/**
 * Scores every sentence of the first passages. A term weighs more the fewer sentences hold it
 * (the company name in every sentence tells them apart less than "hotel"). A sentence scores
 * its own coverage, plus its section's (so the sentence under "## Fees" naming no fee word
 * still counts), plus a bonus when it holds the kind of value asked for (an amount for "how
 * much") or a penalty when not, plus a little for the passage's retrieval rank.
 */
export function weighEvidence(question: string, passages: GroundingPassage[], conversational = false): Evidence {
  const terms = questionTerms(question)
  const kinds = answerKinds(question)
  const units: { passage: GroundingPassage; rank: number; position: number; sentence: SentenceText; heading?: SentenceText }[] = []
  const whole = new Map<number, SentenceText>()
  const titles = new Map<number, SentenceText>()
  passages.slice(0, MAX_PASSAGES).forEach((passage, rank) => {
    whole.set(rank, prepareSentence(passage.content))
    let heading: SentenceText | undefined
    const headings: string[] = []
    splitSentences(passage.content).forEach((text, position) => {
      // A chat turn is said, never a heading, however short.
      if (!conversational && isHeading(text)) {
        heading = prepareSentence(text.replace(/^#+\s*/, ''))
        // Only a heading that opens the passage names its subject; a later one names a part.
        if (position === 0) headings.push(text.replace(/^#+\s*/, ''))
      } else units.push({ passage, rank, position, sentence: prepareSentence(text), heading })
    })
    // The file's name names the subject too ("maple-row-handbook.pptx"): a passage cut from the
    // middle of a document has no opening heading.
    titles.set(rank, prepareSentence([...headings, subjectOfSource(passage.source)].join('\n')))
  })
  if (terms.length === 0 || units.length === 0) return { candidates: [], confidence: 0, kinds }

  // How well each term is found in a text, once per text: passages and headings are read for every sentence.
  const memo = new Map<SentenceText, number[]>()
  const matches = (s: SentenceText) => {
    let m = memo.get(s)
    if (!m) memo.set(s, (m = terms.map((t) => termMatch(t, s))))
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

  const candidates = units.map((u): Candidate => {
    const own = matches(u.sentence)
    const title = matches(titles.get(u.rank)!)
    const heading = u.heading ? matches(u.heading) : undefined
    const passage = matches(whole.get(u.rank)!)
    // Words naming the document's subject are in most of its sentences: they count half in a sentence's own score.
    const ownScore = coverage((i) => own[i]! * (title[i]! >= 0.5 ? 0.5 : 1))
    const section = coverage((i) => Math.max(own[i]!, heading ? heading[i]! * 0.9 : 0, passage[i]! * 0.7))
    let score = SENTENCE_SHARE * ownScore + (1 - SENTENCE_SHARE) * section + RANK_PRIOR * (1 - u.rank / MAX_PASSAGES)
    if (kinds.size > 0 && ownScore > 0) {
      const carries = [...kinds].some((k) => carriesKind(k, u.sentence))
      score += carries ? KIND_BONUS : -KIND_PENALTY
    }
    return { passage: u.passage, rank: u.rank, position: u.position, sentence: u.sentence, own: ownScore, section, score }
  })
  const best = candidates.reduce<Candidate | undefined>((b, c) => (!b || c.score > b.score ? c : b), undefined)
  // A sentence holding the kind of value asked for (an amount for "how much") is itself evidence.
  const asked = [...kinds]
  const valued = best !== undefined && asked.some((k) => carriesKind(k, best.sentence))
  const confidence = best ? answerConfidence(terms, units, matches, whole, titles) + (valued ? KIND_EVIDENCE : 0) : 0
  return { candidates, best, confidence, kinds }
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
  const subject = terms.map((_, i) => i).filter((i) => terms[i]!.weight === 1 && [...titles.values()].some((t) => matches(t)[i]! >= 0.5))
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
 * Evidence that the material answers at all, from the question's words that must be answered:
 * each equally, asking words lightly, and only those the passage's opening headings do not
 * already name (the document's subject, "한빛 요가", only finds the document), when the rest
 * has a word of substance. Rarity is left out: a missing rare word ("lounge") and a missing
 * common one ("price") both leave the question unanswered. Two readings, averaged: the share
 * the best passage holds anywhere, and the share the best single sentence holds (with its
 * heading), so words scattered over a passage answer less than words said together.
 */
function answerConfidence(
  terms: QuestionTerm[],
  units: { rank: number; sentence: SentenceText; heading?: SentenceText }[],
  matches: (s: SentenceText) => number[],
  whole: Map<number, SentenceText>,
  titles: Map<number, SentenceText>,
): number {
  const pools = new Map<number, number[]>()
  const pool = (rank: number) => {
    let p = pools.get(rank)
    if (!p) {
      const title = matches(titles.get(rank)!)
      const rest = terms.map((_, i) => i).filter((i) => title[i]! < 0.5)
      pools.set(rank, (p = rest.some((i) => terms[i]!.weight === 1) ? rest : terms.map((_, i) => i)))
    }
    return p
  }
  // A figure in the question is often the asker's own case ("my 14-year-old", "8살"), which the
  // material states as a range ("under 16"): it singles out a sentence, but is weighed lightly here.
  const weight = terms.map((t) => (t.numeric ? LIGHT_FIGURE : t.weight))
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
  return PASSAGE_SHARE * passage + (1 - PASSAGE_SHARE) * sentence
}

/**
 * The evidence of the last question weighed once per passage list: a surface asks whether the
 * grounding answers, then streams the answer from the same grounding.
 */
const weighed = new WeakMap<GroundingPassage[], { question: string; evidence: Evidence }>()
function evidenceOf(question: string, passages: GroundingPassage[], conversational = false): Evidence {
  const cached = weighed.get(passages)
  if (cached?.question === question) return cached.evidence
  const evidence = weighEvidence(question, passages, conversational)
  weighed.set(passages, { question, evidence })
  return evidence
}

/** Whether the grounding answers the last question: some passage sentence holds enough of it. */
export function groundingAnswers(messages: ChatMessage[], grounding: Grounding | undefined): boolean {
  const passages = grounding?.passages ?? []
  if (passages.length === 0) return false
  return evidenceOf(lastUserMessage(messages), passages).confidence >= ABSTAIN_BELOW
}

/** The answer sentence, its neighbour when that one scores as well, and supporting lines from elsewhere. */
function pick(evidence: Evidence): { lead: Candidate[]; support: Candidate[] } {
  const best = evidence.best!
  const lead = [best]
  const neighbour = evidence.candidates.find(
    (c) => c.passage === best.passage && Math.abs(c.position - best.position) === 1 && c.score >= best.score * 0.9,
  )
  if (neighbour) lead.push(neighbour)
  lead.sort((a, b) => a.position - b.position)
  const support = evidence.candidates
    .filter((c) => !lead.includes(c) && c.own > 0 && c.score >= best.score * SUPPORT_RATIO)
    .sort((a, b) => b.score - a.score)
    .slice(0, MAX_SUPPORT)
  return { lead, support }
}

const MAX_GATHERED = 4

/**
 * For a conversation: the turns that share most with the request (at least half as much as
 * the best), at most four, in the order they were said; the opening turns when none does.
 */
function gather(evidence: Evidence): Candidate[] {
  const best = evidence.best
  let chosen = best && best.own > 0 ? evidence.candidates.filter((c) => c.own > 0 && c.own >= best.own * 0.5) : []
  if (chosen.length === 0) chosen = evidence.candidates.filter((c) => c.rank < 2 && c.position === 0)
  return chosen
    .sort((a, b) => b.score - a.score)
    .slice(0, MAX_GATHERED)
    .sort((a, b) => a.rank - b.rank || a.position - b.position)
}

/**
 * The offline provider's answer. With passages that answer the question: the one or two
 * sentences that carry the answer, cited `[n]`, then up to two supporting lines, then the
 * sources. With passages that do not: a plain statement that the documents do not answer it.
 * Facts (figures computed by a flow) follow as lines. Korean when the question contains
 * Hangul, English otherwise. Pure and deterministic.
 */
export function composeOfflineAnswer(messages: ChatMessage[], grounding: Grounding | undefined, abstainBelow = ABSTAIN_BELOW): string {
  const question = lastUserMessage(messages)
  const korean = hasHangul(question)
  const phrases = korean ? KOREAN : ENGLISH
  const passages = grounding?.passages ?? []
  const facts = (grounding?.facts ?? []).map((f) => f.trim()).filter(Boolean)
  const conversational = grounding?.conversational === true
  const evidence = passages.length > 0 ? evidenceOf(question, passages, conversational) : undefined
  const answers = evidence?.best !== undefined && (conversational || evidence.confidence >= abstainBelow)
  const sections: string[] = []

  const cited = new Map<number, string>()
  const cite = (c: Candidate) => {
    cited.set(c.passage.index, c.passage.source)
    return `${clip(c.sentence.text)} [${c.passage.index}]`
  }
  if (evidence && conversational) {
    const turns = gather(evidence)
    if (turns.length > 0) sections.push(turns.map((c) => `- ${cite(c)}`).join('\n'))
  } else if (answers) {
    const { lead, support } = pick(evidence!)
    sections.push(lead.map(cite).join(' '))
    if (support.length > 0) sections.push(`${phrases.support}\n${support.map((c) => `- ${cite(c)}`).join('\n')}`)
  } else if (passages.length > 0) {
    sections.push(phrases.abstain)
  }
  if (facts.length > 0) {
    const intro = sections.length > 0 ? phrases.factsAfterPassages : phrases.factsIntro
    sections.push(`${intro}\n\n${facts.map((f) => `- ${f}`).join('\n')}`)
  }
  if (sections.length === 0) {
    // The flow's own notice when it is in the question's language, else the plain abstention.
    const notice = grounding?.emptyNotice?.trim()
    return notice && hasHangul(notice) === korean ? notice : phrases.abstain
  }
  if (cited.size > 0) {
    const list = [...cited].sort((a, b) => a[0] - b[0]).map(([index, source]) => `[${index}] ${source}`).join(', ')
    sections.push(`${phrases.sources}: ${list}`)
  }
  return sections.join('\n\n')
}
