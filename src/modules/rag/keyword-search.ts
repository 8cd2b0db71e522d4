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

const column = (prefix: string, i: number): SQL => sql.raw(`${prefix}${i}`);

/**
 * The owner's chunks best matching the question's distinctive terms: a term is found anywhere
 * in a chunk, case-insensitively, as ILIKE '%term%' would, and weighs log(1 + N / df), N the
 * owner's chunks (as their documents record them: one row per document to read, not one per
 * chunk) and df those holding the term, so a rare term (a model code, a name) counts
 * more than a common one.
 *
 * The candidates come from the bigram index (drizzle/0006_keyword_bigrams.sql): a chunk holding
 * every adjacent-character pair of some term, under the owner's tag; `strpos` then confirms the
 * term itself, so the matches are exactly those of a scan, and the cost follows how many chunks
 * hold a term rather than how many the owner has. Each term's df is counted over the confirmed
 * candidates, which hold every chunk containing it. The owner test is written `owner_id + 0`
 * (the keys carry the owner already; it is a safeguard) so the (owner_id) index cannot serve
 * it: without statistics the planner would take that index and compute every chunk's bigrams
 * as a filter. Every CTE is materialised: without fresh
 * statistics (PGlite never runs autovacuum) the planner takes `m` for one row and would re-run
 * the counts per candidate.
 */
export async function keywordHits(
  db: Db,
  ownerId: number,
  question: string,
  limit: number,
): Promise<KeywordRow[]> {
  const terms = keywordTerms(question);
  if (terms.length === 0) return [];
  // A term without case (Hangul, digits) is searched in the text as stored; only when some
  // term has letters with case is a candidate lower-cased.
  const cased = terms.map((t) => t.toUpperCase() !== t.toLowerCase());
  const lowered = cased.some(Boolean);
  const found = terms.map((t, i) =>
    cased[i]
      ? sql`strpos(l.lc, lower(${t})) > 0`
      : sql`strpos(c.content, ${t}) > 0`,
  );
  const indexed = sql.join(
    terms.map(
      (t) =>
        sql`rag_grams(c.owner_id, c.content) @> rag_term_grams(${ownerId}::bigint, ${t})`,
    ),
    sql` or `,
  );
  const anyTerm = sql.join(found, sql` or `);
  const flags = sql.join(
    found.map((f, i) => sql`${f} as ${column("t", i)}`),
    sql`, `,
  );
  const dfs = sql.join(
    terms.map(
      (_, i) =>
        sql`count(*) filter (where ${column("t", i)})::float8 as ${column("d", i)}`,
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
  // Without statistics the planner may also pick a sequential scan that computes every chunk's
  // bigrams as a filter (milliseconds a chunk); the bigram index is the only way it may take.
  return db.transaction(async (tx) => {
    await tx.execute(sql.raw("set local enable_seqscan = off"));
    return queryRows<KeywordRow>(
      tx,
      sql`with m as materialized (
              select c.id, c.document_id, c.content, ${flags}
                from document_chunks c
               ${lowered ? sql`cross join lateral (select lower(c.content) as lc offset 0) l` : sql``}
               where (${indexed}) and c.owner_id + 0 = ${ownerId} and (${anyTerm})),
            df as materialized (select ${dfs} from m),
            total as materialized (select greatest(coalesce(sum(chunk_count), 0), 1)::float8 as n from documents where owner_id = ${ownerId})
        select top.id as chunk_id, top.document_id, d.source, top.content, top.weight, top.score
          from (select m.id, m.document_id, m.content,
                       ${weight} as weight,
                       (${matched})::float8 / ${terms.length}::float8 as score
                  from m
                 cross join df
                 cross join total
                 order by weight desc, m.id
                 limit ${limit}) top
          join documents d on d.id = top.document_id
         order by top.weight desc, top.id`,
    );
  });
}
