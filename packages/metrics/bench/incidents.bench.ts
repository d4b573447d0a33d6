// `pnpm bench incidents`: ts.incidents.brief (what MCP incident_brief answers) on the 10,000-engineer organisation.
// Its bundle is the scale bench's (writeCompanyBundle, seed 42, cached in the temp folder); TEAMSTATE_SCALE=0.1 builds a
// tenth of the teams, TEAMSTATE_SCALE_DATABASE=<file> reuses a database imported before (a copy is measured). On top
// of the company's incidents it adds PagerDuty-style ones, each of a team's service 40 minutes after one of the team's
// production deployments, and every team's on-call shifts (a weekly rotation over 13 weeks, and each paged service's
// own), then briefs every incident of the last 30 days (at most 200), each three times, and reports p50 and p99
// (target p99 < 500 ms). Figures, not pass/fail.
import { copyFileSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCompanyBundle } from '@teamstate/connectors/demo';
import { createTeamState } from '@teamstate/core';
import { NOW } from './large-demo.js';

interface BenchReport {
  section(title: string): void;
  figure(name: string, value: number, unit: string, note?: string): void;
}

const SEED = 42;
const DAY = 86_400_000;

/** Linear interpolation between closest ranks (numpy's default). */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (sorted.length - 1) * p;
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

export async function run(report: BenchReport): Promise<void> {
  const fraction = Number(process.env.TEAMSTATE_SCALE ?? 1);
  const dir = mkdtempSync(join(tmpdir(), 'teamstate-bench-incidents-'));
  try {
    report.section(`incidents: incident_brief on the 10,000-engineer organisation × ${fraction} (seed ${SEED})`);
    const database = join(dir, 'teamstate.db');
    const given = process.env.TEAMSTATE_SCALE_DATABASE;
    if (given) copyFileSync(given, database);
    const ts = await createTeamState({ database: `file:${database}`, clock: () => NOW });
    try {
      if (!given) {
        const file = join(tmpdir(), `teamstate-incidents-bench-${SEED}-${fraction}-${NOW.toISOString().slice(0, 10)}.json`);
        if (!existsSync(file)) {
          writeCompanyBundle(`${file}.${process.pid}.tmp`, { now: NOW, seed: SEED, fraction });
          renameSync(`${file}.${process.pid}.tmp`, file);
        }
        const started = performance.now();
        await ts.importFile(file);
        report.figure('import the organisation', (performance.now() - started) / 1000, 's');
      }
      // PagerDuty-style incidents: one per team with a production deployment in the last 30 days.
      const { rows } = await ts.store.execute(
        `SELECT r.team_id AS team, d.repository_id AS repository, max(d.finished_at) AS at FROM deployments d
          JOIN repositories r ON r.workspace = d.workspace AND r.id = d.repository_id
          WHERE d.environment = 'production' AND d.finished_at >= ? AND r.team_id IS NOT NULL GROUP BY r.team_id ORDER BY r.team_id LIMIT 200`,
        [NOW.getTime() - 30 * DAY],
      );
      await ts.import({
        format: 'teamstate.bundle/v1',
        incidents: rows.map((row, n) => {
          const at = Number(row.at) + 40 * 60_000;
          return {
            id: `pd-bench-${n}`,
            title: `${String(row.repository).split('/')[1]} error rate above 5%`,
            source: 'pagerduty',
            service: String(row.repository).split('/')[1]!,
            team: String(row.team),
            status: 'resolved' as const,
            urgency: 'high' as const,
            createdAt: new Date(at).toISOString(),
            acknowledgedAt: new Date(at + 3 * 60_000).toISOString(),
            resolvedAt: new Date(at + 50 * 60_000).toISOString(),
            timeline: [
              { at: new Date(at).toISOString(), kind: 'triggered' as const },
              { at: new Date(at + 3 * 60_000).toISOString(), kind: 'acknowledged' as const },
              { at: new Date(at + 50 * 60_000).toISOString(), kind: 'resolved' as const },
            ],
          };
        }),
      });
      // Who is on call: every team's weekly rotation over the last 13 weeks (its members in turn), and for each paged
      // service its own weekly shifts with a second level without bounds, as the PagerDuty connector stores them.
      const { rows: teams } = await ts.store.execute(
        `SELECT team_id AS team, group_concat(person_id, ' ') AS people FROM
          (SELECT team_id, person_id FROM memberships ORDER BY team_id, person_id) GROUP BY team_id ORDER BY team_id`,
      );
      const membersOf = new Map(teams.map((row) => [String(row.team), String(row.people).split(' ')]));
      const WEEK = 7 * DAY;
      const firstWeek = NOW.getTime() - (NOW.getTime() % WEEK) - 13 * WEEK;
      const weekly = (team: string, people: string[], extra: { escalationPolicy: string; service?: string }) =>
        Array.from({ length: 14 }, (_, week) => ({
          source: 'pagerduty',
          level: 1,
          schedule: `${extra.escalationPolicy}-primary`,
          team,
          person: people[week % people.length]!,
          start: new Date(firstWeek + week * WEEK).toISOString(),
          end: new Date(firstWeek + (week + 1) * WEEK).toISOString(),
          ...extra,
        }));
      const oncalls = [
        ...[...membersOf].flatMap(([team, people]) => weekly(team, people, { escalationPolicy: `team-${team}` })),
        ...rows.flatMap((row) => {
          const team = String(row.team);
          const people = membersOf.get(team) ?? [];
          const service = String(row.repository).split('/')[1]!;
          if (people.length === 0) return [];
          return [
            ...weekly(team, [...people].reverse(), { escalationPolicy: `service-${service}`, service }),
            { source: 'pagerduty', escalationPolicy: `service-${service}`, level: 2, service, team, person: people[0]! },
          ];
        }),
      ];
      await ts.import({ format: 'teamstate.bundle/v1', oncalls });
      report.figure('on-call shifts', oncalls.length, 'shifts');
      const recent = await ts.incidents.summaries({ limit: 200 });
      const ids = recent.filter((i) => Date.parse(i.createdAt) >= NOW.getTime() - 30 * DAY).map((i) => i.id);
      await ts.incidents.brief(ids[0]!); // warm the page cache
      const times: number[] = [];
      let suspects = 0;
      let timeline = 0;
      let oncall = 0;
      for (let round = 0; round < 3; round++)
        for (const id of ids) {
          const started = performance.now();
          const brief = await ts.incidents.brief(id);
          times.push(performance.now() - started);
          suspects += brief.suspects.length;
          timeline += brief.timeline.length;
          oncall += brief.oncall.length;
        }
      report.figure('incidents briefed', ids.length, 'incidents', `3 rounds, load average ${loadavg()[0]!.toFixed(1)}`);
      report.figure('incident_brief p50', percentile(times, 0.5), 'ms');
      report.figure('incident_brief p99', percentile(times, 0.99), 'ms', 'target < 500 ms');
      report.figure('suspects per brief (mean)', suspects / times.length, 'deployments');
      report.figure('timeline entries per brief (mean)', timeline / times.length, 'entries');
      report.figure('on call per brief (mean)', oncall / times.length, 'people');
    } finally {
      await ts.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
