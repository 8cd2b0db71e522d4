/**
 * The documents and questions of bench:answers, read from disk in one place. TUNING: the
 * documents and fact questions of bench/rag-data, the unanswerable questions of
 * bench/answers-tuning.json, and bench/answers-tuning-docs (its own documents, fact questions
 * phrased as people ask and unanswerable ones). HELD-OUT, three sets of the same shape (five
 * documents, 48 fact and 6 unanswerable questions, 36 petcare routing messages):
 * bench/answers-blind, the judged one, written without seeing the answerer and never tuned on
 * or looked at; and two earlier ones whose figures were looked at while tuning:
 * bench/answers-fresh and bench/answers-heldout.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

export interface ManifestDoc { source: string; format: string; filename: string }
export interface DocsQuestion { id: string; question: string; doc?: string; fact?: string; answerable: boolean }
export interface DocSet { name: string; dir: string; documents: ManifestDoc[] }
export interface RoutingQuestion { flow: string; message: string }

/** The held-out sets, judged one first. */
export const HELDOUT_SETS = ['answers-blind', 'answers-fresh', 'answers-heldout'] as const
export type HeldoutSet = (typeof HELDOUT_SETS)[number]
/** The held-out set whose targets are judged: nobody tuning the answerer has seen it. */
export const JUDGED_HELDOUT: HeldoutSet = 'answers-blind'
/** The first held-out set, looked at while tuning: reported, no longer judged. */
export const EARLIER_HELDOUT: HeldoutSet = 'answers-heldout'

const read = (...p: string[]) => JSON.parse(readFileSync(join(import.meta.dir, ...p), 'utf8'))
const manifest = (name: string): DocSet => ({
  name,
  dir: join(import.meta.dir, name, 'docs'),
  documents: (read(name, 'manifest.json') as { documents: ManifestDoc[] }).documents,
})

/** The document sets to ingest: the tuning ones, and every held-out one unless left out. */
export function docSets(withHeldout = true): DocSet[] {
  const sets = [manifest('rag-data'), manifest('answers-tuning-docs')]
  return withHeldout ? [...sets, ...HELDOUT_SETS.map(heldoutDocSet)] : sets
}

/** One held-out set's documents. */
export function heldoutDocSet(name: HeldoutSet): DocSet {
  return manifest(name)
}

/** Every tuning question, answerable (with the fact its answer must contain) or not. */
export function tuningQuestions(): DocsQuestion[] {
  const ragData = (read('rag-data', 'questions.json') as { id: string; question: string; doc: string; answer_contains: string }[]).map(
    (q): DocsQuestion => ({ id: q.id, question: q.question, doc: q.doc, fact: q.answer_contains, answerable: true }),
  )
  const unanswerable = (read('answers-tuning.json').unanswerable as string[]).map(
    (question, i): DocsQuestion => ({ id: `tu${i + 1}`, question, answerable: false }),
  )
  return [...ragData, ...unanswerable, ...ownQuestions('answers-tuning-docs')]
}

export const tuningQuestionTexts = () => tuningQuestions().map((q) => q.question)

/** A held-out set's questions. Read by bench/answers.ts to score them and by the set's own check. */
export function heldoutQuestions(name: HeldoutSet): DocsQuestion[] {
  return ownQuestions(name)
}

function ownQuestions(name: string): DocsQuestion[] {
  return (read(name, 'questions.json') as (Omit<DocsQuestion, 'answerable'> & { answerable?: boolean })[]).map((q) => ({
    ...q,
    answerable: q.answerable !== false,
  }))
}

/** A held-out set's petcare routing messages and the flow each belongs to. */
export function heldoutRouting(name: HeldoutSet): RoutingQuestion[] {
  return read(name, 'routing.json').questions
}
