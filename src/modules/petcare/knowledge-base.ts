/**
 * The pet-nutrition knowledge base (src/modules/nutrition/knowledge/*.md) as documents of a
 * system user, and a keyword search over their chunks. Ingesting is idempotent: a document
 * already stored under its file name is kept, so every start after the first costs one query
 * per file; an advisory lock keeps two processes starting at once from storing it twice.
 * The search ranks chunks by how many of the question's terms they contain (ILIKE), which
 * works for Korean and without pgvector.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { and, eq, sql } from 'drizzle-orm'
import { queryRows, type Db } from '../../platform/db/client'
import { documentChunks, documents } from '../../platform/db/schema'
import type { UserRepo } from '../auth/user-repo'
import { chunkSections } from '../rag/chunker'
import type { KnowledgeHit, KnowledgeSearch } from './knowledge-flows'

/** The subject of the user that owns the knowledge base. */
export const KNOWLEDGE_SUBJECT = 'system:petcare-knowledge'
const KNOWLEDGE_DIR = join(import.meta.dir, '..', 'nutrition', 'knowledge')
/** Arbitrary constant naming the ingest lock (pg_advisory_xact_lock). */
const INGEST_LOCK = 740_219_311

const PARTICLES = ['에서는', '으로는', '에게', '에서', '으로', '까지', '부터', '에는', '은', '는', '이', '가', '을', '를', '의', '에', '로', '와', '과', '도', '만', '랑']
const STOPWORDS = new Set([
  'the', 'and', 'for', 'what', 'how', 'why', 'can', 'does', 'should', 'my', 'dog', 'cat', 'eat',
  '어떻게', '얼마나', '무엇', '알려줘', '알려', '주세요', '있나요', '되나요', '하나요', '대해', '관련', '우리', '강아지가', '고양이가',
  '먹어도', '먹여도', '줘도', '해도', '괜찮아', '괜찮나요', '괜찮을까', '괜찮을까요', '돼요', '되나', '먹으면', '주면', '좋아', '좋을까',
])

/** Distinct search terms of a question: words of 2+ characters, Korean particles stripped, at most 8. */
export function searchTerms(question: string): string[] {
  const words = question.normalize('NFC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []
  const terms = new Set<string>()
  for (const w of words) {
    const p = /[\uac00-\ud7a3]/.test(w) ? PARTICLES.find((x) => w.length - x.length >= 2 && w.endsWith(x)) : undefined
    const term = p ? w.slice(0, -p.length) : w
    if (term.length >= 2 && !STOPWORDS.has(term) && !STOPWORDS.has(w)) terms.add(term)
  }
  return [...terms].sort((a, b) => b.length - a.length).slice(0, 8)
}

/** The knowledge files with their titles (the first `# ` line). */
function knowledgeFiles(): { source: string; title: string; text: string }[] {
  return readdirSync(KNOWLEDGE_DIR)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((source) => {
      const text = readFileSync(join(KNOWLEDGE_DIR, source), 'utf8')
      const title = /^#\s+(.+)$/m.exec(text)?.[1]?.trim() ?? source
      return { source, title, text }
    })
}

/** Stores the knowledge base under the system user unless it is there; returns the owner's id. */
export async function ensureKnowledgeBase(db: Db, users: UserRepo): Promise<number> {
  const owner = await users.ensureSubject(KNOWLEDGE_SUBJECT, 'Petcare knowledge base')
  const files = knowledgeFiles()
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${INGEST_LOCK})`)
    for (const file of files) {
      const [existing] = await tx
        .select({ id: documents.id })
        .from(documents)
        .where(and(eq(documents.ownerId, owner.id), eq(documents.source, file.source)))
        .limit(1)
      if (existing) continue
      const chunks = chunkSections([{ text: file.text }])
      const [doc] = await tx
        .insert(documents)
        .values({ ownerId: owner.id, source: file.source, kind: 'md', sizeBytes: Buffer.byteLength(file.text), chunkCount: chunks.length })
        .returning({ id: documents.id })
      if (chunks.length > 0) {
        await tx.insert(documentChunks).values(chunks.map((c) => ({ documentId: doc!.id, ownerId: owner.id, position: c.position, content: c.content })))
      }
    }
  })
  return owner.id
}

/**
 * Keyword search over the knowledge base owner's chunks. Guarantees: only that owner's
 * chunks; at most `limit`; each hit contains at least one term; scores in 0..1 (the share of
 * the question's terms the chunk contains), best first.
 */
export function createKeywordKnowledgeSearch(deps: { db: Db; ownerId: number }): KnowledgeSearch {
  const titles = new Map(knowledgeFiles().map((f) => [f.source, f.title]))
  return {
    async search(query, limit) {
      const terms = searchTerms(query)
      if (terms.length === 0) return []
      const matches = sql.join(
        terms.map((t) => sql`(c.content ilike ${`%${t.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`})::int`),
        sql` + `,
      )
      // Occurrences (at most 5 per term) break ties between chunks that contain the same terms.
      const occurrences = sql.join(
        terms.map((t) => sql`least(5, (length(c.content) - length(replace(lower(c.content), ${t}, ''))) / ${t.length}::int)`),
        sql` + `,
      )
      const rows = await queryRows<{ source: string; content: string; hits: number | string }>(
        deps.db,
        sql`select d.source, c.content, (${matches}) as hits, (${occurrences}) as occurrences
              from document_chunks c join documents d on d.id = c.document_id
             where c.owner_id = ${deps.ownerId}
             order by hits desc, occurrences desc, c.id asc
             limit ${limit}`,
      )
      return rows
        .filter((r) => Number(r.hits) > 0)
        .map(
          (r): KnowledgeHit => ({
            source: r.source,
            title: titles.get(r.source) ?? r.source,
            content: r.content,
            score: Math.round((Number(r.hits) / terms.length) * 1000) / 1000,
          }),
        )
    },
  }
}
