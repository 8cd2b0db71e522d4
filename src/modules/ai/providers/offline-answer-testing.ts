// Shared by the offline answerer's tests: a question as a chat turn, and the answer's first line.
import { composeOfflineAnswer } from './offline-answer'
import type { GroundingPassage } from '../types'

/** One user turn asking `content`. */
export const ask = (content: string) => [{ role: 'user' as const, content }]

/** The first line of the offline answer to `question` over `passages`: the answer sentence with its citation. */
export const firstLine = (question: string, ...passages: GroundingPassage[]): string =>
  composeOfflineAnswer(ask(question), { passages }).split('\n')[0]!
