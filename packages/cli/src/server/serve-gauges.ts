import { metrics as otel } from '@opentelemetry/api';
import type { TeamState } from '@teamstate/core';

/** The metric categories exported as gauges: delivery (DORA), flow and quality (CI), what the dashboards show. */
const EXPORTED_CATEGORIES = ['dora', 'flow', 'ci'];

/** The window of the `teamstate_metric` gauges: the 30 days before each refresh. */
const WINDOW_MS = 30 * 86_400_000;

/** The gauges of `serve --metrics` that the dashboards in deploy/grafana read, besides core's own. */
export interface ServeGauges {
  /** Recomputes `teamstate_metric{metric, team}` (on the signals schedule). */
  refresh(): Promise<void>;
  /** Unregisters the gauges. */
  close(): void;
}

/**
 * Registers `teamstate_metric{metric, team}` (each team's DORA, flow and CI metrics over the last 30 days, as `teamstate metrics
 * --team <t> --json` computes them; refreshed by `refresh()`, read from that cache at a scrape) and
 * `teamstate_approvals_pending` (read at each scrape). `teamstate_source_lag_seconds` and `teamstate_webhooks_pending`
 * are core's (registered when the facade opens). No-ops without an OpenTelemetry SDK.
 */
export function registerServeGauges(ts: TeamState): ServeGauges {
  const meter = otel.getMeter('teamstate');
  const metric = meter.createObservableGauge('teamstate_metric', {
    description: "Each team's metrics over the last 30 days (value in the metric's unit, as teamstate metrics --json)",
  });
  const pending = meter.createObservableGauge('teamstate_approvals_pending', { description: 'Approvals waiting for a decision' });
  let values: { value: number; metric: string; team: string }[] = [];
  const observeMetric = (result: { observe(value: number, attributes: Record<string, string>): void }) => {
    for (const v of values) result.observe(v.value, { metric: v.metric, team: v.team });
  };
  const observePending = async (result: { observe(value: number): void }) => {
    const rows = await ts.store
      .execute("SELECT count(*) AS n FROM approvals WHERE workspace = ? AND status = 'pending'", [ts.workspace])
      .catch(() => undefined);
    if (rows) result.observe(Number(rows.rows[0]?.n ?? 0));
  };
  metric.addCallback(observeMetric);
  pending.addCallback(observePending);
  return {
    async refresh() {
      const to = ts.now();
      const window = { from: new Date(to.getTime() - WINDOW_MS).toISOString(), to: to.toISOString() };
      const ids = ts.metrics.list().flatMap((m) => (EXPORTED_CATEGORIES.includes(m.category ?? '') ? [m.id] : []));
      const next: typeof values = [];
      for (const team of await ts.teams.list()) {
        const results = await ts.metrics.compute(ids, { ...window, team: team.id });
        for (const [id, result] of Object.entries(results))
          if (typeof result.value === 'number' && Number.isFinite(result.value))
            next.push({ value: result.value, metric: id, team: team.id });
      }
      values = next;
    },
    close() {
      metric.removeCallback(observeMetric);
      pending.removeCallback(observePending);
    },
  };
}
