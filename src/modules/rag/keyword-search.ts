import { sql, type SQL } from "drizzle-orm";
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
export const COMMON_TERM_CHUNKS = 200;

const column = (prefix: string, i: number): SQL => sql.raw(`${prefix}${i}`);

/**
 * The owner's chunks best matching the question's distinctive terms: a term is found anywhere
 * in a chunk, case-insensitively, as ILIKE '%term%' would, and weighs log(1 + N / df), N the
 * owner's chunks (as their documents record them: one row per document to read, not one per
 * chunk) and df those holding the term, so a rare term (a model code, a name) counts
 * more than a common one.
 *
 * Each term's chunks come from the key index (drizzle/0008_keyword_trigrams.sql: a chunk holding
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
  const found = terms.map((t, i) =>
    cased[i]
      ? sql`strpos(l.lc, lower(${t})) > 0`
      : sql`strpos(c.content, ${t}) > 0`,
  );
  // One index lookup per term, stopping at `cap` confirmed chunks.
  const perTerm = sql.join(
    terms.map(
      (t, i) =>
        sql`(select ${i}::int as i, c.id from document_chunks c
              where c.owner_id + 0 = ${ownerId} and rag_keys(c.owner_id, c.content) @> rag_term_keys(${ownerId}::bigint, ${t})
                and strpos(${cased[i] ? sql`lower(c.content), lower(${t})` : sql`c.content, ${t}`}) > 0
              limit ${cap})`,
    ),
    sql` union all `,
  );
  const flags = sql.join(
    found.map((f, i) => sql`${f} as ${column("t", i)}`),
    sql`, `,
  );
  const dfs = sql.join(
    terms.map(
      (_, i) => sql`count(*) filter (where i = ${i})::float8 as ${column("d", i)}`,
    ),
    sql`, `,
  );
  const weight = sql.join(
    terms.map(
      (_, i) =>
        sql`case when m.${column("t", i)} then ln(1 + total.n / nullif(df.${column("d", i)}, 0)) else 0 end`,
    ),
    sql` + `,
  );
  const matched = sql.join(
    terms.map((_, i) => sql`m.${column("t", i)}::int`),
    sql` + `,
  );
  const rare = sql.join(
    terms.map((_, i) => sql`(h.i = ${i} and df.${column("d", i)} < ${cap})`),
    sql` or `,
  );
  const anyRare = sql.join(
    terms.map((_, i) => sql`df.${column("d", i)} < ${cap}`),
    sql` or `,
  );
  return db.transaction(async (tx) => {
    await tx.execute(sql.raw("set local enable_seqscan = off"));
    return queryRows<KeywordRow>(
      tx,
      sql`with h as materialized (${perTerm}),
            df as materialized (select ${dfs} from h),
            cand as materialized (
              select distinct h.id from h cross join df where ${rare} or not (${anyRare})),
            m as materialized (
              select c.id, c.document_id, ${flags}
                from cand
                join document_chunks c on c.id = cand.id
               ${lowered ? sql`cross join lateral (select lower(c.content) as lc offset 0) l` : sql``}),
            total as materialized (select greatest(coalesce(sum(chunk_count), 0), 1)::float8 as n from documents where owner_id = ${ownerId})
        select top.id as chunk_id, top.document_id, d.source, c.content, top.weight, top.score
          from (select m.id, m.document_id,
                       ${weight} as weight,
                       (${matched})::float8 / ${terms.length}::float8 as score
                  from m
                 cross join df
                 cross join total
                 where ${matched} > 0
                 order by weight desc, m.id
                 limit ${limit}) top
          join document_chunks c on c.id = top.id
          join documents d on d.id = top.document_id
         order by top.weight desc, top.id`,
    );
  });
}
