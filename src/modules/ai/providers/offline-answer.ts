import { hasHangul, overlapScore } from '../text-features'
import type { ChatMessage, Grounding, GroundingPassage } from '../types'

const MAX_SENTENCES = 4
const MAX_PER_PASSAGE = 2
const MAX_PASSAGES = 5
const MAX_SENTENCE_CHARS = 280
const MIN_SCORE = 0.15
const RELATIVE_SCORE = 0.5

interface Phrases {
  passagesIntro: string
  factsIntro: string
  factsAfterPassages: string
  sources: string
  empty: string
}

const KOREAN: Phrases = {
  passagesIntro: '질문과 관련된 자료의 내용을 정리했습니다.',
  factsIntro: '확인된 정보는 다음과 같습니다.',
  factsAfterPassages: '함께 참고할 정보:',
  sources: '출처',
  empty: '제공된 자료에서 질문과 관련된 정보를 찾지 못했습니다.',
}

const ENGLISH: Phrases = {
  passagesIntro: 'Here is what the provided material says about your question.',
  factsIntro: 'Here is what I found.',
  factsAfterPassages: 'Also relevant:',
  sources: 'Sources',
  empty: 'I could not find information related to your question in the provided material.',
}

/** The text of the last user turn, or '' when the conversation has none. */
export function lastUserMessage(messages: ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]
    if (m?.role === 'user') return m.content
  }
  return ''
}

/** Splits a passage into sentences on sentence punctuation and line breaks. */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?。！？])\s+|\n+/u)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => s.length >= 2)
}

function clip(sentence: string): string {
  if (sentence.length <= MAX_SENTENCE_CHARS) return sentence
  const cut = sentence.slice(0, MAX_SENTENCE_CHARS)
  const space = cut.lastIndexOf(' ')
  return `${space > MAX_SENTENCE_CHARS / 2 ? cut.slice(0, space) : cut}…`
}

interface Picked {
  passage: GroundingPassage
  rank: number
  position: number
  text: string
  score: number
}

/**
 * The sentences most relevant to the question (sharing at least half as many of its bigrams
 * as the best one), at most two per passage and four in all, in reading order. When no
 * sentence shares enough with the question, the retrieval ranking is trusted and the opening
 * sentences of the two best passages are used.
 */
function pickSentences(question: string, passages: GroundingPassage[]): Picked[] {
  const candidates: Picked[] = []
  passages.slice(0, MAX_PASSAGES).forEach((passage, rank) => {
    splitSentences(passage.content).forEach((text, position) => {
      candidates.push({ passage, rank, position, text, score: overlapScore(question, text) })
    })
  })
  const best = Math.max(0, ...candidates.map((c) => c.score))
  // Stray shared bigrams ("in", "ng") are noise: only sentences close to the best one count.
  const threshold = Math.max(MIN_SCORE, best * RELATIVE_SCORE)
  const byScore = candidates
    .filter((c) => c.score >= threshold)
    .sort((a, b) => b.score - a.score || a.rank - b.rank || a.position - b.position)
  const chosen: Picked[] = []
  const perPassage = new Map<number, number>()
  for (const c of byScore) {
    if (chosen.length >= MAX_SENTENCES) break
    const used = perPassage.get(c.rank) ?? 0
    if (used >= MAX_PER_PASSAGE) continue
    perPassage.set(c.rank, used + 1)
    chosen.push(c)
  }
  if (chosen.length === 0) {
    for (const c of candidates) {
      if (c.position === 0 && c.rank < 2) chosen.push(c)
    }
  }
  return chosen.sort((a, b) => a.rank - b.rank || a.position - b.position)
}

/**
 * The offline provider's answer: the question's most relevant passage sentences, each cited
 * `[n]`, then the facts as lines, then the sources; or the empty notice when nothing grounds
 * it. Korean when the question contains Hangul, English otherwise. Pure and deterministic.
 */
export function composeOfflineAnswer(messages: ChatMessage[], grounding: Grounding | undefined): string {
  const question = lastUserMessage(messages)
  const phrases = hasHangul(question) ? KOREAN : ENGLISH
  const passages = grounding?.passages ?? []
  const facts = (grounding?.facts ?? []).map((f) => f.trim()).filter(Boolean)
  const picked = pickSentences(question, passages)
  const sections: string[] = []

  if (picked.length > 0) {
    const lines = picked.map((p) => `- ${clip(p.text)} [${p.passage.index}]`)
    sections.push(`${phrases.passagesIntro}\n\n${lines.join('\n')}`)
  }
  if (facts.length > 0) {
    const intro = picked.length > 0 ? phrases.factsAfterPassages : phrases.factsIntro
    sections.push(`${intro}\n\n${facts.map((f) => `- ${f}`).join('\n')}`)
  }
  if (sections.length === 0) return grounding?.emptyNotice?.trim() || phrases.empty

  if (picked.length > 0) {
    const cited = new Map<number, string>()
    for (const p of picked) cited.set(p.passage.index, p.passage.source)
    const list = [...cited].map(([index, source]) => `[${index}] ${source}`).join(', ')
    sections.push(`${phrases.sources}: ${list}`)
  }
  return sections.join('\n\n')
}
