// Incidents from an on-call tool (PagerDuty: a `service`, and a `team` from `serviceTeams` or a repository) count in
// change_failure_rate and failed_deployment_recovery_time with the imported and GitHub-label ones: an incident of a
// service is attributed to the nearest earlier production deployment of its repository, or of any of its team's
// repositories, finished within 24 hours before it. Checked against an independent computation over generated data.
import type { Deployment, Incident } from '@teamstate/core';
import { describe, expect, it } from 'vitest';
import { at, deployment, incident, MARCH, metric, open } from './fixtures.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A small deterministic generator (mulberry32). */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REPOSITORY_TEAM: Record<string, string> = { 'acme/api': 'payments', 'acme/web': 'growth' };

/** Independent: the deployment an incident is attributed to, by the documented rule, from the plain lists. */
function attributed(i: Incident, deployments: readonly Deployment[]): Deployment | undefined {
  if (i.deployment) return deployments.find((d) => d.id === i.deployment);
  const created = Date.parse(i.createdAt);
  const candidates = deployments.filter((d) => {
    const finished = Date.parse(d.finishedAt);
    if (d.status !== 'success' || d.environment !== 'production' || finished > created) return false;
    if (i.repository) return d.repository === i.repository && (i.service === undefined || finished >= created - DAY);
    if (i.team) return REPOSITORY_TEAM[d.repository] === i.team && finished >= created - DAY;
    return false;
  });
  candidates.sort((a, b) => Date.parse(b.finishedAt) - Date.parse(a.finishedAt) || (a.id < b.id ? 1 : -1));
  return candidates[0];
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = (sorted.length - 1) / 2;
  return (sorted[Math.floor(mid)]! + sorted[Math.ceil(mid)]!) / 2;
}

function generate(seed: number) {
  const next = random(seed);
  const deployments: Deployment[] = [];
  const incidents: Incident[] = [];
  const start = Date.parse(at(1));
  for (let n = 0; n < 120; n++) {
    const repository = next() < 0.5 ? 'acme/api' : 'acme/web';
    const finishedAt = new Date(start + Math.floor(next() * 30 * DAY)).toISOString();
    const status = next() < 0.1 ? 'failure' : 'success';
    const environment = next() < 0.15 ? 'staging' : 'production';
    deployments.push(deployment(`d${n}`, finishedAt, { repository, status, environment }));
  }
  for (let n = 0; n < 40; n++) {
    const created = start + Math.floor(next() * 30 * DAY);
    const resolved = next() < 0.85 ? new Date(created + Math.floor(next() * 12 * HOUR) + 60_000).toISOString() : undefined;
    const team = next() < 0.5 ? 'payments' : 'growth';
    const byRepository = next() < 0.4;
    incidents.push(
      incident(`pd${n}`, new Date(created).toISOString(), {
        source: 'pagerduty',
        externalId: `Q${n}PD`,
        service: team === 'payments' ? 'PAYMENTS1' : 'GROWTH1',
        status: resolved ? 'resolved' : 'triggered',
        urgency: 'high',
        ...(byRepository ? { repository: team === 'payments' ? 'acme/api' : 'acme/web' } : { team }),
        ...(resolved ? { resolvedAt: resolved } : {}),
      }),
    );
  }
  // The imported and GitHub-label kind keep counting alongside.
  incidents.push(incident('imported', at(20, 5), { repository: 'acme/api', resolvedAt: at(20, 9) }));
  return { deployments, incidents };
}

function expected(deployments: Deployment[], incidents: Incident[], team?: string) {
  const from = Date.parse(MARCH.from);
  const to = Date.parse(MARCH.to);
  const inScope = (d: Deployment) => team === undefined || REPOSITORY_TEAM[d.repository] === team;
  const production = deployments.filter(
    (d) =>
      d.status === 'success' &&
      d.environment === 'production' &&
      Date.parse(d.finishedAt) >= from &&
      Date.parse(d.finishedAt) < to &&
      inScope(d),
  );
  const failed = new Set<string>();
  const recoveries: number[] = [];
  for (const i of incidents) {
    const d = attributed(i, deployments);
    if (d?.status !== 'success' || d.environment !== 'production') continue;
    if (production.some((p) => p.id === d.id)) failed.add(d.id);
    const created = Date.parse(i.createdAt);
    if (i.resolvedAt && created >= from && created < to && inScope(d))
      recoveries.push((Date.parse(i.resolvedAt) - Date.parse(d.finishedAt)) / HOUR);
  }
  return {
    cfr: production.length === 0 ? null : failed.size / production.length,
    failed: failed.size,
    total: production.length,
    recovery: median(recoveries),
    count: recoveries.length,
  };
}

describe('PagerDuty incidents in the DORA metrics', () => {
  it('attributes an incident of a service to the nearest production deployment of its repository or team within 24 h', async () => {
    const ts = await open({
      deployments: [
        deployment('api-old', at(2)),
        deployment('api', at(10)),
        deployment('web', at(10, 3), { repository: 'acme/web' }),
        deployment('web-staging', at(10, 5), { repository: 'acme/web', environment: 'staging' }),
      ],
      incidents: [
        incident('pd-team', at(10, 6), { source: 'pagerduty', service: 'PWEB', team: 'growth', resolvedAt: at(10, 8) }), // web: 5 h
        incident('pd-repo', at(10, 4), { source: 'pagerduty', service: 'PAPI', repository: 'acme/api', resolvedAt: at(10, 5) }), // api: 5 h
        incident('pd-too-late', at(4), { source: 'pagerduty', service: 'PAPI', repository: 'acme/api', resolvedAt: at(4, 1) }), // api-old is 48 h before
        incident('imported-late', at(4, 2), { repository: 'acme/api', resolvedAt: at(4, 4) }), // no window: api-old, 52 h
      ],
    });
    const explanation = await ts.metrics.explain('failed_deployment_recovery_time', MARCH);
    expect(explanation.rows.map((row) => [row.incident, row.deployment, row.recoveryHours])).toEqual([
      ['imported-late', 'api-old', 52],
      ['pd-repo', 'api', 5],
      ['pd-team', 'web', 5],
    ]);
    expect(await metric(ts, 'change_failure_rate')).toMatchObject({ failed: 3, total: 3, value: 1 });
    expect(await metric(ts, 'failed_deployment_recovery_time', { team: 'growth' })).toMatchObject({ count: 1, value: 5 });
    const incidents = await ts.incidents.list({});
    expect(incidents.find((i) => i.id === 'pd-team')).toMatchObject({ source: 'pagerduty', service: 'PWEB', team: 'growth' });
    await ts.close();
  });

  for (const seed of [7, 2026]) {
    it(`equals an independent computation on generated PagerDuty incidents (seed ${seed}), before and after more writes`, async () => {
      const { deployments, incidents } = generate(seed);
      const ts = await open({ deployments, incidents });
      const check = async (ds: Deployment[], is: Incident[]) => {
        for (const team of [undefined, 'payments', 'growth']) {
          const want = expected(ds, is, team);
          const scope = team === undefined ? {} : { team };
          const cfr = await metric(ts, 'change_failure_rate', scope);
          const recovery = await metric(ts, 'failed_deployment_recovery_time', scope);
          if (team === undefined) expect(cfr).toMatchObject({ failed: want.failed, total: want.total });
          expect(cfr.value).toBeCloseTo(want.cfr ?? Number.NaN, 10);
          expect(recovery.count).toBe(want.count);
          if (want.recovery === null) expect(recovery.value).toBeNull();
          else expect(recovery.value).toBeCloseTo(want.recovery, 6);
        }
      };
      await check(deployments, incidents);
      // More deployments arrive after the first read (the stored attributions are rebuilt for the touched repositories).
      const more = generate(seed + 1).deployments.map((d) => ({ ...d, id: `late-${d.id}` }));
      await ts.import({ format: 'teamstate.bundle/v1', deployments: more });
      await check([...deployments, ...more], incidents);
      await ts.close();
    });
  }
});
