import { TeamStateError } from '../../kernel/errors.js';
import { parseTimestamp } from '../../kernel/model/timestamp.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, text } from '../../kernel/store/row-decoder.js';

/** Approval metrics of one action type (or of all, with type `*`). */
export interface ApprovalTypeStats {
  type: string;
  /** Approvals proposed in the window. */
  proposed: number;
  /** Executed at once by policy (`auto`). */
  auto: number;
  /** Waiting for a person (`ask` or `require_approval`). */
  humanInTheLoop: number;
  /** Refused by policy (`deny`). */
  denied: number;
  approved: number;
  modified: number;
  declined: number;
  expired: number;
  executed: number;
  failed: number;
  /** (declined + modified) / decisions; `null` without decisions. */
  overrideRate: number | null;
  /** Hours from proposal to a person's decision, linear-interpolated percentiles; `null` without decisions. */
  decisionLatencyHours: { p50: number | null; p90: number | null };
}

/** The result of `ts.approvals.stats()`. */
export interface ApprovalStats {
  from?: string;
  to?: string;
  /** Every action type together. */
  total: ApprovalTypeStats;
  /** One entry per action type with at least one proposal, by type. */
  byType: ApprovalTypeStats[];
}

/** Window of `ts.approvals.stats()`: ISO timestamps, half-open `[from, to)` over proposal time; both optional. */
export interface ApprovalStatsQuery {
  from?: string;
  to?: string;
}

/** Linear interpolation between closest ranks (numpy's default) over ascending `sorted`. */
export function percentile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const position = q * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

function instant(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const ms = parseTimestamp(value);
  if (ms === undefined)
    throw new TeamStateError('invalid_argument', `${name}: invalid ISO timestamp "${value}" (expected e.g. 2026-03-01T00:00:00Z)`);
  return ms;
}

const HOUR_MS = 3_600_000;

const countsRow = columns({
  type: text,
  proposed: integer,
  auto: integer,
  humanInTheLoop: integer,
  denied: integer,
  approved: integer,
  modified: integer,
  declined: integer,
  expired: integer,
  executed: integer,
  failed: integer,
});
const latencyRow = columns({ type: text, ms: integer });

/**
 * Approval metrics over the approvals proposed in `[from, to)`: counts by outcome, auto vs
 * human-in-the-loop, override rate and decision latency p50/p90, per action type and in total.
 * Counting happens in SQL; only the decided approvals' latencies are read to interpolate percentiles.
 *
 * @example const { total } = await ts.approvals.stats({ from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' })
 */
export async function approvalStats(store: Store, workspace: string, query: ApprovalStatsQuery = {}): Promise<ApprovalStats> {
  const window = [workspace, instant('from', query.from, Number.MIN_SAFE_INTEGER), instant('to', query.to, Number.MAX_SAFE_INTEGER)];
  const where = 'workspace = ? AND created_at >= ? AND created_at < ?';
  const counts = await store.execute(
    `SELECT action_type AS type, COUNT(*) AS proposed,
       SUM(mode = 'auto') AS auto, SUM(mode IN ('ask', 'require_approval')) AS "humanInTheLoop", SUM(mode = 'deny') AS denied,
       SUM(decision IS 'approve') AS approved, SUM(decision IS 'modify') AS modified, SUM(decision IS 'decline') AS declined,
       SUM(status = 'expired') AS expired, SUM(status = 'executed') AS executed, SUM(status = 'failed') AS failed
     FROM approvals WHERE ${where} GROUP BY action_type ORDER BY action_type`,
    window,
  );
  const latencies = await store.execute(
    `SELECT action_type AS type, decided_at - created_at AS ms FROM approvals
     WHERE ${where} AND decision IS NOT NULL ORDER BY ms`,
    window,
  );
  const latencyHours = latencyRow.all(latencies.rows).map((row) => ({ type: row.type, hours: row.ms / HOUR_MS }));
  const latencyOf = new Map<string, number[]>();
  for (const { type, hours } of latencyHours) {
    const list = latencyOf.get(type) ?? [];
    list.push(hours);
    latencyOf.set(type, list);
  }
  const byType = countsRow.all(counts.rows).map(({ type, ...counted }) => summarize(type, latencyOf.get(type) ?? [], counted));
  const counters = [
    'proposed',
    'auto',
    'humanInTheLoop',
    'denied',
    'approved',
    'modified',
    'declined',
    'expired',
    'executed',
    'failed',
  ] as const;
  const totals = Object.fromEntries(counters.map((key) => [key, byType.reduce((sum, stats) => sum + stats[key], 0)])) as Counts;
  const total = summarize(
    '*',
    latencyHours.map((row) => row.hours),
    totals,
  );
  return { ...(query.from ? { from: query.from } : {}), ...(query.to ? { to: query.to } : {}), total, byType };
}

type Counts = Omit<ApprovalTypeStats, 'type' | 'overrideRate' | 'decisionLatencyHours'>;

function summarize(type: string, sortedLatencies: number[], counts: Counts): ApprovalTypeStats {
  const decisions = counts.approved + counts.modified + counts.declined;
  return {
    type,
    ...counts,
    overrideRate: decisions === 0 ? null : (counts.declined + counts.modified) / decisions,
    decisionLatencyHours: { p50: percentile(sortedLatencies, 0.5), p90: percentile(sortedLatencies, 0.9) },
  };
}
