/**
 * The pet-nutrition knowledge base (src/modules/nutrition/knowledge/*.md) as documents of a
 * system user, stored through the docs ingest path (chunks and embeddings) and searched with
 * the docs retriever: hybrid vector + keyword where pgvector exists, keyword only where not.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { eq, sql } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import { documentChunks, documents } from '../../platform/db/schema'
import type { Logger } from '../../platform/logger'
import type { UserRepo } from '../auth/user-repo'
import type { IngestService } from '../rag/ingest-service'
import type { Retriever } from '../rag/retrieval'
import type { KnowledgeHit, KnowledgeSearch } from './knowledge-flows'

/** Keyword-only search fetches this many times the hits it returns, to re-rank them. */
const KEYWORD_CANDIDATES = 3

/** The subject of the user that owns the knowledge base. */
export const KNOWLEDGE_SUBJECT = 'system:petcare-knowledge'
const KNOWLEDGE_DIR = join(import.meta.dir, '..', 'nutrition', 'knowledge')

const PARTICLES = ['에서는', '으로는', '에게', '에서', '으로', '까지', '부터', '에는', '은', '는', '이', '가', '을', '를', '의', '에', '로', '와', '과', '도', '만', '랑']
/** Conversational words that name no topic; left in, a rare one outweighs the food the question is about. */
const STOPWORDS = new Set([
  'the', 'and', 'for', 'what', 'how', 'why', 'can', 'does', 'should', 'my', 'eat',
  '어떻게', '얼마나', '무엇', '알려줘', '알려', '주세요', '있나요', '되나요', '하나요', '대해', '관련', '우리', '강아지가', '고양이가',
  '먹어도', '먹여도', '줘도', '해도', '괜찮아', '괜찮나요', '괜찮을까', '괜찮을까요', '돼요', '되나', '먹으면', '주면', '좋아', '좋을까',
])

/** The topic words of a question (Korean particles stripped, conversational words dropped), for the retriever. */
export function focusQuery(question: string): string {
  const words = question.normalize('NFC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []
  const terms = new Set<string>()
  for (const w of words) {
    if (STOPWORDS.has(w)) continue
    const p = /[\uac00-\ud7a3]/.test(w) ? PARTICLES.find((x) => w.length - x.length >= 2 && w.endsWith(x)) : undefined
    const term = p ? w.slice(0, -p.length) : w
    if (term.length >= 2 && !STOPWORDS.has(term)) terms.add(term)
  }
  return terms.size > 0 ? [...terms].join(' ') : question
}

/** One knowledge file with its title (the first `# ` line). */
export interface KnowledgeFile {
  source: string
  title: string
  text: string
}

/** The knowledge files in name order. */
export function knowledgeFiles(): KnowledgeFile[] {
  return readdirSync(KNOWLEDGE_DIR)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((source) => {
      const text = readFileSync(join(KNOWLEDGE_DIR, source), 'utf8')
      const title = /^#\s+(.+)$/m.exec(text)?.[1]?.trim() ?? source
      return { source, title, text }
    })
}

/**
 * Stores a file's chunks without embeddings (no pgvector, or the embedder failed); keyword
 * search still finds them. The chunks come from the same worker path as every ingest.
 */
async function insertChunksOnly(db: Db, ingest: IngestService, ownerId: number, file: KnowledgeFile): Promise<void> {
  const { chunks } = await ingest.prepare({ kind: 'text', text: file.text, source: file.source })
  await db.transaction(async (tx) => {
    const [doc] = await tx
      .insert(documents)
      .values({ ownerId, source: file.source, kind: 'md', sizeBytes: Buffer.byteLength(file.text), chunkCount: chunks.length })
      .returning({ id: documents.id })
    if (chunks.length > 0) {
      await tx.insert(documentChunks).values(chunks.map((c) => ({ documentId: doc!.id, ownerId, position: c.position, content: c.content })))
    }
  })
}

/**
 * Stores every knowledge file the system user does not have yet (by file name), so a start
 * after the first costs one query. Two processes starting at once may both store a file; the
 * later copies are deleted afterwards, so exactly one copy of each remains. Returns the owner id.
 */
export async function ensureKnowledgeBase(deps: {
  db: Db
  users: UserRepo
  ingest: IngestService
  hasVector: () => boolean
  logger: Logger
}): Promise<number> {
  const { db } = deps
  const owner = await deps.users.ensureSubject(KNOWLEDGE_SUBJECT, 'Petcare knowledge base')
  const stored = new Set(
    (await db.select({ source: documents.source }).from(documents).where(eq(documents.ownerId, owner.id))).map((r) => r.source),
  )
  const missing = knowledgeFiles().filter((f) => !stored.has(f.source))
  // After one embedding failure (an unreachable provider) the rest is stored without trying
  // again, so a start never waits for one upstream timeout per file.
  let embed = deps.hasVector()
  for (const file of missing) {
    if (embed) {
      try {
        await deps.ingest.ingest(owner.id, { kind: 'text', text: file.text, source: file.source, withDocumentContext: false })
        continue
      } catch (error) {
        deps.logger.warn('petcare knowledge: embedding failed, storing for keyword search only', { source: file.source, error })
        embed = false
      }
    }
    await insertChunksOnly(db, deps.ingest, owner.id, file)
  }
  if (missing.length > 0) {
    await db.execute(sql`delete from documents d
                          where d.owner_id = ${owner.id}
                            and exists (select 1 from documents e where e.owner_id = d.owner_id and e.source = d.source and e.id < d.id)`)
    deps.logger.info('petcare knowledge stored', { documents: missing.length })
  }
  return owner.id
}

/**
 * Search over the knowledge base owner's chunks only, through the docs retriever. Guarantees:
 * at most `limit` hits, best first, scores within 0..1, titles from the files' headings.
 */
export function createKnowledgeSearch(deps: { retriever: Retriever; ownerId: number; hasVector: () => boolean }): KnowledgeSearch {
  const titles = new Map(knowledgeFiles().map((f) => [f.source, f.title]))
  return {
    async search(query, limit, signal) {
      const focus = focusQuery(query)
      const hybrid = deps.hasVector()
      let hits = await deps.retriever.search(deps.ownerId, focus, {
        topK: hybrid ? limit : limit * KEYWORD_CANDIDATES,
        mode: hybrid ? 'hybrid' : 'keyword',
        signal,
      })
      if (!hybrid) {
        // Keyword ranking ties (the same terms matched) are broken by how often the terms occur.
        const terms = focus.toLowerCase().split(' ')
        const frequency = (text: string) => terms.reduce((n, t) => n + Math.min(5, text.toLowerCase().split(t).length - 1), 0)
        hits = hits
          .map((h, rank) => ({ h, rank, f: frequency(h.content) }))
          .sort((a, b) => b.h.similarity - a.h.similarity || b.f - a.f || a.rank - b.rank)
          .slice(0, limit)
          .map((x) => x.h)
      }
      return hits.map(
        (h): KnowledgeHit => ({
          source: h.source,
          title: titles.get(h.source) ?? h.source,
          content: h.content,
          score: Math.round(h.similarity * 1000) / 1000,
        }),
      )
    },
  }
}
