import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult, GetPromptResult } from '@modelcontextprotocol/sdk/types.js';
import type { TeamState } from '@teamstate/core';
import { prReviewQueue } from '@teamstate/metrics';
import { slackCommandAnswers } from '../src/slack-command-answers.js';
import { runCli } from './run-cli.js';

// Every surface that shows a quantity, read for one scope (a team, or `*` for the organisation): the cross-surface
// test requires each quantity to read the same on all of them. A new quantity is one more `reading(...)` line in the
// surface that shows it; a new surface, one more function in SURFACES.

/** One number as one surface shows it: `step` is its printed resolution (1 for counts, 0.01 for hours to 2 decimals…). */
export interface Reading {
  quantity: string;
  scope: string;
  surface: string;
  value: number;
  step: number;
}

/** What every surface reads from: the database, the instant, the windows, and the clients of each surface. */
export interface SurfaceContext {
  db: string;
  now: string;
  /** The metrics' window, `[from, to)`, 30 days to `now`. */
  from: string;
  /** Seven days before `now`: the overview's "last 7 days". */
  weekAgo: string;
  metricIds: readonly string[];
  sdk: TeamState;
  mcp: Client;
  /** A person of the workspace, who asks the Slack command. */
  asker: string;
}

const ORG = '*';
const teamFlag = (scope: string) => (scope === ORG ? [] : ['--team', scope]);
const teamArg = (scope: string) => (scope === ORG ? {} : { team: scope });

async function cli(context: SurfaceContext, args: string[]): Promise<string> {
  const result = await runCli(['--db', context.db, '--now', context.now, ...args], { env: { NO_COLOR: '1' } });
  if (result.code !== 0) throw new Error(`teamstate ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

const cliJson = async <T>(context: SurfaceContext, args: string[]): Promise<T> => JSON.parse(await cli(context, [...args, '--json'])) as T;

async function tool<T>(context: SurfaceContext, name: string, args: Record<string, unknown>): Promise<T> {
  const result = (await context.mcp.callTool({ name, arguments: args })) as CallToolResult;
  if (result.isError) throw new Error(`${name}: ${JSON.stringify(result.content)}`);
  return result.structuredContent as T;
}

/** The step of a metric value as MCP answers give it: hours to 2 decimals, ratios to 4, others exact. */
const mcpStep = (unit: string) => (unit === 'hours' ? 0.01 : unit === 'ratio' ? 0.0001 : 0);

/** A metric value as `teamstate metrics` prints it (`12.50 h`, `60.0 %`, `136 lines`, `—`), with its step. */
export function parseMetricText(text: string): { value: number; step: number } | undefined {
  if (text === '—') return undefined;
  const match = /^(-?\d+(?:\.(\d+))?)(?: (.+))?$/.exec(text);
  if (!match) throw new Error(`not a metric value: ${text}`);
  const decimals = match[2]?.length ?? 0;
  const percent = match[3] === '%';
  const value = Number(match[1]) / (percent ? 100 : 1);
  return { value, step: 10 ** -decimals / (percent ? 100 : 1) };
}

interface OverviewTeam {
  id: string;
  name: string;
  openPullRequests: number;
  pullRequestsAwaitingReview: number;
  pullRequestsMergedLast7Days: number;
  productionDeploymentsLast7Days: number;
  openIncidents: number;
  workInProgress: number;
  itemsInProgress: number;
  itemsBlocked: number;
}

/** The quantities of one team's overview, whichever surface carried it. */
function overviewReadings(team: OverviewTeam, surface: string): Reading[] {
  const r = (quantity: string, value: number): Reading => ({ quantity, scope: team.id, surface, value, step: 0 });
  return [
    r('open pull requests', team.openPullRequests),
    r('review queue', team.pullRequestsAwaitingReview),
    r('merged pull requests, last 7 days', team.pullRequestsMergedLast7Days),
    r('production deployments, last 7 days', team.productionDeploymentsLast7Days),
    r('open incidents', team.openIncidents),
    r('work in progress', team.workInProgress),
    r('issues in progress', team.itemsInProgress),
    r('blocked items', team.itemsBlocked),
  ];
}

/** The quantities of metric results: each value, its count, and the named parts the other surfaces show. */
function metricReadings(
  results: Record<string, { value: number | null; unit: string; [detail: string]: unknown }>,
  scope: string,
  surface: string,
  step: (unit: string) => number,
  window: 'month' | 'week',
): Reading[] {
  const out: Reading[] = [];
  const r = (quantity: string, value: number, s = 0) => out.push({ quantity, scope, surface, value, step: s });
  for (const [id, result] of Object.entries(results)) {
    if (window === 'week') {
      if (id === 'deployment_frequency') r('production deployments, last 7 days', Number(result.count));
      if (id === 'throughput') r('merged pull requests, last 7 days', Number(result.pullRequests));
      continue;
    }
    if (result.value !== null) r(`metric ${id}`, result.value, step(result.unit));
    if (typeof result.count === 'number') r(`metric ${id} count`, result.count);
    if (id === 'wip') {
      r('work in progress', result.value ?? 0);
      r('issues in progress', Number(result.issues));
    }
  }
  return out;
}

type Surface = (context: SurfaceContext, scope: string) => Promise<Reading[]>;

interface Summary {
  id: string;
}
interface SignalRow {
  kind: string;
}

/** Open incidents and signal counts per kind, from a list of open incidents and of open signals. */
function listReadings(surface: string, scope: string, incidents: Summary[] | undefined, signals: SignalRow[] | undefined): Reading[] {
  const out: Reading[] = [];
  if (incidents) out.push({ quantity: 'open incidents', scope, surface, value: incidents.length, step: 0 });
  if (signals) {
    const byKind = new Map<string, number>();
    for (const s of signals) byKind.set(s.kind, (byKind.get(s.kind) ?? 0) + 1);
    for (const [kind, n] of byKind) out.push({ quantity: `open signals ${kind}`, scope, surface, value: n, step: 0 });
    out.push({ quantity: 'open incidents', scope, surface: `${surface} incident.open`, value: byKind.get('incident.open') ?? 0, step: 0 });
    out.push({ quantity: 'open signals', scope, surface, value: signals.length, step: 0 });
  }
  return out;
}

/** Every surface, by name. */
export const SURFACES: Record<string, Surface> = {
  async sdk(context, scope) {
    const ts = context.sdk;
    const out: Reading[] = [];
    if (scope !== ORG) {
      out.push(...overviewReadings((await ts.overview({ team: scope })).teams[0]!, 'sdk overview'));
      out.push({
        quantity: 'review queue',
        scope,
        surface: 'sdk prReviewQueue',
        value: (await prReviewQueue(ts, { team: scope })).total,
        step: 0,
      });
    }
    const incidents = await ts.incidents.summaries({ status: 'open', ...teamArg(scope), limit: 500 });
    const signals = await ts.signals.list({ ...teamArg(scope), limit: 500 });
    out.push(...listReadings('sdk', scope, incidents, signals));
    const team = teamArg(scope);
    out.push(
      ...metricReadings(
        await ts.metrics.compute([...context.metricIds], { from: context.from, to: context.now, ...team }),
        scope,
        'sdk metrics',
        () => 0,
        'month',
      ),
    );
    const week = await ts.metrics.compute(['deployment_frequency', 'throughput'], { from: context.weekAgo, to: context.now, ...team });
    out.push(...metricReadings(week, scope, 'sdk metrics', () => 0, 'week'));
    return out;
  },

  async 'cli json'(context, scope) {
    const out: Reading[] = [];
    const { incidents } = await cliJson<{ incidents: Summary[] }>(context, [
      'incident',
      'list',
      '--status',
      'open',
      ...teamFlag(scope),
      '--limit',
      '500',
    ]);
    const { signals } = await cliJson<{ signals: SignalRow[] }>(context, ['signals', ...teamFlag(scope), '--limit', '500']);
    out.push(...listReadings('cli json', scope, incidents, signals));
    const window = ['--from', context.from, '--to', context.now];
    const month = await cliJson<Record<string, { value: number | null; unit: string }>>(context, [
      'metrics',
      ...context.metricIds,
      ...window,
      ...teamFlag(scope),
    ]);
    out.push(...metricReadings(month, scope, 'cli json metrics', () => 0, 'month'));
    const week = await cliJson<Record<string, { value: number | null; unit: string }>>(context, [
      'metrics',
      'deployment_frequency',
      'throughput',
      '--from',
      context.weekAgo,
      '--to',
      context.now,
      ...teamFlag(scope),
    ]);
    out.push(...metricReadings(week, scope, 'cli json metrics', () => 0, 'week'));
    return out;
  },

  async 'cli text'(context, scope) {
    const out: Reading[] = [];
    const incidents = await cli(context, ['incident', 'list', '--status', 'open', ...teamFlag(scope), '--limit', '500']);
    const listed = incidents.split('\n').filter((line) => /^\S+ {2}(triggered|acknowledged) {2}/.test(line));
    out.push({ quantity: 'open incidents', scope, surface: 'cli text incident list', value: listed.length, step: 0 });
    const metrics = await cli(context, ['metrics', ...context.metricIds, '--from', context.from, '--to', context.now, ...teamFlag(scope)]);
    for (const line of metrics.split('\n')) {
      const match = /^([a-z_]+) {2,}(.+?) {2,}/.exec(line);
      if (!match || !context.metricIds.includes(match[1]!)) continue;
      const parsed = parseMetricText(match[2]!.trim());
      if (parsed) out.push({ quantity: `metric ${match[1]}`, scope, surface: 'cli text metrics', ...parsed });
      if (match[1] === 'wip')
        out.push({ quantity: 'work in progress', scope, surface: 'cli text metrics', value: parsed?.value ?? 0, step: 0 });
    }
    return out;
  },

  async mcp(context, scope) {
    const out: Reading[] = [];
    if (scope !== ORG) {
      const overview = await tool<{ teams: OverviewTeam[] }>(context, 'team_overview', { team: scope });
      out.push(...overviewReadings(overview.teams[0]!, 'mcp team_overview'));
      const queue = await tool<{ total: number; pullRequests: unknown[] }>(context, 'pr_review_queue', { team: scope, limit: 100 });
      out.push({ quantity: 'review queue', scope, surface: 'mcp pr_review_queue', value: queue.total, step: 0 });
      if (queue.total <= 100)
        out.push({ quantity: 'review queue', scope, surface: 'mcp pr_review_queue listed', value: queue.pullRequests.length, step: 0 });
      // A prompt carries the team's overview as an embedded resource.
      const prompt = (await context.mcp.getPrompt({ name: 'standup', arguments: { team: scope } })) as GetPromptResult;
      const resource = prompt.messages.flatMap((m) =>
        m.content.type === 'resource' && 'text' in m.content.resource ? [m.content.resource.text] : [],
      );
      out.push(...overviewReadings((JSON.parse(resource[0]!) as { overview: OverviewTeam }).overview, 'mcp prompt standup'));
    }
    const { incidents } = await tool<{ incidents: Summary[] }>(context, 'list_incidents', {
      status: 'open',
      ...teamArg(scope),
      limit: 200,
    });
    const { signals } = await tool<{ signals: SignalRow[] }>(context, 'list_signals', { ...teamArg(scope), limit: 200 });
    out.push(...listReadings('mcp', scope, incidents, signals));
    const month = await tool<{ metrics: Record<string, { value: number | null; unit: string }> }>(context, 'get_metrics', {
      ids: context.metricIds,
      from: context.from,
      to: context.now,
      ...teamArg(scope),
    });
    out.push(...metricReadings(month.metrics, scope, 'mcp get_metrics', mcpStep, 'month'));
    const week = await tool<{ metrics: Record<string, { value: number | null; unit: string }> }>(context, 'get_metrics', {
      ids: ['deployment_frequency', 'throughput'],
      from: context.weekAgo,
      to: context.now,
      ...teamArg(scope),
    });
    out.push(...metricReadings(week.metrics, scope, 'mcp get_metrics', mcpStep, 'week'));
    return out;
  },

  async slack(context, scope) {
    const answers = slackCommandAnswers(() => context.sdk);
    const query = { argument: scope === ORG ? '' : scope, person: context.asker, user: 'U0TEST' };
    if (scope === ORG) {
      const title = (await answers.incident?.(query))?.title ?? '';
      const n = title === 'No open incidents' ? 0 : Number(/^(\d+) open incident/.exec(title)?.[1]);
      return [{ quantity: 'open incidents', scope, surface: 'slack /teamstate incident', value: n, step: 0 }];
    }
    const title = (await answers.triage?.(query))?.title ?? '';
    const n = Number(/: (\d+) pull requests? waiting/.exec(title)?.[1]);
    return [{ quantity: 'review queue', scope, surface: 'slack /teamstate triage', value: n, step: 0 }];
  },
};

/** The overview as `teamstate demo` prints it, per team: its table's columns, by the overview field each one shows. */
export function demoTextReadings(text: string, teams: readonly { id: string; name: string }[]): Reading[] {
  const header = text.split('\n').find((line) => line.startsWith('Team '));
  if (!header) throw new Error('no overview table in the demo output');
  const columns = header.trim().split(/\s+/);
  const quantity: Record<string, string> = {
    PRs: 'open pull requests',
    Review: 'review queue',
    Merged: 'merged pull requests, last 7 days',
    Deploys: 'production deployments, last 7 days',
    Incidents: 'open incidents',
    WIP: 'work in progress',
    Blocked: 'blocked items',
  };
  const out: Reading[] = [];
  for (const team of teams) {
    const line = text.split('\n').find((l) => l.startsWith(`${team.name} `));
    if (!line) throw new Error(`no overview row for ${team.name}`);
    const cells = line.trim().split(/\s{2,}/);
    columns.forEach((column, i) => {
      const name = quantity[column];
      if (name) out.push({ quantity: name, scope: team.id, surface: 'cli text demo overview', value: Number(cells[i]), step: 0 });
    });
  }
  return out;
}

/** Every disagreement: readings of one quantity and scope further apart than their printed resolutions allow. */
export function disagreements(readings: readonly Reading[]): string[] {
  const groups = new Map<string, Reading[]>();
  for (const r of readings) {
    const key = `${r.scope} · ${r.quantity}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const out: string[] = [];
  for (const [key, group] of groups) {
    for (const r of group.filter((x) => !Number.isFinite(x.value))) out.push(`${key}: ${r.surface} shows no number`);
    const exact = group.reduce((best, r) => (r.step < best.step ? r : best));
    for (const r of group) {
      if (Math.abs(r.value - exact.value) > (r.step + exact.step) / 2 + 1e-9)
        out.push(`${key}: ${r.surface} shows ${r.value}, ${exact.surface} shows ${exact.value}`);
    }
  }
  return out.sort();
}
