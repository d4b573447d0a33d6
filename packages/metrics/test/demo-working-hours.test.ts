import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoBundle, writeCompanyBundle } from '@teamstate/connectors/demo';
import { type Bundle, createTeamState, parseBundle } from '@teamstate/core';
import { describe, expect, it } from 'vitest';
import { builtinSignals } from '../src/index.js';

// The demo's people work in office hours (09:00-17:00 UTC, the workspace's default, Monday to Friday), except one per
// team who works late: `person.after_hours`, a wellbeing signal, has someone to find, and does not flag everyone.

const now = new Date('2026-11-21T10:30:00Z');

/** Each team's sixth member: the one who works late. */
const lateWorkers = (bundle: Bundle) => bundle.teams.map((team) => bundle.people.filter((p) => p.teams?.includes(team.id))[5]!.id).sort();

/** The person.after_hours signals of the bundle's workspace, after a refresh. */
async function afterHours(bundle: Bundle) {
  const ts = await createTeamState({ database: ':memory:', clock: () => now, signals: builtinSignals });
  try {
    await ts.import(bundle);
    await ts.signals.refresh();
    return await ts.signals.list({ kind: 'person.after_hours' });
  } finally {
    await ts.close();
  }
}

describe('the demo organisation’s working hours', () => {
  it('flags the one person per team who works late with person.after_hours, and nobody else', async () => {
    const bundle = demoBundle({ now });
    const late = await afterHours(bundle);
    expect(late.map((s) => s.subject.id).sort()).toEqual(lateWorkers(bundle));
    for (const signal of late) expect(signal.evidence.share).toBeGreaterThan(0.4);
  });

  it('puts the others’ pull requests opened, reviews and moves of their issues in office hours on weekdays', () => {
    const bundle = demoBundle({ now });
    const late = new Set(lateWorkers(bundle));
    const times: { who: string; at: string }[] = [];
    for (const item of bundle.workItems) {
      if (item.kind === 'pull_request' && item.author) times.push({ who: item.author, at: item.createdAt });
      for (const review of item.reviews ?? []) times.push({ who: review.reviewer, at: review.submittedAt });
      const assignee = item.kind === 'epic' ? undefined : item.assignees?.[0];
      if (assignee) for (const move of item.transitions ?? []) times.push({ who: assignee, at: move.at });
    }
    const outside = times.filter(({ who, at }) => {
      const when = new Date(at);
      const hour = when.getUTCHours() + when.getUTCMinutes() / 60;
      return !late.has(who) && (when.getUTCDay() % 6 === 0 || hour < 9 || hour >= 17);
    });
    expect(times.length).toBeGreaterThan(1000);
    expect(outside).toEqual([]);
  });
});

describe('the 10,000-engineer organisation’s working hours', () => {
  it('has its people keep office hours in their own time zones: person.after_hours flags one per team', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teamstate-company-hours-'));
    try {
      const file = join(dir, 'company.json');
      writeCompanyBundle(file, { now, fraction: 0.005 });
      const bundle = parseBundle(JSON.parse(readFileSync(file, 'utf8')));
      // Half a percent of it: two teams of 25 people, in five time zones.
      expect(bundle.teams.length).toBeGreaterThan(1);
      expect(new Set(bundle.people.map((p) => p.timeZone)).size).toBeGreaterThan(2);
      const late = await afterHours(bundle);
      expect(late.map((s) => s.subject.id).sort()).toEqual(lateWorkers(bundle));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
