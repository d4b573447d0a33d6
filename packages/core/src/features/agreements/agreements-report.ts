import { TeamStateError, unknownId } from '../../kernel/errors.js';
import { parseDuration } from '../../kernel/model/duration.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, nullable, text } from '../../kernel/store/row-decoder.js';
import { percentile } from '../../services/approvals/index.js';
import { parseWindowBound } from '../../services/metrics/index.js';
import { mulberry32, resampledMedian } from '../../services/statistics/index.js';
import type { Agreement } from './nudges.js';

/** The query of `ts.agreements.report()`. */
export interface AgreementReportQuery {
  /** Only this team's signals and nudges. */
  team?: string;
  /** ISO timestamps, `[from, to)`. */
  from: string;
  to: string;
  /** Resolved signals needed on each side before comparing (default 10, at least 2). */
  minSample?: number;
  /** Bootstrap resamples (default 2,000) and seed (default 1): the same data and seed give the same interval. */
  resamples?: number;
  seed?: number;
}

/** Median time to resolve on one side of an agreement's start. */
export interface ResolveSide {
  /** Signals resolved in the window that opened on this side of the start. */
  n: number;
  /** Median hours from open to resolved; `null` without any. */
  medianHours: number | null;
}

/** One agreement in `ts.agreements.report()`. */
export interface AgreementReport {
  id: string;
  signal: string;
  teams?: string[];
  /** When teamstate first ran it (the first nudges pass that saw it); `null` before. */
  startedAt: string | null;
  /** Signals that stayed open longer than `after`, breaching in the window. */
  breaches: number;
  /** Nudges proposed in the window, in all and per stage. */
  nudges: { total: number; nudge: number; escalate: number };
  /** Of the signals first nudged in the window: how many were acknowledged or resolved within 24 h of it. */
  actedOn: { within24h: number; of: number; share: number | null };
  /** Time to resolve before and after the agreement started, and the difference (after − before) of the medians. */
  timeToResolve: {
    before: ResolveSide;
    after: ResolveSide;
    differenceHours: number | null;
    /** Bootstrap 95% interval of the difference; `null` with "not enough data". */
    interval: [number, number] | null;
    verdict: string;
  };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const count = columns({ n: integer });
const stageCount = columns({ stage: text, n: integer });
const firstNudge = columns({
  first: integer,
  acked_at: nullable(integer),
  resolved_at: nullable(integer),
  first_seen_at: nullable(integer),
});
const resolvedRow = columns({ first_seen_at: integer, resolved_at: integer });

/** Breaches, nudges, share acted on within 24 h and time to resolve before and after, per agreement. */
export async function agreementsReport(
  deps: { store: Store; workspace: string; agreements: readonly Agreement[] },
  query: AgreementReportQuery,
): Promise<{ from: string; to: string; team?: string; agreements: AgreementReport[] }> {
  const { store, workspace } = deps;
  if (typeof query !== 'object' || query === null) throw new TeamStateError('invalid_argument', 'query: expected { team?, from, to }');
  const from = bound('from', query.from);
  const to = bound('to', query.to);
  if (to <= from) throw new TeamStateError('invalid_argument', `to: must be after from (${query.from}), got ${query.to}`);
  const minSample = whole('minSample', query.minSample, 10, 2);
  const resamples = whole('resamples', query.resamples, 2_000, 100);
  const seed = whole('seed', query.seed, 1, 0);
  if (query.team !== undefined) {
    const { rows } = await store.execute('SELECT id FROM teams WHERE workspace = ? ORDER BY id', [workspace]);
    const teams = rows.map((r) => String(r.id));
    if (!teams.includes(query.team)) throw unknownId('team', query.team, teams);
  }
  const reports: AgreementReport[] = [];
  for (const agreement of deps.agreements) {
    if (query.team !== undefined && agreement.teams && !agreement.teams.includes(query.team)) continue;
    const after = parseDuration(agreement.after)!;
    // The signals the agreement covers: its kind, its teams, the queried team.
    const teams = query.team !== undefined ? [query.team] : agreement.teams;
    const teamSql = teams ? ' AND team_id IN (SELECT value FROM json_each(?))' : '';
    const teamArgs = teams ? [JSON.stringify(teams)] : [];
    const started = (
      await store.execute('SELECT started_at AS n FROM agreement_starts WHERE workspace = ? AND agreement_id = ?', [
        workspace,
        agreement.id,
      ])
    ).rows[0]?.n;
    const startedAt = started === undefined || started === null ? null : Number(started);
    const breaches = count.all(
      (
        await store.execute(
          `SELECT count(*) AS n FROM signals WHERE workspace = ? AND kind = ? AND first_seen_at + ? >= ? AND first_seen_at + ? < ?
             AND (resolved_at IS NULL OR resolved_at > first_seen_at + ?)${teamSql}`,
          [workspace, agreement.signal, after, from, after, to, after, ...teamArgs],
        )
      ).rows,
    )[0]!.n;
    const nudgeTeam = query.team !== undefined ? ' AND team_id = ?' : '';
    const nudgeTeamArgs = query.team !== undefined ? [query.team] : [];
    const stages = stageCount.all(
      (
        await store.execute(
          `SELECT stage, count(*) AS n FROM agreement_nudges WHERE workspace = ? AND agreement_id = ? AND sent_at >= ? AND sent_at < ?${nudgeTeam} GROUP BY stage`,
          [workspace, agreement.id, from, to, ...nudgeTeamArgs],
        )
      ).rows,
    );
    const nudges = { total: 0, nudge: 0, escalate: 0 };
    for (const { stage, n } of stages) {
      nudges.total += n;
      if (stage === 'nudge' || stage === 'escalate') nudges[stage] += n;
    }
    // Each signal nudged (first in the window) with its acknowledgement and resolution, when still the same opening.
    const nudged = firstNudge.all(
      (
        await store.execute(
          `SELECT f.first, s.acked_at, s.resolved_at, s.first_seen_at FROM (
             SELECT fingerprint, opened_at, min(sent_at) AS first FROM agreement_nudges WHERE workspace = ? AND agreement_id = ?${nudgeTeam}
             GROUP BY fingerprint, opened_at) f
           LEFT JOIN signals s ON s.workspace = ? AND s.fingerprint = f.fingerprint AND s.first_seen_at = f.opened_at
           WHERE f.first >= ? AND f.first < ?`,
          [workspace, agreement.id, ...nudgeTeamArgs, workspace, from, to],
        )
      ).rows,
    );
    const within24h = nudged.filter(
      (n) => (n.acked_at !== null && n.acked_at <= n.first + DAY) || (n.resolved_at !== null && n.resolved_at <= n.first + DAY),
    ).length;
    // Time to resolve: signals resolved in the window, split by when they opened (before or after the start).
    const resolved = resolvedRow.all(
      (
        await store.execute(
          `SELECT first_seen_at, resolved_at FROM signals WHERE workspace = ? AND kind = ? AND status = 'resolved' AND resolved_at >= ? AND resolved_at < ?${teamSql}`,
          [workspace, agreement.signal, from, to, ...teamArgs],
        )
      ).rows,
    );
    const hours = (side: 'before' | 'after') =>
      resolved
        .filter((r) => startedAt !== null && (side === 'before' ? r.first_seen_at < startedAt : r.first_seen_at >= startedAt))
        .map((r) => (r.resolved_at - r.first_seen_at) / HOUR)
        .sort((a, b) => a - b);
    const before =
      startedAt === null ? resolved.map((r) => (r.resolved_at - r.first_seen_at) / HOUR).sort((a, b) => a - b) : hours('before');
    const afterSide = hours('after');
    reports.push({
      id: agreement.id,
      signal: agreement.signal,
      ...(agreement.teams ? { teams: [...agreement.teams] } : {}),
      startedAt: startedAt === null ? null : formatTimestamp(startedAt),
      breaches,
      nudges,
      actedOn: { within24h, of: nudged.length, share: nudged.length === 0 ? null : within24h / nudged.length },
      timeToResolve: compare(before, afterSide, { minSample, resamples, seed, started: startedAt !== null }),
    });
  }
  return {
    from: formatTimestamp(from),
    to: formatTimestamp(to),
    ...(query.team !== undefined ? { team: query.team } : {}),
    agreements: reports,
  };
}

/** Medians before and after, and their difference with a seeded bootstrap 95% interval (as the AI impact's). */
function compare(
  before: readonly number[],
  after: readonly number[],
  options: { minSample: number; resamples: number; seed: number; started: boolean },
): AgreementReport['timeToResolve'] {
  const side = (sorted: readonly number[]): ResolveSide => ({ n: sorted.length, medianHours: round(percentile(sorted, 0.5)) });
  const b = side(before);
  const a = side(after);
  const difference = a.medianHours === null || b.medianHours === null ? null : round(percentile(after, 0.5)! - percentile(before, 0.5)!);
  if (!options.started || before.length < options.minSample || after.length < options.minSample || difference === null)
    return {
      before: b,
      after: a,
      differenceHours: difference,
      interval: null,
      verdict: options.started
        ? `not enough data: ${before.length} signals resolved before and ${after.length} after the agreement started; at least ${options.minSample} of each are needed`
        : 'not enough data: the agreement has not started (no nudges pass has run it yet)',
    };
  const random = mulberry32(options.seed);
  const [countsA, countsB] = [new Uint32Array(after.length), new Uint32Array(before.length)];
  const differences: number[] = [];
  for (let i = 0; i < options.resamples; i++)
    differences.push(resampledMedian(after, countsA, random) - resampledMedian(before, countsB, random));
  differences.sort((x, y) => x - y);
  const interval: [number, number] = [round(percentile(differences, 0.025)!)!, round(percentile(differences, 0.975)!)!];
  const verdict =
    interval[1] < 0
      ? `faster since the agreement: median time to resolve ${difference} h (95% interval ${interval[0]} to ${interval[1]})`
      : interval[0] > 0
        ? `slower since the agreement: median time to resolve +${difference} h (95% interval ${interval[0]} to ${interval[1]})`
        : `no clear difference: median time to resolve ${difference > 0 ? '+' : ''}${difference} h (95% interval ${interval[0]} to ${interval[1]})`;
  return { before: b, after: a, differenceHours: difference, interval, verdict };
}

function round(value: number | null): number | null {
  return value === null ? null : Math.round(value * 100) / 100;
}

function bound(name: 'from' | 'to', value: unknown): number {
  const ms = typeof value === 'string' ? parseWindowBound(value) : undefined;
  if (ms === undefined)
    throw new TeamStateError(
      'invalid_argument',
      `${name}: expected an ISO timestamp such as 2026-03-01T00:00:00Z, got ${JSON.stringify(value)}`,
    );
  return ms;
}

function whole(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min)
    throw new TeamStateError('invalid_argument', `${name}: expected a whole number of at least ${min}, got ${value}`);
  return value;
}
