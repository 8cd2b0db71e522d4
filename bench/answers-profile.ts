/**
 * Where the time of `POST /api/chat` on the offline provider goes, at the bench:answers size
 * (every bench:answers document ingested for one user): for each tuning question, the whole
 * request read to its end (first, as bench:answers asks it), then the retrieval alone (the same search `/api/chat` runs, then each of its legs alone), and the answerer alone (evidence + the
 * composed answer). Prints p50/p90/p99 of each and the machine's load average.
 * Asks tuning questions only. `bun bench/answers-profile.ts`
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { processDataStream } from '@ai-sdk/ui-utils'
import { createOfflineEmbedder } from '../src/modules/ai/providers/offline-embedder'
import { composeOfflineAnswer, groundingAnswers } from '../src/modules/ai/providers/offline-answer'
import { keywordHits } from '../src/modules/rag/keyword-search'
import { createRetriever } from '../src/modules/rag/retrieval'
import { renderMarkdown, type RenderFormat } from '../test/fixtures/render-markdown'
import { createTestApp } from '../test/support/app'
import { docSets, tuningQuestionTexts } from './answers-sets'

const t = await createTestApp({ RATE_LIMIT_DOCS_INGEST_PER_MINUTE: '100000', RATE_LIMIT_DOCS_CHAT_PER_MINUTE: '100000' })
const user = await t.user('profile', 'Profile')
for (const { dir, documents } of docSets()) {
  for (const doc of documents) {
    const form = new FormData()
    form.append('file', new File([await renderMarkdown(readFileSync(join(dir, doc.source), 'utf8'), doc.format as RenderFormat)], doc.filename))
    const res = await t.request('POST', '/api/ingest', { token: user.token, body: form })
    if (res.status >= 300) throw new Error(`ingest ${doc.filename}: ${res.status}`)
  }
}
const retriever = createRetriever({ db: t.database.db, embedder: createOfflineEmbedder({ dim: t.config.ai.embeddingDim }) })
const questions = tuningQuestionTexts()
const times = { retrieval: [] as number[], 'vector leg': [] as number[], 'keyword leg': [] as number[], answerer: [] as number[], chat: [] as number[] }
await retriever.search(user.id, 'warm-up', { topK: 5, minSimilarity: 0.2 })
for (const question of questions) {
  // The whole request first, as bench:answers asks it (nothing of this question cached yet).
  const messages = [{ role: 'user' as const, content: question }]
  let s = performance.now()
  const res = await t.request('POST', '/api/chat', { token: user.token, json: { messages } })
  await processDataStream({ stream: res.body!, onTextPart: () => {} })
  times.chat.push(performance.now() - s)
  s = performance.now()
  const hits = await retriever.search(user.id, question, { topK: 5, minSimilarity: 0.2 })
  times.retrieval.push(performance.now() - s)
  s = performance.now()
  await retriever.search(user.id, question, { topK: 5, minSimilarity: 0.2, mode: 'vector' })
  times['vector leg'].push(performance.now() - s)
  s = performance.now()
  await keywordHits(t.database.db, user.id, question, 20)
  times['keyword leg'].push(performance.now() - s)
  const grounding = { passages: hits.map((h, i) => ({ index: i + 1, source: h.source, content: h.content })) }
  s = performance.now()
  groundingAnswers(messages, grounding)
  composeOfflineAnswer(messages, grounding)
  times.answerer.push(performance.now() - s)
}
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)] ?? 0
console.log(`${questions.length} questions, load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`)
for (const [name, xs] of Object.entries(times)) console.log(`${name.padEnd(12)} p50 ${pct(xs, 50).toFixed(1)}  p90 ${pct(xs, 90).toFixed(1)}  p99 ${pct(xs, 99).toFixed(1)}  max ${Math.max(...xs).toFixed(1)} ms`)
await t.close()
// The app's document workers may outlive `close()` by a moment; the figures are printed.
process.exit(0)
