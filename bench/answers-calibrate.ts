/**
 * Calibration of the offline answerer's abstention threshold, on the TUNING split only: ingests
 * the tuning documents (bench/rag-data, bench/answers-tuning-docs) and nothing else, retrieves
 * the passages `/api/chat` would (top 5, same minimum similarity) for every tuning question,
 * and prints the evidence of each, the threshold that separates answerable from unanswerable
 * best (balanced accuracy), and the fact accuracy of the answers at the current threshold.
 * `bun bench/answers-calibrate.ts [--passages=FILE]`: with FILE, the retrieved passages are
 * read from it when it exists and written to it otherwise, so the answerer can be re-weighed
 * without ingesting again. `--verbose` prints every missed fact and answered unanswerable.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createOfflineEmbedder } from '../src/modules/ai/providers/offline-embedder'
import { ABSTAIN_BELOW, composeOfflineAnswer } from '../src/modules/ai/providers/offline-answer'
import { weighEvidence } from '../src/modules/ai/providers/offline-passage-weighing'
import type { GroundingPassage } from '../src/modules/ai/types'
import { createRetriever } from '../src/modules/rag/retrieval'
import { renderMarkdown, type RenderFormat } from '../test/fixtures/render-markdown'
import { createTestApp } from '../test/support/app'
import { docSets, tuningQuestions } from './answers-sets'

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}`))?.split('=')[1] ?? (process.argv.includes(`--${name}`) ? '' : undefined)
const cacheFile = arg('passages')
const verbose = arg('verbose') !== undefined
const questions = tuningQuestions()

async function retrieveAll(): Promise<GroundingPassage[][]> {
  const t = await createTestApp({ RATE_LIMIT_DOCS_INGEST_PER_MINUTE: '100000' })
  const user = await t.user('calibrate', 'Calibrate')
  for (const { dir, documents } of docSets(false)) {
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

const confidence = questions.map((q, i) => weighEvidence(q.question, passages[i]!).confidence)
const yes = confidence.filter((_, i) => questions[i]!.answerable)
const no = confidence.filter((_, i) => !questions[i]!.answerable)
// The facts each answer would hold were it not refused, to weigh a threshold by what it costs.
const wouldHold = questions.map((q, i) => q.answerable && composeOfflineAnswer([{ role: 'user', content: q.question }], { passages: passages[i]! }, 0).includes(q.fact!))
// Balanced accuracy: the share of answerable questions whose fact is kept and the share of
// unanswerable ones refused count equally, though the set holds far more of the first.
const atThreshold = (th: number) => {
  const facts = questions.filter((q, i) => q.answerable && wouldHold[i] && confidence[i]! >= th).length
  const refused = no.filter((c) => c < th).length
  return { facts, refused, kept: yes.filter((c) => c >= th).length, balanced: (facts / yes.length + refused / no.length) / 2 }
}
// The threshold: the lowest that refuses at least REFUSE_SHARE of the unanswerable questions
// (the abstention target of bench:answers, 5 of 6). Every step above it refuses answerable
// questions too, so the lowest that meets the target keeps the most facts.
const REFUSE_SHARE = 5 / 6
const grid = Array.from({ length: 61 }, (_, k) => (20 + k) / 100).map((th) => ({ threshold: th, ...atThreshold(th) }))
const best = grid.find((g) => g.refused >= REFUSE_SHARE * no.length) ?? grid[grid.length - 1]!
const top = grid.reduce((a, b) => (b.balanced > a.balanced ? b : a))
const rows = questions.map((q, i) => ({ q, c: confidence[i]! }))
console.log('unanswerable:\n  ' + rows.filter((r) => !r.q.answerable).map((r) => `${r.c.toFixed(2)} ${r.q.question}`).join('\n  '))
console.log('answerable, lowest 20:\n  ' + rows.filter((r) => r.q.answerable).sort((a, b) => a.c - b.c).slice(0, 20).map((r) => `${r.c.toFixed(2)} ${r.q.question}`).join('\n  '))
console.log(`lowest threshold refusing ${(REFUSE_SHARE * 100).toFixed(0)}% of the unanswerable: ${best.threshold.toFixed(2)} (facts ${best.facts}/${yes.length}, refused ${best.refused}/${no.length}); best balanced accuracy ${top.balanced.toFixed(3)} at ${top.threshold.toFixed(2)}`)
for (let th = 0.3; th <= 0.601; th += 0.05) {
  const a = atThreshold(th)
  console.log(`at ${th.toFixed(2)}: answerable kept ${a.kept}/${yes.length}, facts ${a.facts}/${yes.length}, unanswerable refused ${a.refused}/${no.length}`)
}

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
