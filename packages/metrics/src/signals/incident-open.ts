import type { SignalDetector } from '@teamstate/core';
import { columns, incidentOpenAt, incidentTeam, integer, nullable, sql, text } from '@teamstate/core/store';
import { humanDuration, names } from './sql.js';

/** Incidents open now (the overview's and `incident list --status open`'s rule), with their team (`incidentTeam`). */
export const incidentOpen: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'incident.open',
  title: 'Open incident',
  description: 'An incident created before now and not resolved (critical for severities in `criticalSeverities`).',
  defaults: { criticalSeverities: ['sev0', 'sev1', 'critical', 'p0', 'p1'] },
  // An incident's team may come from the deployment it names, which exists when the incident is written and keeps its
  // repository: writes of deployments cannot change a team, so they do not run this detector again.
  incremental: { reads: ['incidents', 'repositories'], drivenBy: 'time' },
  async detect(db, ctx) {
    const now = ctx.now.getTime();
    const critical = names(ctx.settings().criticalSeverities);
    const found = await db.all(
      columns({
        id: text,
        title: text,
        severity: nullable(text),
        created_at: integer,
        repository_id: nullable(text),
        deployment_id: nullable(text),
        team: nullable(text),
      }),
      sql`SELECT d.id, d.title, d.severity, d.created_at, d.repository_id, d.deployment_id, ${incidentTeam('d')} AS team FROM incidents d
       WHERE d.workspace = ${ctx.workspace} AND ${incidentOpenAt('d', now)}`,
    );
    return found.map((r) => ({
      severity: critical.includes((r.severity ?? '').toLowerCase()) ? ('critical' as const) : ('warning' as const),
      subject: { type: 'incident' as const, id: r.id },
      team: r.team ?? undefined,
      title: `Incident ${r.id}${r.severity ? ` (${r.severity})` : ''} "${r.title}" has been open for ${humanDuration(now - r.created_at)}`,
      evidence: {
        incident: r.id,
        severity: r.severity,
        createdAt: new Date(r.created_at).toISOString(),
        // When the condition began: what the CLI shows as "Since".
        since: new Date(r.created_at).toISOString(),
        repository: r.repository_id,
        deployment: r.deployment_id,
      },
    }));
  },
};
