import { TeamStateError } from '../../kernel/errors.js';
import type { Report } from '../../kernel/model/report.js';
import type { InValue } from '../../kernel/store/driver.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, real, scalar, text } from '../../kernel/store/row-decoder.js';
import { checkKnown, dayArgument, limitArgument } from '../../records/arguments.js';
import { type Reading, readableCondition } from '../../records/identity/viewer.js';
import { reportFromRow } from './report-rows.js';
import { reportSpecs as t } from './table-specs.js';

/** Filters of `ts.reports.search()`. Days are `YYYY-MM-DD`, both ends included. */
export interface ReportSearchOptions {
  team?: string;
  person?: string;
  from?: string;
  to?: string;
  /** 1–100, default 20. */
  limit?: number;
}

/** One report found by `ts.reports.search()`. */
export interface ReportSearchHit {
  report: Report;
  /** A short excerpt of the best-matching field (text or blockers), each matched word wrapped in `**`. */
  snippet: string;
  /** Relevance (BM25, higher is better); comparable within one search only. */
  score: number;
}

/** The marker around a matched word in a {@link ReportSearchHit.snippet}. */
export const SNIPPET_MARK = '**';
const MAX_QUERY = 1_000;
/** The FTS5 `bm25()` score of a report found (lower is better), selected next to the report's columns. */
const hitRank = columns({ rank: real });
const hitSnippet = columns({ doc: integer, snippet: text });

/** How many reports match, counting no further than `atMost`. */
async function matchCount(store: Store, match: string, atMost: number): Promise<number> {
  const { rows } = await store.execute('SELECT count(*) AS n FROM (SELECT rowid FROM reports_fts WHERE reports_fts MATCH ?1 LIMIT ?2)', [
    match,
    atMost,
  ]);
  return scalar(rows, 'n', integer);
}

/** How many index-ranked matches are looked at per result wanted before ranking again with the filters. */
const CANDIDATES_PER_RESULT = 4;

/**
 * The FTS5 query for the user's words: each word becomes a quoted string (inner `"` doubled), so nothing in a
 * query (quotes, `*`, `^`, `:`, `-`, parentheses, `AND`/`OR`/`NOT`/`NEAR`) is syntax; the words are ANDed, and the
 * tokenizer splits a word such as `foo-bar` into the phrase `foo bar`.
 */
export function ftsQuery(query: string): string {
  return query
    .split(/\s+/)
    .filter((word) => word !== '')
    .map((word) => `"${word.replaceAll('"', '""')}"`)
    .join(' ');
}

/** Runs a full-text search over a workspace's reports: only those `reading`'s viewer may read (all without one). */
export async function searchReports(
  store: Store,
  workspace: string,
  query: string,
  options: ReportSearchOptions = {},
  reading?: Reading,
): Promise<ReportSearchHit[]> {
  if (typeof query !== 'string') throw new TeamStateError('invalid_argument', 'query: expected the words to search for as a string');
  if (query.length > MAX_QUERY)
    throw new TeamStateError('invalid_argument', `query: at most ${MAX_QUERY.toLocaleString('en-US')} characters (search for fewer words)`);
  const match = ftsQuery(query);
  if (match === '') throw new TeamStateError('invalid_argument', 'query: give at least one word to search for');
  if (typeof options !== 'object' || options === null)
    throw new TeamStateError('invalid_argument', 'options: expected { team?, person?, from?, to?, limit? }');
  const limit = limitArgument(options.limit, 20, 100);
  const execute = (sql: string, args: InValue[]) => store.execute(sql, args);
  await checkKnown(execute, workspace, 'person', options.person);
  await checkKnown(execute, workspace, 'team', options.team);
  const candidates = limit * CANDIDATES_PER_RESULT;
  const where: string[] = [];
  const filterArgs: InValue[] = [];
  const bind = (value: InValue) => `?${filterArgs.push(value) + 2}`;
  if (options.person !== undefined) where.push(`r.person_id = ${bind(options.person)}`);
  if (options.team !== undefined)
    where.push(`r.person_id IN (SELECT person_id FROM memberships WHERE workspace = ?2 AND team_id = ${bind(options.team)})`);
  if (options.from !== undefined) where.push(`r.day >= ${bind(dayArgument('from', options.from, '2026-03-02'))}`);
  if (options.to !== undefined) where.push(`r.day <= ${bind(dayArgument('to', options.to, '2026-03-06'))}`);
  const readable = reading && readableCondition(await reading.check('reports', options), 'r.person_id');
  if (readable) where.push(readable.sql.replace('?', bind(readable.arg)));
  // `+r.workspace`: reports are looked up by doc_id (the FTS rowid), never through a workspace index.
  const filters = ['+r.workspace = ?2', ...where].join(' AND ');
  const select = `SELECT ${t.reports.select('r')}, hits.rank AS "rank"`;
  const order = 'ORDER BY hits.rank, r.day DESC, r.id';
  const ranked = (hits: string, hitsArgs: InValue[]) =>
    store.execute(
      `WITH hits AS (${hits}) ${select} FROM hits JOIN reports r ON r.doc_id = hits.doc WHERE ${filters} ${order} LIMIT ?${3 + filterArgs.length}`,
      [match, workspace, ...filterArgs, ...hitsArgs],
    );
  // The FTS index holds every workspace's reports (rowid = reports.doc_id). Without filters, the best matches are
  // ranked on the index alone (as fast as a bare FTS5 query) and then looked up; when filters are given, or too few
  // of those candidates are this workspace's, every match is ranked with the filters applied.
  const limitArg = 3 + filterArgs.length;
  let page: readonly object[] | undefined;
  if (where.length === 0) {
    const { rows } = await ranked(
      `SELECT rowid AS doc, bm25(reports_fts) AS rank FROM reports_fts WHERE reports_fts MATCH ?1 ORDER BY rank LIMIT ?${limitArg + 1}`,
      [limit, candidates],
    );
    if (rows.length === limit || (await matchCount(store, match, candidates + 1)) <= candidates) page = rows;
  }
  page ??= (
    await ranked(
      `SELECT r.doc_id AS doc, bm25(reports_fts) AS rank FROM reports_fts JOIN reports r ON r.doc_id = reports_fts.rowid
       WHERE reports_fts MATCH ?1 AND ${filters} ORDER BY rank, r.day DESC, r.id LIMIT ?${limitArg}`,
      [limit],
    )
  ).rows;
  const found = page.map((row) => ({ report: t.reports.rows.one(row), rank: hitRank.one(row).rank }));
  // Snippets for the page only: one for every match of a common word would cost more than the search.
  const snippets = new Map<number, string>();
  if (found.length > 0) {
    const { rows } = await store.execute(
      `SELECT rowid AS doc, snippet(reports_fts, -1, '${SNIPPET_MARK}', '${SNIPPET_MARK}', '…', 24) AS "snippet"
       FROM reports_fts WHERE reports_fts MATCH ?1 AND rowid IN (${found.map(() => '?').join(', ')})`,
      [match, ...found.map(({ report }) => report.docId)],
    );
    for (const row of hitSnippet.all(rows)) snippets.set(row.doc, row.snippet);
  }
  return found.map(({ report, rank }) => ({ report: reportFromRow(report), snippet: snippets.get(report.docId) ?? '', score: -rank }));
}
