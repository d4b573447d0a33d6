import { randomBytes } from 'node:crypto';
import { TeamStateError } from '../../kernel/errors.js';
import { addDays, isDay, localDay } from '../../kernel/model/local-day.js';
import { REPORT_TEXT_MAX, type Report, type ReportSource, reportSourceSchema } from '../../kernel/model/report.js';
import { closest } from '../../kernel/model/suggest.js';
import type { InValue, Transaction } from '../../kernel/store/driver.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, nullable, text } from '../../kernel/store/row-decoder.js';
import { unstorableText } from '../../kernel/text/storable-text.js';
import { checkKnown, dayArgument, invalid, limitArgument, unknownId } from '../../records/arguments.js';
import { type Reading, readableCondition } from '../../records/identity/viewer.js';
import type { Page } from '../../records/readers.js';
import type { PolicyDocument } from '../../services/approvals/index.js';
import { appendAuditEvent } from '../../services/audit/index.js';
import { type ReportDraft, reportDraft } from './report-draft.js';
import { createReportReminders, type ReportReminders } from './report-reminders.js';
import { reportFromRow } from './report-rows.js';
import { type ReportSearchHit, type ReportSearchOptions, searchReports } from './search-reports.js';
import { reportSpecs as t } from './table-specs.js';

/** What `ts.reports.submit()` takes. */
export interface ReportSubmission {
  person: string;
  /** The person's local day, `YYYY-MM-DD`; default: today where they are (their `timeZone`, else UTC). */
  day?: string;
  /** Markdown, at most 20,000 characters. */
  text: string;
  blockers?: string;
  /** Who wrote it through what: `mcp`, `cli`, `slack`, `api` (`import` is what bundles get). */
  source: ReportSource;
  /**
   * Who actually typed it, when that is not established by a credential (the CLI's OS user with `--as`): the
   * submission is then recorded on the audit ledger as `report.submitted`.
   */
  submittedBy?: string;
}

/** Filters of `ts.reports.list()`. Days are `YYYY-MM-DD`, both ends included. */
export interface ReportQuery {
  person?: string;
  team?: string;
  from?: string;
  to?: string;
  cursor?: string;
  /** 1–500, default 50. */
  limit?: number;
}

/** `ts.reports` (docs/daily-reports.md). */
export interface Reports {
  /**
   * Writes a person's report for a day (default: their local today). A day submitted again gets the new text and
   * keeps the earlier one as a revision. The day may not be in the future nor more than `reports.maxDaysBack`
   * (default 30) days back. The report is searchable the moment this returns.
   * @example await ts.reports.submit({ person: 'ana', text: 'Shipped the refund flow', blockers: 'Waiting on QA', source: 'api' })
   */
  submit(input: ReportSubmission): Promise<Report>;
  /** Reports, newest day first, one page at a time (pass `nextCursor` back as `cursor`). */
  list(query?: ReportQuery): Promise<Page<Report>>;
  /**
   * Full-text search over text and blockers, best match first (BM25), each hit with a snippet in which the matched
   * words are wrapped in `**`. The query is words, never search syntax: every word must occur (stemmed, so
   * `deploy` finds `deploying`); quotes, `*`, `OR`, `NEAR`, `-` and `:` are plain text.
   * @example const [best] = await ts.reports.search('vendor sandbox', { team: 'payments' })
   */
  search(query: string, options?: ReportSearchOptions): Promise<ReportSearchHit[]>;
  /** Editable markdown of what the person did that (local) day: PRs opened, merged and reviewed, issues moved. */
  draft(person: string, day: string): Promise<ReportDraft>;
  /**
   * Daily report reminders (the policy's `reminders.reports`): who is due one now, and the claim that makes each
   * person and day reminded at most once. `teamstate serve` sends them as Slack DMs.
   */
  readonly reminders: ReportReminders;
}

/** The `reports` option of `createTeamState()`. */
export interface ReportOptions {
  /** How many days back `submit` accepts a day (default 30); import and restore have no limit. */
  maxDaysBack?: number;
}

const SOURCES = reportSourceSchema.options;
const SUBMISSION_FIELDS = ['person', 'day', 'text', 'blockers', 'source', 'submittedBy'];

/** Resolves and checks the `reports` option. */
export function resolveReportOptions(options: ReportOptions | undefined): { maxDaysBack: number } {
  const maxDaysBack = options?.maxDaysBack ?? 30;
  if (!Number.isInteger(maxDaysBack) || maxDaysBack < 0 || maxDaysBack > 36_500)
    throw new TeamStateError(
      'invalid_config',
      `reports.maxDaysBack: expected a whole number of days from 0 to 36500, got ${JSON.stringify(maxDaysBack)}`,
    );
  return { maxDaysBack };
}

function textArgument(argument: 'text' | 'blockers', value: unknown): string {
  if (typeof value !== 'string') throw invalid(`${argument}: expected a markdown string, got ${value === null ? 'null' : typeof value}`);
  if (value.length > REPORT_TEXT_MAX)
    throw invalid(
      `${argument}: ${value.length.toLocaleString('en-US')} characters, at most ${REPORT_TEXT_MAX.toLocaleString('en-US')} allowed (shorten it, or link to a longer document)`,
    );
  // A NUL would end the text early when read back (the report stored cut short): refused by name, as proposals are.
  const unstorable = unstorableText(value);
  if (unstorable) throw invalid(`${argument}: ${unstorable}`);
  return value;
}

function checkSubmission(input: unknown): ReportSubmission {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw invalid('report: expected { person, text, source, day?, blockers? }');
  const fields = input as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (SUBMISSION_FIELDS.includes(key)) continue;
    const suggestion = closest(key, SUBMISSION_FIELDS);
    throw invalid(`${key}: unknown field (${suggestion ? `did you mean "${suggestion}"?` : `expected ${SUBMISSION_FIELDS.join(', ')}`})`);
  }
  if (typeof fields.person !== 'string' || fields.person === '') throw invalid('person: required (the id of the person who reports)');
  if (fields.source === undefined) throw invalid(`source: required (one of ${SOURCES.join(', ')})`);
  if (!SOURCES.includes(fields.source as ReportSource))
    throw invalid(`source: unknown source ${JSON.stringify(fields.source)} (expected one of ${SOURCES.join(', ')})`);
  const text = textArgument('text', fields.text);
  if (text.trim() === '') throw invalid('text: must not be empty (write what you did; ts.reports.draft(person, day) gives a start)');
  const blockers = fields.blockers === undefined || fields.blockers === null ? undefined : textArgument('blockers', fields.blockers);
  if (fields.submittedBy !== undefined && (typeof fields.submittedBy !== 'string' || fields.submittedBy.trim() === ''))
    throw invalid('submittedBy: expected the name of who typed the report (e.g. the OS user), or leave it out');
  return {
    person: fields.person,
    text,
    source: fields.source as ReportSource,
    ...(fields.submittedBy === undefined ? {} : { submittedBy: fields.submittedBy as string }),
    ...(fields.day === undefined ? {} : { day: fields.day as string }),
    ...(blockers === undefined || blockers.trim() === '' ? {} : { blockers }),
  };
}

const encodeCursor = (day: string, id: string) => Buffer.from(JSON.stringify([day, id])).toString('base64url');
function decodeCursor(cursor: unknown): [string, string] {
  if (typeof cursor === 'string') {
    try {
      const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      if (Array.isArray(parts) && isDay(parts[0]) && typeof parts[1] === 'string') return [parts[0], parts[1]];
    } catch {}
  }
  throw invalid('cursor: not a cursor returned by a previous page (omit it to start from the first page)');
}

const personZone = columns({ time_zone: nullable(text) });
const personId = columns({ id: text });

/** Builds `ts.reports`; `clock` is the write path's clock (today, and the times stamped on a submission). */
export function createReportsApi(deps: {
  store: Store;
  workspace: string;
  clock: () => Date;
  maxDaysBack: number;
  productionEnvironments: readonly string[];
  /** The policy document (its `reminders.reports`) and the injected clock reminders are timed by. */
  reminders: { policy: PolicyDocument; clock: () => Date };
  /** Who reads: lists and searches return only the reports the viewer may read. */
  reading: Reading;
}): Reports {
  const { store, workspace, clock, maxDaysBack } = deps;
  const execute = (sql: string, args: InValue[]) => store.execute(sql, args);

  async function submit(raw: ReportSubmission): Promise<Report> {
    const input = checkSubmission(raw);
    if (input.day !== undefined) dayArgument('day', input.day, localDay(clock().getTime()));
    return store.write(async (tx) => {
      const q = async (sql: string, args: InValue[]) => (await tx.execute({ sql, args })).rows;
      const person = personZone.first(await q('SELECT time_zone FROM people WHERE workspace = ? AND id = ?', [workspace, input.person]));
      if (!person) {
        const known = await q('SELECT id FROM people WHERE workspace = ? ORDER BY id', [workspace]);
        throw unknownId(
          'person',
          input.person,
          personId.all(known).map((row) => row.id),
        );
      }
      const timeZone = person.time_zone ?? 'UTC';
      const nowMs = clock().getTime();
      const today = localDay(nowMs, timeZone);
      const day = input.day ?? today;
      if (day > today)
        throw invalid(`day: ${day} is in the future for ${input.person} (today is ${today} in ${timeZone}); give today or an earlier day`);
      const earliest = addDays(today, -maxDaysBack);
      if (day < earliest)
        throw invalid(
          `day: ${day} is more than ${maxDaysBack} days back (the earliest is ${earliest}); older reports come in through ts.import() of a bundle`,
        );
      const written = await writeReport(
        tx,
        workspace,
        { person: input.person, day, text: input.text, blockers: input.blockers, source: input.source },
        nowMs,
      );
      if (input.submittedBy !== undefined)
        await appendAuditEvent(tx, workspace, nowMs, {
          type: 'report.submitted',
          actor: input.person,
          data: { person: input.person, day, source: input.source, report: written.report.id, submittedBy: input.submittedBy },
        });
      return written.report;
    });
  }

  return {
    submit,
    reminders: createReportReminders({ store, workspace, ...deps.reminders }),

    async list(query = {}) {
      if (typeof query !== 'object' || query === null) throw invalid('query: expected { person?, team?, from?, to?, cursor?, limit? }');
      const limit = limitArgument(query.limit, 50);
      await checkKnown(execute, workspace, 'person', query.person);
      await checkKnown(execute, workspace, 'team', query.team);
      const readable = readableCondition(await deps.reading.check('reports', query), 'r.person_id');
      const where: string[] = readable ? [readable.sql] : [];
      const args: InValue[] = [workspace, ...(readable ? [readable.arg] : [])];
      if (query.person !== undefined) {
        where.push('r.person_id = ?');
        args.push(query.person);
      }
      if (query.team !== undefined) {
        where.push('r.person_id IN (SELECT person_id FROM memberships WHERE workspace = ?1 AND team_id = ?)');
        args.push(query.team);
      }
      if (query.from !== undefined) {
        where.push('r.day >= ?');
        args.push(dayArgument('from', query.from, '2026-03-02'));
      }
      if (query.to !== undefined) {
        where.push('r.day <= ?');
        args.push(dayArgument('to', query.to, '2026-03-06'));
      }
      if (query.cursor !== undefined) {
        const [day, id] = decodeCursor(query.cursor);
        where.push('(r.day < ? OR (r.day = ? AND r.id < ?))');
        args.push(day, day, id);
      }
      const found = t.reports.rows.all(
        (
          await store.execute(
            `SELECT ${t.reports.select('r')} FROM reports r WHERE r.workspace = ?1${where.map((c) => ` AND ${c}`).join('')} ORDER BY r.day DESC, r.id DESC LIMIT ?`,
            [...args, limit + 1],
          )
        ).rows,
      );
      const page = found.slice(0, limit);
      const last = page.at(-1);
      return { items: page.map(reportFromRow), nextCursor: found.length > limit && last ? encodeCursor(last.day, last.id) : undefined };
    },

    search: (query, options) => searchReports(store, workspace, query, options, deps.reading),
    draft: (person, day) => reportDraft(deps, person, day),
  };
}

/** What {@link writeReport} stores: a checked report. */
export interface ReportWrite {
  id?: string;
  person: string;
  day: string;
  text: string;
  blockers?: string;
  source: ReportSource;
  createdAt?: number;
  updatedAt?: number;
}

/**
 * Writes a person's report for a day inside the open transaction: a new row, or, when the day has a report with
 * another text or blockers, that text kept as a revision and the row updated (the same text changes nothing).
 * The FTS index follows through the table's triggers, in this transaction. Returns the stored report and how many
 * rows changed.
 */
export async function writeReport(
  tx: Transaction,
  workspace: string,
  report: ReportWrite,
  now: number,
): Promise<{ report: Report; changes: number }> {
  const select = `SELECT ${t.reports.select()} FROM reports WHERE workspace = ? AND person_id = ? AND day = ?`;
  const read = async () => t.reports.rows.first((await tx.execute({ sql: select, args: [workspace, report.person, report.day] })).rows);
  const stored = await read();
  const blockers = report.blockers ?? null;
  const updatedAt = report.updatedAt ?? now;
  if (!stored) {
    // doc_id is the report's row in reports_fts: unique across workspaces, one past the highest (an index lookup).
    await tx.execute({
      sql: `INSERT INTO reports (workspace, id, doc_id, person_id, day, text, blockers, source, created_at, updated_at)
            VALUES (?, ?, (SELECT COALESCE(MAX(doc_id), 0) + 1 FROM reports), ?, ?, ?, ?, ?, ?, ?)`,
      args: [
        workspace,
        report.id ?? `rep_${randomBytes(8).toString('hex')}`,
        report.person,
        report.day,
        report.text,
        blockers,
        report.source,
        report.createdAt ?? now,
        updatedAt,
      ],
    });
    return { report: reportFromRow((await read())!), changes: 1 };
  }
  if (stored.text === report.text && stored.blockers === blockers) return { report: reportFromRow(stored), changes: 0 };
  await tx.execute({
    sql: `INSERT INTO report_revisions (workspace, report_id, seq, text, blockers, source, created_at, replaced_at)
          VALUES (?1, ?2, (SELECT COALESCE(MAX(seq), 0) + 1 FROM report_revisions WHERE workspace = ?1 AND report_id = ?2), ?3, ?4, ?5, ?6, ?7)`,
    args: [workspace, stored.id, stored.text, stored.blockers, stored.source, stored.updatedAt, now],
  });
  await tx.execute({
    sql: 'UPDATE reports SET text = ?, blockers = ?, source = ?, updated_at = ? WHERE workspace = ? AND id = ?',
    args: [report.text, blockers, report.source, updatedAt, workspace, stored.id],
  });
  return { report: reportFromRow((await read())!), changes: 1 };
}
