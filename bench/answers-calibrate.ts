/**
 * Calibration of the offline answerer's abstention, on the TUNING split only: ingests the
 * tuning documents (bench/rag-data, bench/answers-tuning-docs) and nothing else, retrieves the
 * passages `/api/chat` would (top 5, same minimum similarity, with retrieval's scores) for
 * every tuning question, and prints how well each reading of the evidence separates
 * answerable from unanswerable questions, cross-validated fact counts of answer models over
 * several sets of readings, the model fitted on every tuning question (ANSWER_MODEL in
 * offline-passage-weighing.ts is that), the threshold that refuses 7/8 of the unanswerable
 * questions under it, and the fact accuracy of the answers at the threshold in the code.
 * `bun bench/answers-calibrate.ts [--passages=FILE]`: with FILE, the retrieved passages are
 * read from it when it exists and written to it otherwise, so the answerer can be re-weighed
 * without ingesting again. `--verbose` prints every missed fact and answered unanswerable.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createOfflineEmbedder } from '../src/modules/ai/providers/offline-embedder'
import { ABSTAIN_BELOW, composeOfflineAnswer } from '../src/modules/ai/providers/offline-answer'
import { ANSWER_MODEL, answerConfidence, weighEvidence, type AnswerSignals } from '../src/modules/ai/providers/offline-passage-weighing'
import type { GroundingPassage } from '../src/modules/ai/types'
import { createRetriever } from '../src/modules/rag/retrieval'
import { renderMarkdown, type RenderFormat } from '../test/fixtures/render-markdown'
import { createTestApp } from '../test/support/app'
import { docSets, HELDOUT_SETS, heldoutDocSet, heldoutQuestions, JUDGED_HELDOUT, tuningQuestions, type HeldoutSet } from './answers-sets'

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}`))?.split('=')[1] ?? (process.argv.includes(`--${name}`) ? '' : undefined)
const cacheFile = arg('passages')
const verbose = arg('verbose') !== undefined
// --on=answers-fresh,answers-heldout weighs those looked-at held-out sets' questions instead (their
// documents ingested beside the tuning ones): the answerer was fitted on the tuning split, so its
// confidence there runs higher than on material it was not fitted to. The judged set is refused.
const on = (arg('on') ?? '').split(',').filter(Boolean) as HeldoutSet[]
for (const name of on) {
  if (!HELDOUT_SETS.includes(name) || name === JUDGED_HELDOUT) throw new Error(`--on=${name}: expected a looked-at held-out set`)
}
const questions = on.length ? on.flatMap((name) => heldoutQuestions(name)) : tuningQuestions()

async function retrieveAll(): Promise<GroundingPassage[][]> {
  const t = await createTestApp({ RATE_LIMIT_DOCS_INGEST_PER_MINUTE: '100000' })
  const user = await t.user('calibrate', 'Calibrate')
  for (const { dir, documents } of [...docSets(false), ...on.map(heldoutDocSet)]) {
    for (const doc of documents) {
      const form = new FormData()
      form.append('file', new File([await renderMarkdown(readFileSync(join(dir, doc.source), 'utf8'), doc.format as RenderFormat)], doc.filename))
      await t.request('POST', '/api/ingest', { token: user.token, body: form })
    }
  }
  const retriever = createRetriever({ db: t.database.db, embedder: createOfflineEmbedder({ dim: t.config.ai.embeddingDim }) })
  const all: GroundingPassage[][] = []
  for (const q of questions) {
    const hits = await retriever.search(user.id, q.question, { topK: 5, minSimilarity: 0.2 })
    all.push(hits.map((h, i) => ({ index: i + 1, source: h.source, content: h.content, similarity: h.similarity })))
  }
  await t.close()
  return all
}

const cached = cacheFile && existsSync(cacheFile) ? (JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<string, GroundingPassage[]>) : undefined
const passages = cached ? questions.map((q) => cached[q.question] ?? []) : await retrieveAll()
if (cacheFile && !cached) writeFileSync(cacheFile, JSON.stringify(Object.fromEntries(questions.map((q, i) => [q.question, passages[i]]))))

const signals = questions.map((q, i) => weighEvidence(q.question, passages[i]!).signals)
const answerable = questions.map((q) => q.answerable)
// The facts each answer would hold were it not refused, to weigh a threshold by what it costs.
const wouldHold = questions.map((q, i) => q.answerable && composeOfflineAnswer([{ role: 'user', content: q.question }], { passages: passages[i]! }, 0).includes(q.fact!))

// Readings the answer model may weigh. Retrieval's similarities are read here to show whether
// they separate the two kinds of question; the shipped model keeps what does.
type Reading = (s: AnswerSignals) => number
const READINGS: Record<string, Reading> = {
  passage: (s) => s.passage,
  sentence: (s) => s.sentence,
  score: (s) => s.score,
  valued: (s) => (s.valued ? 1 : 0),
  thingMissing: (s) => (s.thingMissing ? 1 : 0),
  similarity: (s) => s.similarity ?? 0,
  topSimilarity: (s) => s.topSimilarity ?? 0,
}
const MODEL_READINGS = ['passage', 'score', 'thingMissing'] as const

/**
 * Logistic regression by gradient descent on standardised readings, each class weighing half
 * (the set holds far more answerable questions), with a light L2 penalty. Returns raw weights.
 */
function fitLogistic(x: number[][], y: boolean[], l2 = 1e-3, steps = 4000): { weights: number[]; intercept: number } {
  const d = x[0]!.length
  const mean = Array.from({ length: d }, (_, j) => x.reduce((a, r) => a + r[j]!, 0) / x.length)
  const sd = Array.from({ length: d }, (_, j) => Math.sqrt(x.reduce((a, r) => a + (r[j]! - mean[j]!) ** 2, 0) / x.length) || 1)
  const z = x.map((r) => r.map((v, j) => (v - mean[j]!) / sd[j]!))
  const positives = y.filter(Boolean).length
  const weight = y.map((v) => 0.5 / (v ? positives : y.length - positives))
  const b = new Array<number>(d + 1).fill(0)
  for (let step = 0; step < steps; step++) {
    const grad = new Array<number>(d + 1).fill(0)
    z.forEach((r, i) => {
      const p = 1 / (1 + Math.exp(-(b[d]! + r.reduce((a, v, j) => a + v * b[j]!, 0))))
      const g = (p - (y[i] ? 1 : 0)) * weight[i]!
      r.forEach((v, j) => (grad[j]! += g * v))
      grad[d]! += g
    })
    for (let j = 0; j < d; j++) b[j]! -= grad[j]! + l2 * b[j]!
    b[d]! -= grad[d]!
  }
  const weights = b.slice(0, d).map((w, j) => w / sd[j]!)
  return { weights, intercept: b[d]! - weights.reduce((a, w, j) => a + w * mean[j]!, 0) }
}
const predict = (m: { weights: number[]; intercept: number }, r: number[]) => 1 / (1 + Math.exp(-(m.intercept + r.reduce((a, v, j) => a + v * m.weights[j]!, 0))))

// The threshold: the lowest that refuses at least REFUSE_SHARE of the unanswerable questions.
// Every step above it refuses answerable questions too, so the lowest that meets it keeps the
// most facts. The share is 7/8, over bench:answers' 5/6 target: the answer model's confidence is
// continuous, so the lowest threshold meeting 5/6 here sits on an unanswerable question and
// new material falls under 5/6 about half the time (the held-out split gave 4/6 at 5/6).
const REFUSE_SHARE = 7 / 8
function thresholdFor(confidence: number[]) {
  const refusedNeeded = Math.ceil(REFUSE_SHARE * answerable.filter((a) => !a).length)
  const no = confidence.filter((_, i) => !answerable[i]).sort((a, b) => a - b)
  const threshold = Math.ceil((no[refusedNeeded - 1]! + 1e-9) * 1000) / 1000
  const facts = confidence.filter((c, i) => wouldHold[i] && c >= threshold).length
  return { threshold, facts, refused: no.filter((c) => c < threshold).length }
}
/** How often an answerable question's reading beats an unanswerable one's (0.5: no better than chance). */
function auc(values: number[], among: boolean[]): number {
  const yes = values.filter((_, i) => among[i] && answerable[i])
  const no = values.filter((_, i) => among[i] && !answerable[i])
  let wins = 0
  for (const a of yes) for (const b of no) wins += a > b ? 1 : a === b ? 0.5 : 0
  return wins / (yes.length * no.length)
}
const shipped = signals.map((s) => answerConfidence(s))
const everyQuestion = questions.map(() => true)
// The ambiguous questions: half of their words found, where the old threshold could not tell.
const coverage = signals.map((s) => 0.4 * s.passage + 0.6 * s.sentence)
const ambiguous = coverage.map((c) => c >= 0.3 && c < 0.65)
console.log(`readings, AUC answerable vs unanswerable (all ${questions.length} / the ${ambiguous.filter(Boolean).length} with 0.3–0.65 of their words found):`)
for (const [name, read] of Object.entries(READINGS)) console.log(`  ${name}: ${auc(signals.map(read), everyQuestion).toFixed(3)} / ${auc(signals.map(read), ambiguous).toFixed(3)}`)

// Five-fold cross-validation, repeated: facts kept at the REFUSE_SHARE threshold by models fitted
// without the questions they score, so a reading earns its place only if it helps unseen questions.
function crossValidated(names: string[], repeats = 5): number {
  const rows = signals.map((s) => names.map((n) => READINGS[n]!(s)))
  let seed = 7
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  let total = 0
  for (let r = 0; r < repeats; r++) {
    const fold = rows.map(() => Math.floor(random() * 5))
    const scored = new Array<number>(rows.length).fill(0)
    for (let f = 0; f < 5; f++) {
      const train = rows.map((_, i) => i).filter((i) => fold[i] !== f)
      const m = fitLogistic(train.map((i) => rows[i]!), train.map((i) => answerable[i]!), 1e-3, 1500)
      rows.forEach((row, i) => fold[i] === f && (scored[i] = predict(m, row)))
    }
    total += thresholdFor(scored).facts
  }
  return total / repeats
}
console.log(`\nfacts kept at the ${(REFUSE_SHARE * 100).toFixed(1)}% refusal threshold (of ${wouldHold.filter(Boolean).length} the answers would hold), cross-validated:`)
console.log(`  words found only (the previous confidence): ${thresholdFor(coverage.map((c, i) => c + (signals[i]!.valued ? 0.1 : 0))).facts} (not fitted)`)
for (const names of [[...MODEL_READINGS], ['passage', 'score', 'valued'], ['passage', 'score', 'valued', 'thingMissing'], [...MODEL_READINGS, 'similarity'], [...MODEL_READINGS, 'topSimilarity'], ['passage', 'sentence', 'valued'], ['passage', 'sentence', 'valued', 'similarity']])
  console.log(`  ${names.join(' + ')}: ${crossValidated(names).toFixed(1)}`)

const fitted = fitLogistic(signals.map((s) => MODEL_READINGS.map((n) => READINGS[n]!(s))), answerable)
console.log(`\nfitted on every tuning question: ${MODEL_READINGS.map((n, j) => `${n}: ${fitted.weights[j]!.toFixed(2)}`).join(', ')}, intercept: ${fitted.intercept.toFixed(2)}`)
console.log(`shipped ANSWER_MODEL: ${JSON.stringify(ANSWER_MODEL)}`)
const at = thresholdFor(shipped)
console.log(`lowest threshold refusing ${(REFUSE_SHARE * 100).toFixed(0)}% of the unanswerable under the shipped model: ${at.threshold} (facts ${at.facts}, refused ${at.refused})`)
for (let th = 0.4; th <= 0.601; th += 0.02) {
  const facts = shipped.filter((c, i) => wouldHold[i] && c >= th).length
  const refused = shipped.filter((c, i) => !answerable[i] && c < th).length
  console.log(`  at ${th.toFixed(2)}: facts ${facts}, unanswerable refused ${refused}/${answerable.filter((a) => !a).length}`)
}
const rowsOut = questions.map((q, i) => ({ q, c: shipped[i]! }))
if (verbose) {
  console.log('unanswerable:\n  ' + rowsOut.filter((r) => !r.q.answerable).map((r) => `${r.c.toFixed(2)} ${r.q.question}`).join('\n  '))
  console.log('answerable, lowest 20:\n  ' + rowsOut.filter((r) => r.q.answerable).sort((a, b) => a.c - b.c).slice(0, 20).map((r) => `${r.c.toFixed(2)} ${r.q.question}`).join('\n  '))
}
const confidence = shipped

// The answers themselves, at the threshold in the code (ABSTAIN_BELOW).
const ABSTAINS = [/문서에서 (?:이 질문의 )?답을 찾지 못했습니다/, /do(?:es)? not answer/]
const groups = new Map<string, { facts: number; asked: number; refused: number; abstained: number; unanswerable: number }>()
questions.forEach((q, i) => {
  const text = composeOfflineAnswer([{ role: 'user', content: q.question }], { passages: passages[i]! })
  const refused = ABSTAINS.some((r) => r.test(text))
  const group = q.id.startsWith('tn') ? 'answers-tuning-docs' : 'rag-data + answers-tuning.json'
  const g = groups.get(group) ?? { facts: 0, asked: 0, refused: 0, abstained: 0, unanswerable: 0 }
  if (q.answerable) {
    g.asked++
    if (text.includes(q.fact!)) g.facts++
    else if (verbose) console.log(`  miss ${q.id} (${confidence[i]!.toFixed(2)}): ${q.question}\n    want: ${q.fact}\n    got: ${text.replace(/\n+/g, ' | ')}`)
    if (refused) g.refused++
  } else {
    g.unanswerable++
    if (refused) g.abstained++
    else if (verbose) console.log(`  answered ${q.id} (${confidence[i]!.toFixed(2)}): ${q.question}\n    got: ${text.replace(/\n+/g, ' | ')}`)
  }
  groups.set(group, g)
})
console.log(`\nat ABSTAIN_BELOW ${ABSTAIN_BELOW} (tuning documents only, no held-out ones ingested):`)
for (const [name, g] of groups) console.log(`  ${name}: facts ${g.facts}/${g.asked}, false abstentions ${g.refused}, abstained ${g.abstained}/${g.unanswerable}`)
// The app's document workers may outlive `close()` by a moment; the figures are printed.
process.exit(0)
