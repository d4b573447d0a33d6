import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDatabase, runCli } from './run-cli.js';
import { serveWhile } from './serve-while.js';

// serve --metrics exports the gauges the Grafana dashboards read: each team's metrics (teamstate_metric{metric, team},
// 30-day window), the lag of each source, the webhook deliveries and approvals waiting.
const dir = mkdtempSync(join(tmpdir(), 'teamstate-gauges-'));
const database = join(dir, 'demo.db');
beforeAll(async () => {
  const built = await demoDatabase(database);
  expect(built.code, built.stderr).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The samples of a Prometheus text exposition: `name{labels} value`, by name. */
export function samples(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line)!;
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

const GRAFANA = new URL('../../../deploy/grafana/', import.meta.url);

/** PromQL words that are not metric names. */
const PROMQL_WORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression reads: its identifiers, once strings, label matchers, grouping labels, ranges,
 * Grafana variables and function calls are taken out.
 */
export function promqlMetrics(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\$\{?\w+\}?/g, '');
  return [...bare.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)].flatMap((m) =>
    m[2] || PROMQL_WORDS.has(m[1]!.toLowerCase()) || /^\d/.test(m[1]!) ? [] : [m[1]!],
  );
}

/** Every PromQL expression of the dashboards in deploy/grafana, by dashboard file: panel targets and variable queries. */
function dashboardExpressions(): { file: string; expr: string }[] {
  return readdirSync(GRAFANA)
    .filter((file) => file.endsWith('.json'))
    .flatMap((file) => {
      const dashboard = JSON.parse(readFileSync(new URL(file, GRAFANA), 'utf8')) as {
        panels: { targets?: { expr: string }[] }[];
        templating: { list: { query?: unknown }[] };
      };
      const variables = dashboard.templating.list.flatMap((v) => {
        const query = typeof v.query === 'object' && v.query !== null ? (v.query as { query?: string }).query : undefined;
        const labelValues = query ? /^label_values\((\w+),/.exec(query) : null;
        return labelValues ? [labelValues[1]!] : [];
      });
      return [
        ...dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ file, expr: target.expr }))),
        ...variables.map((metric) => ({ file, expr: metric })),
      ];
    });
}

describe('serve --metrics gauges', () => {
  it('exports teamstate_metric per team and metric, source lag, webhooks and approvals pending', async () => {
    const pending = JSON.parse((await runCli(['--db', database, '--json', 'approvals', 'list', '--status', 'pending'])).stdout) as {
      approvals: unknown[];
    };
    const sources = (JSON.parse((await runCli(['--db', database, '--json', 'status'])).stdout) as { sources: { source: string }[] })
      .sources;
    const catalogue = JSON.parse((await runCli(['--db', database, '--json', 'metrics', '--list'])).stdout) as {
      id: string;
      category?: string;
    }[];
    await serveWhile({ cwd: dir, env: process.env, args: ['--db', database, '--metrics'] }, async (base) => {
      const scrape = async () => samples(await (await fetch(`${base}/metrics`)).text());
      // The gauges are computed once serve started; scraped until they are there.
      let seen = await scrape();
      for (let tries = 0; !seen.some((s) => s.name === 'teamstate_metric') && tries < 200; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        seen = await scrape();
      }
      const metric = seen.filter((s) => s.name === 'teamstate_metric');
      expect(new Set(metric.map((s) => s.labels.team))).toEqual(new Set(['payments', 'growth', 'platform']));
      expect(metric.map((s) => s.labels.metric)).toContain('deployment_frequency');
      expect(seen.find((s) => s.name === 'teamstate_approvals_pending')?.value).toBe(pending.approvals.length);
      expect(seen.find((s) => s.name === 'teamstate_webhooks_pending')?.value).toBe(0);
      expect(seen.some((s) => s.name === 'teamstate_source_lag_seconds') || sources.length === 0).toBe(true);

      // Every PromQL expression of the Grafana dashboards names only metrics this server exports.
      const exposition = await (await fetch(`${base}/metrics`)).text();
      const exported = new Set([...exposition.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
      const expressions = dashboardExpressions();
      expect(new Set(expressions.map((e) => e.file))).toEqual(new Set(['delivery.json', 'flow.json', 'quality.json', 'hub-health.json']));
      const unknown = expressions.flatMap(({ file, expr }) =>
        promqlMetrics(expr).flatMap((name) => (exported.has(name) ? [] : [`${file}: ${name} in ${expr}`])),
      );
      expect(unknown).toEqual([]);
      expect(expressions.flatMap((e) => promqlMetrics(e.expr))).toEqual(
        expect.arrayContaining([
          'teamstate_metric',
          'teamstate_source_lag_seconds',
          'teamstate_webhooks_pending',
          'teamstate_approvals_pending',
        ]),
      );
      // The dashboards' metric ids are metrics of the exported categories (a renamed one would leave a panel empty);
      // a metric without a value for a team (no CI data in the demo) has no sample.
      const exportedIds = new Set(catalogue.flatMap((m) => (['dora', 'flow', 'ci'].includes(m.category ?? '') ? [m.id] : [])));
      for (const sample of metric) expect(exportedIds.has(sample.labels.metric!)).toBe(true);
      const asked = expressions.flatMap((e) => [...e.expr.matchAll(/metric="([^"]+)"/g)].map((m) => m[1]!));
      expect(asked.length).toBeGreaterThan(10);
      expect(asked.filter((id) => !exportedIds.has(id))).toEqual([]);
    });
  });
});
