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
  const where: string[] = [];
  const args: InValue[] = [match, workspace];
  if (options.person !== undefined) {
    where.push('r.person_id = ?');
    args.push(options.person);
  }
  if (options.team !== undefined) {
    where.push('r.person_id IN (SELECT person_id FROM memberships WHERE workspace = ?2 AND team_id = ?)');
    args.push(options.team);
  }
  if (options.from !== undefined) {
    where.push('r.day >= ?');
    args.push(dayArgument('from', options.from, '2026-03-02'));
  }
  if (options.to !== undefined) {
    where.push('r.day <= ?');
    args.push(dayArgument('to', options.to, '2026-03-06'));
  }
  // The FTS index holds every workspace's reports (rowid = reports.doc_id); the join keeps this workspace's.
  const { rows } = await store.execute(
    `SELECT ${t.reports.select('r')},
            snippet(reports_fts, -1, '${SNIPPET_MARK}', '${SNIPPET_MARK}', '…', 24) AS "snippet",
            bm25(reports_fts) AS "rank"
     FROM reports_fts JOIN reports r ON r.doc_id = reports_fts.rowid
     WHERE reports_fts MATCH ?1 AND r.workspace = ?2${where.map((c) => ` AND ${c}`).join('')}
     ORDER BY "rank", r.day DESC, r.id LIMIT ?`,
    [...args, limit],
  );
  return (rows as unknown as (ReportRow & { snippet: string; rank: number })[]).map((row) => ({
    report: reportFromRow(row),
    snippet: row.snippet,
    score: -row.rank,
  }));
}
