/**
 * The documents and questions of bench:answers, read from disk in one place. TUNING: the
 * documents and fact questions of bench/rag-data, the unanswerable questions of
 * bench/answers-tuning.json, and bench/answers-tuning-docs (its own documents, fact questions
 * phrased as people ask and unanswerable ones). HELD-OUT: bench/answers-heldout, never tuned on.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

export interface ManifestDoc { source: string; format: string; filename: string }
export interface DocsQuestion { id: string; question: string; doc?: string; fact?: string; answerable: boolean }
export interface DocSet { name: string; dir: string; documents: ManifestDoc[] }

const read = (...p: string[]) => JSON.parse(readFileSync(join(import.meta.dir, ...p), 'utf8'))
const manifest = (name: string): DocSet => ({
  name,
  dir: join(import.meta.dir, name, 'docs'),
  documents: (read(name, 'manifest.json') as { documents: ManifestDoc[] }).documents,
})

/** The document sets to ingest: the tuning ones, and the held-out one unless left out. */
export function docSets(withHeldout = true): DocSet[] {
  const sets = [manifest('rag-data'), manifest('answers-tuning-docs')]
  return withHeldout ? [...sets, manifest('answers-heldout')] : sets
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

/** The held-out questions. Read only by bench/answers.ts, to score them. */
export function heldoutQuestions(): DocsQuestion[] {
  return ownQuestions('answers-heldout')
}

function ownQuestions(name: string): DocsQuestion[] {
  return (read(name, 'questions.json') as (Omit<DocsQuestion, 'answerable'> & { answerable?: boolean })[]).map((q) => ({
    ...q,
    answerable: q.answerable !== false,
  }))
}

/** The held-out petcare routing messages and the flow each belongs to. */
export function heldoutRouting(): { flow: string; message: string }[] {
  return read('answers-heldout', 'routing.json').questions
}
