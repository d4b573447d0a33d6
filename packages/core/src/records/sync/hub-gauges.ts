import { metrics, type ObservableCallback } from '@opentelemetry/api';
import type { Store } from '../../kernel/store/open-store.js';
import { INSTRUMENTATION_SCOPE } from '../../kernel/telemetry/telemetry.js';
import { type FreshnessReport, lastSyncDurations, webhookBacklog } from './sync-sources.js';

/**
 * Registers the hub's gauges on the global meter provider, read from the store at each collection (a scrape of
 * `/metrics`): `teamstate_source_lag_seconds{source}` (seconds since each source's newest data),
 * `teamstate_webhook_backlog` and `teamstate_webhooks_pending` (deliveries queued or retrying) and `teamstate_sync_duration_seconds{source}` (how long
 * each connector's last sync took). No-ops without an SDK. Returns what unregisters them (at close).
 */
export function registerHubGauges(deps: { store: Store; workspace: string; freshness: () => Promise<FreshnessReport> }): () => void {
  const meter = metrics.getMeter(INSTRUMENTATION_SCOPE);
  const lag = meter.createObservableGauge('teamstate.source.lag_seconds', {
    description: "Seconds since each source's newest data (its last successful sync or webhook)",
    unit: 's',
  });
  const backlog = meter.createObservableGauge('teamstate.webhook.backlog', {
    description: 'Webhook deliveries received and not processed yet (queued or retrying)',
  });
  // The name the dashboards of deploy/grafana use; the same count as the backlog.
  const pending = meter.createObservableGauge('teamstate_webhooks_pending', {
    description: 'Webhook deliveries received and not processed yet (queued or retrying)',
  });
  const duration = meter.createObservableGauge('teamstate.sync.duration_seconds', {
    description: "How long each connector's last sync took",
    unit: 's',
  });
  // A failed read (a closing store) reports nothing for that collection rather than failing the scrape.
  const observeLag: ObservableCallback = async (result) => {
    const report = await deps.freshness().catch(() => ({ sources: [] }));
    for (const s of report.sources) if (s.lagSeconds !== null) result.observe(s.lagSeconds, { source: s.source });
  };
  const observeBacklog: ObservableCallback = async (result) => {
    const n = await webhookBacklog(deps.store, deps.workspace).catch(() => undefined);
    if (n !== undefined) result.observe(n);
  };
  const observePending: ObservableCallback = async (result) => {
    const n = await webhookBacklog(deps.store, deps.workspace).catch(() => undefined);
    if (n !== undefined) result.observe(n);
  };
  const observeDuration: ObservableCallback = async (result) => {
    const rows = await lastSyncDurations(deps.store, deps.workspace).catch(() => []);
    for (const r of rows) result.observe(r.seconds, { source: r.source });
  };
  lag.addCallback(observeLag);
  backlog.addCallback(observeBacklog);
  pending.addCallback(observePending);
  duration.addCallback(observeDuration);
  return () => {
    lag.removeCallback(observeLag);
    backlog.removeCallback(observeBacklog);
    pending.removeCallback(observePending);
    duration.removeCallback(observeDuration);
  };
}
