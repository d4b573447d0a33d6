import type { InValue } from '@libsql/client';
import { TeamStateError } from '../errors.js';
import type { Report } from '../model/report.js';
import type { Store } from '../store/open-store.js';
import { reportFromRow } from '../store/records.js';
import type { ReportRow } from '../store/rows.js';
import { tableSpecs as t } from '../store/table-specs.js';
import { checkKnown, dayArgument, limitArgument } from './report-arguments.js';

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

/** Runs a full-text search over a workspace's reports. */
export async function searchReports(
  store: Store,
  workspace: string,
  query: string,
  options: ReportSearchOptions = {},
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
  // Every parameter is numbered: ?1 the FTS query, ?2 the workspace, ?3 the page size, ?4 the candidates, then the filters.
  const candidates = limit * CANDIDATES_PER_RESULT;
  const args: InValue[] = [match, workspace, limit, candidates];
  const where: string[] = [];
  const bind = (value: InValue) => `?${args.push(value)}`;
  if (options.person !== undefined) where.push(`r.person_id = ${bind(options.person)}`);
  if (options.team !== undefined)
    where.push(`r.person_id IN (SELECT person_id FROM memberships WHERE workspace = ?2 AND team_id = ${bind(options.team)})`);
  if (options.from !== undefined) where.push(`r.day >= ${bind(dayArgument('from', options.from, '2026-03-02'))}`);
  if (options.to !== undefined) where.push(`r.day <= ${bind(dayArgument('to', options.to, '2026-03-06'))}`);
  // The FTS index holds every workspace's reports (rowid = reports.doc_id); the join keeps this workspace's and
  // applies the filters. Snippets are made for the page only (one for every match of a common word would cost
  // more than the search). First, the best matches are ranked on the index alone (as fast as a bare FTS5
  // query); only when too few of them pass the workspace and the filters is the ranking redone with them.
  const filters = ['r.workspace = ?2', ...where].join(' AND ');
  const page = (hits: string) =>
    store.execute(
      `WITH hits AS (${hits})
       SELECT ${t.reports.select('r')},
              snippet(reports_fts, -1, '${SNIPPET_MARK}', '${SNIPPET_MARK}', '…', 24) AS "snippet", hits.rank AS "rank"
       FROM hits JOIN reports_fts ON reports_fts.rowid = hits.doc JOIN reports r ON r.doc_id = hits.doc
       WHERE reports_fts MATCH ?1 AND ${filters}
       ORDER BY hits.rank, r.day DESC, r.id LIMIT ?3`,
      args,
    );
  let { rows } = await page('SELECT rowid AS doc, rank FROM reports_fts WHERE reports_fts MATCH ?1 ORDER BY rank LIMIT ?4');
  if (rows.length < limit) {
    const counted = await store.execute('SELECT count(*) AS n FROM (SELECT rowid FROM reports_fts WHERE reports_fts MATCH ?1 LIMIT ?2)', [
      match,
      candidates + 1,
    ]);
    // When every match was a candidate, the page is complete; otherwise rank all matches that pass the filters.
    if (Number(counted.rows[0]?.n) > candidates)
      ({ rows } = await page(
        `SELECT reports_fts.rowid AS doc, bm25(reports_fts) AS rank FROM reports_fts JOIN reports r ON r.doc_id = reports_fts.rowid
         WHERE reports_fts MATCH ?1 AND ${filters} ORDER BY rank, r.day DESC, r.id LIMIT ?3`,
      ));
  }
  return (rows as unknown as (ReportRow & { snippet: string; rank: number })[]).map((row) => ({
    report: reportFromRow(row),
    snippet: row.snippet,
    score: -row.rank,
  }));
}
