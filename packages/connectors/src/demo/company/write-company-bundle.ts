import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BUNDLE_FORMAT, type BundleReport, type Person } from '@teamstate/core';
import type { DemoShape } from '../sync/demo-shape.js';
import { generateDemo } from '../sync/generate-demo.js';
import { issueTopics, prTopics, prVerbs } from '../sync/names.js';
import { Random } from '../sync/random.js';
import { momentOf, OFFICE_HOURS } from '../sync/working-time.js';

/**
 * The 10,000-engineer organisation of issue 23: 400 teams of 25 over one year, about 1.5 million pull requests with
 * reviews, 2 million issues with status history, 50,000 deployments, incidents, sprints, and 2.5 million daily
 * reports. Each team is the demo generator's team (same distributions), only busier.
 */
export const COMPANY_SHAPE: DemoShape = {
  teams: 400,
  peoplePerTeam: [25],
  reposPerTeam: 2,
  days: 365,
  prsPerDevWeek: 2.9,
  issuesPerDevSprint: 7.4,
  stagingPerDay: 0.1,
  productionPerDay: 0.14,
};

/** Options of {@link writeCompanyBundle}. */
export interface CompanyBundleOptions {
  /** The anchor: everything happens before the UTC midnight starting this day. */
  now: Date;
  /** PRNG seed; the same seed, fraction and day give the same file, byte for byte. Default 42. */
  seed?: number;
  /** Share of the 400 teams to generate (at least one): 0.01 is 4 teams, 100 engineers. Default 1. */
  fraction?: number;
}

/** How many records of each list a generated file holds. */
export type CompanyBundleCounts = Record<
  'teams' | 'people' | 'repositories' | 'workItems' | 'sprints' | 'deployments' | 'incidents' | 'reports',
  number
>;

// Work items before sprints: a streamed import resolves a sprint's committed items against what it already wrote.
const ORDER = ['teams', 'people', 'repositories', 'workItems', 'sprints', 'deployments', 'incidents', 'reports'] as const;
type List = (typeof ORDER)[number];

// Where a team's people mostly live (each member keeps office hours in their zone's own time, summer time included).
const ZONES: readonly string[] = [
  'Europe/Berlin',
  'Europe/London',
  'America/New_York',
  'America/Los_Angeles',
  'Asia/Kolkata',
  'Asia/Tokyo',
  'America/Sao_Paulo',
  'Australia/Sydney',
];
const DAY = 86_400_000;
const FLUSH_AT = 1 << 20;

// A list's elements, appended to its own file as JSON text, flushed a megabyte at a time.
class ListWriter {
  readonly path: string;
  count = 0;
  #fd: number;
  #buffer = '';

  constructor(path: string) {
    this.path = path;
    this.#fd = openSync(path, 'w');
  }

  add(value: unknown): void {
    this.#buffer += `${this.count++ === 0 ? '\n' : ',\n'}${JSON.stringify(value)}`;
    if (this.#buffer.length >= FLUSH_AT) this.flush();
  }

  flush(): void {
    if (this.#buffer) writeSync(this.#fd, this.#buffer);
    this.#buffer = '';
  }

  close(): void {
    this.flush();
    closeSync(this.#fd);
  }
}

/**
 * Writes the 10,000-engineer organisation (or a `fraction` of its teams) as a `teamstate.bundle/v1` JSON file,
 * streaming: one team is generated at a time, so memory stays flat whatever the size. Seeded and reproducible.
 * Returns how many records of each list it wrote.
 *
 * @example
 * writeCompanyBundle('/tmp/company.json', { now: new Date('2026-11-21T10:00:00Z'), fraction: 0.01 })
 */
export function writeCompanyBundle(file: string, options: CompanyBundleOptions): CompanyBundleCounts {
  const fraction = options.fraction ?? 1;
  if (!(fraction > 0 && fraction <= 1)) throw new RangeError(`fraction: expected a number in (0, 1], got ${fraction}`);
  const seed = options.seed ?? 42;
  const teams = Math.max(1, Math.round(COMPANY_SHAPE.teams * fraction));
  const parts = mkdtempSync(join(dirname(file), '.company-parts-'));
  try {
    const writers = Object.fromEntries(ORDER.map((list) => [list, new ListWriter(join(parts, `${list}.json`))])) as Record<
      List,
      ListWriter
    >;
    for (let team = 0; team < teams; team++) {
      const rng = new Random((seed * 7_919 + team) >>> 0);
      const home = ZONES[team % ZONES.length]!;
      const size = COMPANY_SHAPE.peoplePerTeam[team] ?? COMPANY_SHAPE.peoplePerTeam[0]!;
      // Each member's zone, drawn first: they keep office hours in their own time.
      const timeZones = Array.from({ length: size }, () => (rng.chance(0.8) ? home : rng.pick(ZONES)));
      const bundle = generateDemo({ seed }, options.now, { shape: COMPANY_SHAPE, team, timeZones });
      const { people } = bundle;
      for (const list of ORDER) {
        if (list === 'reports')
          for (const person of people) for (const report of dailyReports(person, options.now, rng)) writers.reports.add(report);
        else for (const item of list === 'people' ? people : bundle[list]) writers[list].add(item);
      }
    }
    for (const writer of Object.values(writers)) writer.close();
    const out = openSync(file, 'w');
    try {
      writeSync(out, `{"format":${JSON.stringify(BUNDLE_FORMAT)}`);
      const buffer = Buffer.alloc(FLUSH_AT);
      for (const list of ORDER) {
        writeSync(out, `,\n"${list}":[`);
        const input = openSync(writers[list].path, 'r');
        for (let read = readSync(input, buffer); read > 0; read = readSync(input, buffer)) writeSync(out, buffer, 0, read);
        closeSync(input);
        writeSync(out, '\n]');
      }
      writeSync(out, '}\n');
    } finally {
      closeSync(out);
    }
    return Object.fromEntries(ORDER.map((list) => [list, writers[list].count])) as CompanyBundleCounts;
  } finally {
    rmSync(parts, { recursive: true, force: true });
  }
}

// A report most working days of the year, written in the late afternoon of the person's local day.
function dailyReports(person: Person, now: Date, rng: Random): BundleReport[] {
  const hours = { ...OFFICE_HOURS, ...(person.timeZone ? { zone: person.timeZone } : {}) };
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const reports: BundleReport[] = [];
  for (let day = end - COMPANY_SHAPE.days * DAY; day < end; day += DAY) {
    const weekday = new Date(day).getUTCDay();
    if (weekday === 0 || weekday === 6 || !rng.chance(0.96)) continue;
    const written = momentOf(day + 17 * 3_600_000 + rng.between(0, 7_200_000), hours);
    if (written >= end) continue;
    const blocked = rng.chance(0.06);
    reports.push({
      person: person.id,
      day: new Date(day).toISOString().slice(0, 10),
      text: `- ${rng.pick(prVerbs)} ${rng.pick(prTopics)}\n- Reviewed two PRs\n- Next: ${rng.pick(issueTopics)}`,
      ...(blocked ? { blockers: `Waiting on ${rng.pick(issueTopics).toLowerCase()}` } : {}),
      createdAt: new Date(written).toISOString(),
    });
  }
  return reports;
}
