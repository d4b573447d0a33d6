import {
  defaultMetricIds,
  formatMetricChange,
  formatMetricValue,
  formatNumber,
  formatWindow,
  type MetricComputeOptions,
  type MetricResult,
  type MetricSeriesPoint,
  metricWindow,
  type TeamState,
  weekStart,
} from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { UsageError } from '../errors.js';
import { colors, type Io, printJson, withTeamState } from '../runtime.js';
import { renderTable } from '../table.js';

interface MetricsOptions {
  from?: string;
  to?: string;
  team?: string;
  repository?: string;
  person?: string;
  granularity?: string;
  compare?: string;
  explain?: boolean;
  list?: boolean;
}

const EXPLAIN_ROWS_SHOWN = 50;
const WEEK = 7 * 86_400_000;

const round = formatNumber;

/** `12.5 h`, `60.0 %`, `67.5 points`, `1.83 deployments/day`; `—` for no value (the shared formatter). */
const formatValue = formatMetricValue;

/** The scalar details of a result (nested objects flattened, lists and bookkeeping left out), as `name value` pairs. */
function details(result: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(result).flatMap(([key, value]) => {
    if (prefix === '' && ['value', 'unit', 'band', 'benchmarks', 'series', 'previous', 'delta', 'trend'].includes(key)) return [];
    if (value === null || Array.isArray(value)) return [];
    if (typeof value === 'object') return details(value as Record<string, unknown>, `${prefix}${key}.`);
    return [`${prefix}${key} ${typeof value === 'number' ? round(value) : String(value)}`];
  });
}

/** `+8 h (worsening)`, `0 (unchanged)`, `—` when there is nothing to compare. */
function formatChange(result: MetricResult): string {
  const delta = result.delta;
  if (typeof delta !== 'number') return '—';
  return `${formatMetricChange(delta, result.unit)}${typeof result.trend === 'string' ? ` (${result.trend})` : ''}`;
}

/** Prints metric results as an aligned table with units and coloured DORA bands (and the previous window's values when compared). */
export function printTable(io: Io, results: Record<string, MetricResult>): void {
  const c = colors(io);
  const paint: Record<string, (text: string) => string> = { elite: c.green, high: c.cyan, medium: c.yellow, low: c.red };
  const compared = Object.values(results).some((result) => 'previous' in result);
  const rows = Object.entries(results).map(([id, result]) => {
    const band = typeof result.band === 'string' ? result.band : '';
    const previous = result.previous as MetricResult | undefined;
    return [
      id,
      formatValue(result.value, result.unit),
      ...(compared ? [previous ? formatValue(previous.value, previous.unit) : '—', formatChange(result)] : []),
      band ? (paint[band] ?? String)(band) : '',
      details(result).join(' · '),
    ];
  });
  const head = ['metric', 'value', ...(compared ? ['previous', 'change'] : []), 'band', 'details'];
  const align = head.map((column) => (['value', 'previous', 'change'].includes(column) ? 'right' : 'left') as 'left' | 'right');
  io.stdout(`${renderTable(head, rows, { align })}\n`);
}

/** Prints the weekly series of the results as one row per metric and one column per week (its start, `MM-DD`). */
function printSeries(io: Io, results: Record<string, MetricResult>): void {
  const withSeries = Object.entries(results).filter(([, result]) => Array.isArray(result.series));
  if (withSeries.length === 0) return;
  // A week the window cuts (it starts before `from` or ends after `to`) is labelled so.
  const weeks = (withSeries[0]![1].series as MetricSeriesPoint[]).map((point) => {
    const [from, to] = [Date.parse(point.from), Date.parse(point.to)];
    const whole = weekStart(from) === from && to - from === WEEK;
    return `${point.from.slice(5, 10)}${whole ? '' : ' (partial)'}`;
  });
  const rows = withSeries.map(([id, result]) => [
    id,
    ...(result.series as MetricSeriesPoint[]).map((point) => formatValue(point.value, point.unit)),
  ]);
  io.stdout(
    `\nWeekly (weeks start on Monday, UTC)\n${renderTable(['metric', ...weeks], rows, { align: ['left', ...weeks.map(() => 'right' as const)] })}\n`,
  );
}

function printExplanation(io: Io, id: string, rows: Record<string, unknown>[], warnings: string[]): void {
  const c = colors(io);
  io.stdout(`\n${c.bold(id)}: ${rows.length} row(s)\n`);
  if (rows.length > 0) {
    const head = Object.keys(rows[0]!);
    const cells = rows.slice(0, EXPLAIN_ROWS_SHOWN).map((row) =>
      head.map((key) => {
        const value = row[key];
        if (value === null || value === undefined) return '';
        if (Array.isArray(value)) return value.join(', ');
        return typeof value === 'number' ? round(value) : String(value);
      }),
    );
    io.stdout(`${renderTable(head, cells)}\n`);
    if (rows.length > EXPLAIN_ROWS_SHOWN) io.stdout(`… ${rows.length - EXPLAIN_ROWS_SHOWN} more row(s); --json lists them all\n`);
  }
  for (const warning of warnings) io.stdout(`${c.yellow('warning:')} ${warning}\n`);
}

async function run(ts: TeamState, io: Io, json: boolean, ids: string[], options: MetricsOptions): Promise<void> {
  if (options.list) {
    const catalogue = ts.metrics.list();
    if (json) printJson(io, catalogue);
    else
      io.stdout(
        `${renderTable(
          ['metric', 'unit', 'category', 'title'],
          catalogue.map((m) => [m.id, m.unit, m.category ?? '', m.title]),
        )}\n`,
      );
    return;
  }
  if (options.granularity !== undefined && options.granularity !== 'week') {
    throw new UsageError(`--granularity: expected "week", got "${options.granularity}"`);
  }
  if (options.compare !== undefined && options.compare !== 'previous') {
    throw new UsageError(`--compare: expected "previous", got "${options.compare}"`);
  }
  const selected = ids.length > 0 ? ids : defaultMetricIds(ts.metrics.list());
  const window = metricWindow(options, ts.now());
  const query: MetricComputeOptions = {
    ...window,
    team: options.team,
    repository: options.repository,
    person: options.person,
    granularity: options.granularity as 'week' | undefined,
    compare: options.compare as 'previous' | undefined,
  };
  if (!options.explain) {
    const results = await ts.metrics.compute(selected, query);
    if (json) printJson(io, results);
    else {
      const scope = [
        options.team && `team ${options.team}`,
        options.repository && `repository ${options.repository}`,
        options.person && `person ${options.person}`,
      ];
      io.stdout(
        `Metrics for ${formatWindow(window)}${scope
          .filter(Boolean)
          .map((s) => `, ${s}`)
          .join('')}\n\n`,
      );
      const first = Object.values(results)[0]?.previous as { from: string; to: string } | undefined;
      if (first) io.stdout(`Compared with ${formatWindow(first)}\n\n`);
      printTable(io, results);
      printSeries(io, results);
    }
    return;
  }
  const explanations = [];
  for (const id of selected) explanations.push(await ts.metrics.explain(id, query));
  if (json) {
    printJson(io, Object.fromEntries(explanations.map((e) => [e.id, { ...e.result, rows: e.rows, warnings: e.warnings }])));
    return;
  }
  io.stdout(`Metrics for ${formatWindow(window)}\n\n`);
  printTable(io, Object.fromEntries(explanations.map((e) => [e.id, e.result])));
  for (const e of explanations) printExplanation(io, e.id, e.rows, e.warnings);
}

/** `teamstate metrics [ids…]`: DORA, flow and sprint metrics over a half-open window, as a table or one JSON object. */
export const registerMetrics: RegisterCommand = (program, ctx) => {
  program
    .command('metrics')
    .description('compute metrics over the half-open window [--from, --to) (default: the DORA and flow set over the last 30 days)')
    .argument('[ids...]', 'metric ids (see --list); default: every DORA and flow metric')
    .option('--from <iso>', 'window start, inclusive (default: 30 days before --to)')
    .option('--to <iso>', 'window end, exclusive (default: now, or --now)')
    .option(
      '--team <id>',
      "only this team (PRs and deployments by their repository's team, incidents by their own, service's, repository's or deployment's)",
    )
    .option('--repository <id>', 'only this repository (owner/name)')
    .option('--person <id>', 'only work this person authored or is assigned to')
    .option('--granularity <week>', 'add a weekly series to each result')
    .option('--compare <previous>', 'add the previous window of the same length, the change and whether it improved')
    .option('--explain', 'list the rows behind each number and data-quality warnings')
    .option('--list', 'list the available metrics')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ teamstate metrics --from 2026-01-01T00:00:00Z --to 2026-04-01T00:00:00Z --team payments',
        '  $ teamstate metrics lead_time_for_changes change_failure_rate --json',
        '  $ teamstate metrics deployment_frequency --explain',
        '  $ teamstate metrics --team payments --granularity week --compare previous',
        'Definitions: docs/metrics.md',
      ].join('\n'),
    )
    .action(
      ctx.action(async (globals, ids: string[], options: MetricsOptions) => {
        await withTeamState(globals, ctx.io, (ts) => run(ts, ctx.io, Boolean(globals.json), ids, options), { metrics: ctx.metrics });
        return 0;
      }),
    );
};
