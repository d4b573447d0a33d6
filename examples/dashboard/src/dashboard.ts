import { demo } from '@teamstate/connectors/demo';
import {
  type AiImpact,
  type Approval,
  createTeamState,
  defaultMetricIds,
  type MetricInfo,
  type MetricResult,
  metricWindow,
  type StoredSignal,
  type TeamState,
  type TeamSummary,
} from '@teamstate/core';
import { builtinMetrics, builtinSignals } from '@teamstate/metrics';

/** The four DORA keys shown as tiles, in display order. */
export const DORA_METRIC_IDS = ['deployment_frequency', 'lead_time_for_changes', 'change_failure_rate', 'time_to_restore_service'] as const;

/** The metrics drawn as weekly trends: the DORA four, PR cycle time (with its phase breakdown), WIP and aging WIP. */
export const TREND_METRIC_IDS = [...DORA_METRIC_IDS, 'pr_cycle_time', 'wip', 'aging_wip'] as const;

/** How many Monday-aligned weeks the trend charts cover (the last one runs up to now). */
export const TREND_WEEKS = 12;

const DAY_MS = 86_400_000;

/** A pending approval with the team of the work item it targets, when the target is one. */
export interface DashboardApproval extends Approval {
  team?: string;
}

/** Everything the page shows for one team; `GET /api/dashboard?team=<id>` returns it as JSON. */
export interface DashboardData {
  /** The workspace clock's now: the instant every number is computed at. */
  at: string;
  team: { id: string; name: string; members: number; repositories: string[] };
  /** The core's default window (`metricWindow`): the 30 days before now, as `teamstate metrics` uses. */
  window: { from: string; to: string };
  /** The window of the weekly trends: {@link TREND_WEEKS} Monday-aligned weeks up to now. */
  trendWindow: { from: string; to: string };
  /** Title, unit and description of every metric in `metrics`. */
  catalogue: MetricInfo[];
  /** The core's default metrics (DORA and flow) over `window` for the team, as `ts.metrics.compute` returns them. */
  metrics: Record<string, MetricResult>;
  /** {@link TREND_METRIC_IDS} over `trendWindow` with `granularity: 'week'` (each result has a `series`). */
  trends: Record<string, MetricResult>;
  /** The team's open signals, most severe first. */
  signals: StoredSignal[];
  /** Every pending approval of the workspace (approvals are one queue, not per team), newest first. */
  approvals: DashboardApproval[];
}

/**
 * The window of the trend charts: from Monday 00:00 UTC {@link TREND_WEEKS} − 1 weeks before the week of `now`, to `now`.
 * @example trendWindow(new Date('2026-03-18T10:00:00Z')) // { from: '2025-12-29T00:00:00.000Z', to: '2026-03-18T10:00:00.000Z' }
 */
export function trendWindow(now: Date): { from: string; to: string } {
  const day = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const monday = day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS;
  return { from: new Date(monday - (TREND_WEEKS - 1) * 7 * DAY_MS).toISOString(), to: now.toISOString() };
}

/** Options of {@link openDemoWorkspace}. */
export interface DemoWorkspaceOptions {
  /** The instant the demo organisation is generated around and every number is computed at. */
  now: Date;
  /** libSQL database URL; default `:memory:`. */
  database?: string;
}

/**
 * Opens the demo workspace the way `teamstate demo` does: syncs the synthetic organisation of the `demo()`
 * connector (deterministic for a given `now`), refreshes the signals, and leaves one pending approval
 * (the assistant's proposed note on a blocked item) so the approvals panel has something to show.
 *
 * @example
 * const ts = await openDemoWorkspace({ now: new Date('2026-03-18T10:00:00Z') })
 */
export async function openDemoWorkspace({ now, database = ':memory:' }: DemoWorkspaceOptions): Promise<TeamState> {
  const ts = await createTeamState({
    database,
    connectors: [demo()],
    metrics: builtinMetrics,
    signals: builtinSignals,
    clock: () => now,
  });
  try {
    const result = await ts.sync();
    if (!result.ok) throw new Error(`the demo sync failed: ${result.connectors[0]?.error?.message ?? 'unknown error'}`);
    await ts.signals.refresh();
    const [blocked] = await ts.signals.list({ kind: 'item.blocked', limit: 1 });
    const key = String(blocked?.evidence.key ?? 'PAY-1');
    const [existing] = await ts.approvals.list({ status: 'pending', type: 'demo.note.add', limit: 1 });
    if (!existing) {
      await ts.actions.propose({
        type: 'demo.note.add',
        target: key,
        params: { key, text: 'Blocked on the vendor sandbox for days: can someone escalate with the vendor?' },
        reason: `${key} has been blocked for days; the team should see a note on it`,
        requestedBy: 'assistant',
      });
    }
    return ts;
  } catch (error) {
    await ts.close();
    throw error;
  }
}

/** Options of {@link openWorkspace}. */
export interface WorkspaceOptions {
  /** The libSQL database URL or file of an existing workspace. */
  database: string;
  /** Default `default`. */
  workspace?: string;
  /** The instant every number is computed at. */
  now: Date;
}

/**
 * Opens a workspace that `teamstate demo` or `teamstate sync` filled, and refreshes its signals.
 *
 * @example
 * const ts = await openWorkspace({ database: '.teamstate/teamstate.db', now: new Date() })
 */
export async function openWorkspace({ database, workspace, now }: WorkspaceOptions): Promise<TeamState> {
  const ts = await createTeamState({ database, workspace, metrics: builtinMetrics, signals: builtinSignals, clock: () => now });
  try {
    if ((await ts.teams.list()).length === 0) {
      throw new Error(`${database}: workspace "${ts.workspace}" has no teams; fill it first with teamstate demo or teamstate sync`);
    }
    await ts.signals.refresh();
    return ts;
  } catch (error) {
    await ts.close();
    throw error;
  }
}

/** The teams of the workspace, for the team picker. */
export async function listTeams(ts: TeamState): Promise<{ id: string; name: string }[]> {
  return (await ts.teams.list()).map(({ id, name }) => ({ id, name }));
}

async function pendingApprovals(ts: TeamState): Promise<DashboardApproval[]> {
  const approvals = await ts.approvals.list({ status: 'pending' });
  const repositoryTeams = new Map((await ts.repositories.list()).map((repository) => [repository.id, repository.team]));
  return Promise.all(
    approvals.map(async (approval) => {
      const item = await ts.workItems.get(approval.target);
      const team = item?.team ?? (item?.repository === undefined ? undefined : repositoryTeams.get(item.repository));
      return team === undefined ? approval : { ...approval, team };
    }),
  );
}

/**
 * Computes the dashboard of one team with the public SDK only: `ts.metrics.compute` over the core's default
 * window and metrics, the weekly trends, the team's open signals and the pending approvals.
 */
export async function dashboardData(ts: TeamState, team: TeamSummary): Promise<DashboardData> {
  const now = ts.now();
  const window = metricWindow({}, now);
  const ids = defaultMetricIds(ts.metrics.list());
  const trends = trendWindow(now);
  return {
    at: now.toISOString(),
    team: { id: team.id, name: team.name, members: team.members.length, repositories: team.repositories },
    window,
    trendWindow: trends,
    catalogue: ts.metrics.list().filter((metric) => ids.includes(metric.id)),
    metrics: await ts.metrics.compute(ids, { ...window, team: team.id }),
    trends: await ts.metrics.compute(TREND_METRIC_IDS, { ...trends, team: team.id, granularity: 'week' }),
    signals: await ts.signals.list({ team: team.id, status: 'open' }),
    approvals: await pendingApprovals(ts),
  };
}

/**
 * The AI panel of one team: `ts.ai.impact` over the same window as the tiles (`metricWindow`, the 30 days before now):
 * AI-assisted vs other merged PRs, the difference of their medians with a bootstrap 95% interval, the verdict, and
 * the weekly adoption share. `GET /api/ai?team=<id>` returns it as JSON.
 *
 * @example
 * const impact = await aiPanelData(ts, 'payments') // impact.assisted.n, impact.weekly[0].share, impact.verdict
 */
export async function aiPanelData(ts: TeamState, team: string): Promise<AiImpact> {
  return ts.ai.impact({ ...metricWindow({}, ts.now()), team });
}
