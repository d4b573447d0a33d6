import type { SignalDetector } from '@teamstate/core';
import { humanDuration, names, REPOSITORY_TEAM, rows } from './sql.js';

/** Incidents not resolved yet. */
export const incidentOpen: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'incident.open',
  title: 'Open incident',
  description: 'An incident created before now and not resolved (critical for severities in `criticalSeverities`).',
  defaults: { criticalSeverities: ['sev0', 'sev1', 'critical', 'p0', 'p1'] },
  async detect(store, ctx) {
    const now = ctx.now.getTime();
    const critical = names(ctx.settings().criticalSeverities);
    const found = await rows(
      store,
      ctx.workspace,
      `SELECT d.id, d.title, d.severity, d.created_at, d.repository_id, d.deployment_id, ${REPOSITORY_TEAM} AS team FROM incidents d
       WHERE d.workspace = ? AND d.created_at <= ? AND (d.resolved_at IS NULL OR d.resolved_at > ?)`,
      [now, now],
    );
    return found.map((r) => ({
      severity: critical.includes(String(r.severity ?? '').toLowerCase()) ? ('critical' as const) : ('warning' as const),
      subject: { type: 'incident' as const, id: String(r.id) },
      team: r.team === null ? undefined : String(r.team),
      title: `Incident ${r.id}${r.severity ? ` (${r.severity})` : ''} "${r.title}" has been open for ${humanDuration(now - Number(r.created_at))}`,
      evidence: {
        incident: String(r.id),
        severity: r.severity,
        createdAt: new Date(Number(r.created_at)).toISOString(),
        repository: r.repository_id,
        deployment: r.deployment_id,
      },
    }));
  },
};
