import { isWithinWorkingHours, type SignalDetector, timeZoneOffset } from '@teamstate/core';
import { columns, integer, nullable, sql, text } from '@teamstate/core/store';
import { num } from './sql.js';
import { WELLBEING_NOTE } from './wellbeing.js';

const DAY = 86_400_000;

const pageRows = columns({ person: text, name: text, team: nullable(text), zone: nullable(text), at: integer });

/** Nearest-rank percentile of `values` (sorted ascending). */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * Someone carrying the pager too hard: at least `sleepPages` pages between 22:00 and 07:00 in their own zone in the last
 * `days` days, or more pages in the last `windowDays` than the 90th percentile of their teammates on call. A page is
 * an incident opened on a service while the person was its first-level on-call (`teamstate oncall` counts the same).
 */
export const personOncallLoad: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'person.oncall_load',
  title: 'Heavy on-call load',
  description: `At least \`sleepPages\` pages between 22:00 and 07:00 in the person’s time zone in the last \`days\` days, or more pages in the last \`windowDays\` days than the 90th percentile of their teammates on first-level call (a page: an incident opened on a service while they were its first-level on-call). ${WELLBEING_NOTE}`,
  defaults: { sleepPages: 2, days: 7, windowDays: 28 },
  wellbeing: true,
  incremental: { reads: ['people', 'memberships', 'incidents'], drivenBy: 'time' },
  async detect(db, ctx) {
    const now = ctx.now.getTime();
    const w = ctx.workspace;
    const settings = ctx.settings();
    const windowDays = num(settings.windowDays);
    const from = now - windowDays * DAY;
    // Each first-level shift's pages through the incidents' service index: a walk of the workspace's shifts (few) and a
    // range of each service's incidents.
    const pages = await db.all(
      pageRows,
      sql`SELECT o.person_id AS person, p.name, (SELECT min(m.team_id) FROM memberships m WHERE m.workspace = o.workspace AND m.person_id = o.person_id) AS team,
            p.time_zone AS zone, i.created_at AS at
          FROM oncalls o
          JOIN incidents i INDEXED BY incidents_service_created_idx ON i.workspace = o.workspace AND i.service = o.service
            AND i.created_at >= max(o.start_at, ${from}) AND i.created_at < ${now} AND (o.end_at IS NULL OR i.created_at < o.end_at)
          JOIN people p ON p.workspace = o.workspace AND p.id = o.person_id
          WHERE o.workspace = ${w} AND o.level = 1 AND o.service <> '' AND o.start_at < ${now} AND (o.end_at IS NULL OR o.end_at > ${from})
          GROUP BY o.person_id, i.id`,
    );
    const byPerson = new Map<string, { name: string; team: string | null; total: number; sleep: number; afterHours: number }>();
    for (const page of pages) {
      const days = num(ctx.settings(page.team ?? undefined).days);
      const entry = byPerson.get(page.person) ?? { name: page.name, team: page.team, total: 0, sleep: 0, afterHours: 0 };
      entry.total++;
      const zone = page.zone ?? ctx.workingHours.timeZone;
      const hour = new Date(page.at + timeZoneOffset(zone, page.at)).getUTCHours();
      if (page.at >= now - days * DAY && (hour >= 22 || hour < 7)) entry.sleep++;
      if (!isWithinWorkingHours(page.at, { ...ctx.workingHours, timeZone: zone })) entry.afterHours++;
      byPerson.set(page.person, entry);
    }
    // Each person is compared with their teammates on call (themselves left out: with a few people, the 90th percentile of
    // a team including them is their own count).
    const teammates = (id: string, team: string | null) =>
      [...byPerson]
        .filter(([other, p]) => other !== id && team !== null && p.team === team)
        .map(([, p]) => p.total)
        .sort((a, b) => a - b);
    return [...byPerson]
      .sort(([a], [b]) => a.localeCompare(b))
      .flatMap(([id, p]) => {
        const s = ctx.settings(p.team ?? undefined);
        const others = teammates(id, p.team);
        const p90 = percentile(others, 90);
        const sleepy = p.sleep >= num(s.sleepPages);
        const heavy = others.length >= 2 && p.total > p90;
        if (!sleepy && !heavy) return [];
        return [
          {
            severity: 'warning' as const,
            subject: { type: 'person' as const, id },
            ...(p.team ? { team: p.team } : {}),
            title: sleepy
              ? `${p.name} was paged ${p.sleep} times in sleep hours in the last ${num(s.days)} days`
              : `${p.name} took ${p.total} pages in ${windowDays} days, more than most of their team's on-call`,
            evidence: {
              person: id,
              pages: p.total,
              sleepHoursPages: p.sleep,
              afterHoursPages: p.afterHours,
              teamP90: p90,
              windowDays,
              days: num(s.days),
            },
          },
        ];
      });
  },
};
