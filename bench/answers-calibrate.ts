/**
 * Calibration of the offline answerer's abstention threshold, on the TUNING split only:
 * retrieves the passages `/api/chat` would (top 5, same minimum similarity) for every
 * bench/rag-data question (answerable) and every bench/answers-tuning.json question
 * (unanswerable), and prints the evidence of each and the threshold that separates them best.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createOfflineEmbedder } from '../src/modules/ai/providers/offline-embedder'
import { weighEvidence } from '../src/modules/ai/providers/offline-answer'
import { createRetriever } from '../src/modules/rag/retrieval'
import { renderMarkdown, type RenderFormat } from '../test/fixtures/render-markdown'
import { createTestApp } from '../test/support/app'

const read = (...p: string[]) => JSON.parse(readFileSync(join(import.meta.dir, ...p), 'utf8'))
const manifest = read('rag-data', 'manifest.json') as { documents: { source: string; format: RenderFormat; filename: string }[] }
const answerable = (read('rag-data', 'questions.json') as { question: string }[]).map((q) => q.question)
const unanswerable = read('answers-tuning.json').unanswerable as string[]

const t = await createTestApp({ RATE_LIMIT_DOCS_INGEST_PER_MINUTE: '100000' })
const user = await t.user('calibrate', 'Calibrate')
for (const doc of manifest.documents) {
  const form = new FormData()
  form.append('file', new File([await renderMarkdown(readFileSync(join(import.meta.dir, 'rag-data', 'docs', doc.source), 'utf8'), doc.format)], doc.filename))
  await t.request('POST', '/api/ingest', { token: user.token, body: form })
}
const retriever = createRetriever({ db: t.database.db, embedder: createOfflineEmbedder({ dim: t.config.ai.embeddingDim }) })
async function confidence(question: string) {
  const hits = await retriever.search(user.id, question, { topK: 5, minSimilarity: 0.2 })
  return weighEvidence(question, hits.map((h, i) => ({ index: i + 1, source: h.source, content: h.content }))).confidence
}
const yes = await Promise.all(answerable.map(confidence))
const no = await Promise.all(unanswerable.map(confidence))
// Balanced accuracy: the share of answerable questions kept and the share of unanswerable
// ones refused count equally, though the set holds far more of the first.
let best = { threshold: 0, balanced: -1 }
for (let step = 20; step <= 80; step++) {
  const th = step / 100
  const balanced = (yes.filter((c) => c >= th).length / yes.length + no.filter((c) => c < th).length / no.length) / 2
  if (balanced > best.balanced + 1e-9) best = { threshold: th, balanced }
}
console.log('unanswerable:', no.map((c, i) => `${c.toFixed(2)} ${unanswerable[i]}`).join('\n  '))
console.log('answerable, lowest 20:', yes.map((c, i) => [c, answerable[i]] as const).sort((a, b) => a[0] - b[0]).slice(0, 20).map(([c, q]) => `${c.toFixed(2)} ${q}`).join('\n  '))
console.log(`best threshold ${best.threshold.toFixed(2)}: balanced accuracy ${best.balanced.toFixed(3)}`)
for (const th of [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6]) console.log(`at ${th}: answerable kept ${yes.filter((c) => c >= th).length}/${yes.length}, unanswerable refused ${no.filter((c) => c < th).length}/${no.length}`)
await t.close()
