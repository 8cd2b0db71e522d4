import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../platform/db/client";
import { keywordTerms } from "./keyword-terms";

/** One keyword hit: `weight` ranks, `score` is the share of the question's terms the chunk holds. */
export interface KeywordRow {
  chunk_id: unknown;
  document_id: unknown;
  source: string;
  content: string;
  weight: unknown;
  score: unknown;
}

/**
 * A term found in this many of the owner's chunks is common: its other chunks are never read,
 * and it weighs as if exactly this many held it. Every confirmed match costs a read of the
 * chunk's text, so this bounds the work of a question at terms × COMMON_TERM_CHUNKS chunks
 * whatever the owner holds.
 */
export const COMMON_TERM_CHUNKS = 100;
/**
 * The index offers chunks holding all a term's trigrams, not always the term ("number" offers
 * its chunks for "numbers"); at most this many times COMMON_TERM_CHUNKS of them are read for a
 * term. A term cut there counts the matches found so far as its df.
 */
const EXAMINED_PER_COMMON = 5;

/**
 * The owner's chunks best matching the question's distinctive terms: a term is found anywhere
 * in a chunk, case-insensitively, as ILIKE '%term%' would, and weighs log(1 + N / df), N the
 * owner's chunks (as their documents record them: one row per document to read, not one per
 * chunk) and df those holding the term, so a rare term (a model code, a name) counts
 * more than a common one.
 *
 * Each term's chunks come from the key index (drizzle/0009_keyword_trigrams.sql: a chunk holding
 * all the term's owner-tagged trigrams, or its bigram), `strpos` confirming the term itself, at
 * most `commonAt` of them. A term with fewer is rare and its count is its exact df; a common one
 * has df taken as `commonAt` (so it never outweighs a rare term) and is not read further. The
 * candidates are the rare terms' chunks, or, when every term is common, the chunks read for
 * them; every candidate is then checked for every term. With no common term this is exactly the
 * ranking of a scan of all the owner's chunks (a unit test compares the two).
 *
 * The owner test is written `owner_id + 0` (the keys carry the owner already; it is a safeguard)
 * so the (owner_id) index cannot serve it, and sequential scans are off for the statement:
 * without statistics the planner would read the owner's chunks and compute every chunk's keys as
 * a filter. Every CTE is materialised, so each runs once.
 */
export async function keywordHits(
  db: Db,
  ownerId: number,
  question: string,
  limit: number,
  commonAt = COMMON_TERM_CHUNKS,
): Promise<KeywordRow[]> {
  const terms = keywordTerms(question);
  if (terms.length === 0) return [];
  const cap = Math.max(1, Math.floor(commonAt));
  // A term without case (Hangul, digits) is searched in the text as stored; only when some
  // term has letters with case is a candidate lower-cased.
  const cased = terms.map((t) => t.toUpperCase() !== t.toLowerCase());
  const lowered = cased.some(Boolean);
  // One statement text for every question (the terms are an array), planned once per term
  // through the lateral join rather than once per term in the text.
  return db.transaction(async (tx) => {
    await tx.execute(sql.raw("set local enable_seqscan = off"));
    return queryRows<KeywordRow>(
      tx,
      sql`with t as materialized (
              select x.i::int as i, lower(x.term) as term, x.cased
                from unnest(${`{${terms.map(quoteElement).join(",")}}`}::text[], ${`{${cased.join(",")}}`}::bool[]) with ordinality x(term, cased, i)),
            h as materialized (
              select t.i, f.id
                from t
               cross join lateral (
                     select o.id
                       from (select c.id, c.content from document_chunks c
                              where c.owner_id + 0 = ${ownerId} and rag_keys(c.owner_id, c.content) @> rag_term_keys(${ownerId}::bigint, t.term)
                              limit ${cap * EXAMINED_PER_COMMON}) o
                      where strpos(case when t.cased then lower(o.content) else o.content end, t.term) > 0
                      limit ${cap}) f),
            df as materialized (select i, count(*)::float8 as n from h group by i),
            cand as materialized (
              select distinct h.id from h join df using (i)
               where df.n < ${cap} or not exists (select 1 from df where df.n < ${cap})),
            mt as materialized (
              select c.id, c.document_id, t.i
                from cand
                join document_chunks c on c.id = cand.id
               cross join lateral (select case when ${lowered} then lower(c.content) end as lc offset 0) l
                join t on strpos(case when t.cased then l.lc else c.content end, t.term) > 0),
            total as materialized (select greatest(coalesce(sum(chunk_count), 0), 1)::float8 as n from documents where owner_id = ${ownerId})
        select top.id as chunk_id, top.document_id, d.source, c.content, top.weight, top.score
          from (select mt.id, mt.document_id,
                       sum(ln(1 + total.n / greatest(coalesce(df.n, 0), 1))) as weight,
                       count(*)::float8 / ${terms.length}::float8 as score
                  from mt
                  left join df using (i)
                 cross join total
                 group by mt.id, mt.document_id
                 order by weight desc, mt.id
                 limit ${limit}) top
          join document_chunks c on c.id = top.id
          join documents d on d.id = top.document_id
         order by top.weight desc, top.id`,
    );
  });
}

/** A text[] literal element: quoted, with `"` and `\` escaped. */
const quoteElement = (s: string): string => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;
