import { createTeamState, type SignalDetector, type SignalSettings, type StoredSignal } from '@teamstate/core';
import { describe, expect, it } from 'vitest';
import { builtinSignals, personAfterHours, personBlockedStreak, personNoReports, personOverloaded } from '../src/signals/index.js';

// Wellbeing detectors over bundles with reports and activity, at an injected instant. November 2026: Berlin is UTC+1;
// 2026-11-16 is a Monday, 2026-11-20 a Friday.
const base = {
  format: 'teamstate.bundle/v1',
  teams: [
    { id: 'pay', name: 'Payments' },
    { id: 'ops', name: 'Operations' },
  ],
  people: [
    { id: 'ana', name: 'Ana', teams: ['pay'], timeZone: 'Europe/Berlin' },
    { id: 'ben', name: 'Ben', teams: ['pay'] },
    { id: 'cy', name: 'Cy', teams: ['ops'] },
    { id: 'dee', name: 'Dee', teams: ['ops'] },
  ],
  repositories: [{ id: 'acme/api', team: 'pay' }],
} as const;

const pr = (id: string, fields: Record<string, unknown> = {}) => ({
  id,
  source: 'github',
  kind: 'pull_request',
  key: `acme/api#${id}`,
  title: `PR ${id}`,
  state: 'open',
  repository: 'acme/api',
  author: 'ana',
  createdAt: '2026-11-16T09:00:00Z',
  ...fields,
});
const issue = (id: string, fields: Record<string, unknown> = {}) => ({
  id,
  source: 'jira',
  kind: 'story',
  key: id,
  title: `Issue ${id}`,
  state: 'In Progress',
  statusCategory: 'in_progress',
  team: 'pay',
  assignees: ['ana'],
  createdAt: '2026-11-02T09:00:00Z',
  ...fields,
});
const report = (person: string, day: string, blockers?: string) => ({
  person,
  day,
  text: `Worked on things on ${day}.`,
  ...(blockers ? { blockers } : {}),
  createdAt: `${day}T16:00:00Z`,
});

/** Open signals of detectors over a bundle at an instant (a fresh database each call). */
async function detect(detectors: SignalDetector | SignalDetector[], data: Record<string, unknown>, now: string, settings?: SignalSettings) {
  const ts = await createTeamState({
    database: ':memory:',
    signals: [detectors].flat(),
    signalSettings: settings,
    clock: () => new Date(now),
  });
  await ts.import({ ...base, ...data });
  await ts.signals.refresh();
  const found = await ts.signals.list();
  await ts.close();
  return found;
}
const subjects = (signals: StoredSignal[]) => signals.map((s) => s.subject.id).sort();

describe('person.after_hours', () => {
  // The same 20 activities for a person: PRs opened, reviews of others' PRs and issues moved. Times are UTC.
  const activity = (person: string) => {
    const other = person === 'ana' ? 'ben' : 'ana';
    const opened = [
      // 10 inside 09:00-17:00 in Berlin and in UTC (10:00 Berlin)
      ...['09', '10', '11', '12', '13', '16', '17', '18', '19', '20'].map((d) => `2026-11-${d}T09:00:00Z`),
      '2026-11-14T10:00:00Z', // a Saturday
      '2026-11-15T10:00:00Z', // a Sunday
      '2026-11-10T16:30:00Z', // 17:30 in Berlin, 16:30 in UTC
      '2026-11-11T20:00:00Z',
      '2026-11-12T21:00:00Z',
      '2026-11-16T07:30:00Z', // 08:30 in Berlin
      '2026-11-02T22:00:00Z', // before the 14 days
    ];
    return {
      workItems: [
        ...opened.map((createdAt, i) => pr(`${person}-${i}`, { author: person, createdAt })),
        pr(`${other}-reviewed`, {
          author: other,
          createdAt: '2026-11-16T09:00:00Z',
          reviews: [
            { reviewer: person, state: 'commented', submittedAt: '2026-11-17T12:00:00Z' },
            { reviewer: person, state: 'approved', submittedAt: '2026-11-17T19:00:00Z' },
          ],
        }),
        issue(`${person}-story`, {
          assignees: [person],
          transitions: [
            { at: '2026-11-18T22:00:00Z', from: 'To Do', to: 'In Progress', fromCategory: 'todo', toCategory: 'in_progress' },
            { at: '2026-11-19T05:00:00Z', from: 'In Progress', to: 'Review', fromCategory: 'in_progress', toCategory: 'in_progress' },
          ],
        }),
      ],
    };
  };
  const now = '2026-11-20T18:00:00Z';

  it("counts activity outside the person's working hours (their time zone) or on weekends over 14 days, in a kind title", async () => {
    const [signal, ...rest] = await detect(personAfterHours, activity('ana'), now);
    expect(rest).toEqual([]);
    expect(signal).toMatchObject({
      kind: 'person.after_hours',
      severity: 'info',
      subject: { type: 'person', id: 'ana' },
      team: 'pay',
      title: 'Ana may be working late: 9 of 20 activities outside 09:00-17:00 Europe/Berlin in the last 14 days',
      evidence: { person: 'ana', activities: 20, outside: 9, weekend: 2, days: 14, timeZone: 'Europe/Berlin', share: 0.45, threshold: 0.3 },
    });
  });

  it('reads the hours in the time zone of each person (UTC without one) and fires only above the share', async () => {
    const both = { workItems: [...activity('ana').workItems, ...activity('ben').workItems] };
    // Each also opened the PR the other reviewed: Ana 9 of 21 (43%); Ben, in UTC, 8 of 21 (38%: 16:30 UTC is inside his hours).
    expect(subjects(await detect(personAfterHours, both, now))).toEqual(['ana', 'ben']);
    const share = { thresholds: { 'person.after_hours': { share: 0.4 } } };
    const [signal, ...rest] = await detect(personAfterHours, both, now, share);
    expect(rest).toEqual([]);
    expect(signal).toMatchObject({ subject: { id: 'ana' } });
    // A team's own threshold, and too few activities to say anything.
    expect(await detect(personAfterHours, both, now, { teams: { pay: { 'person.after_hours': { share: 0.5 } } } })).toEqual([]);
    expect(await detect(personAfterHours, both, now, { thresholds: { 'person.after_hours': { minActivities: 22 } } })).toEqual([]);
  });

  it("reads each person's window as their team sets it, longer or shorter than everyone's", async () => {
    // 20 days: the PR opened on the 2nd (22:00, outside) counts too: 10 of 21.
    const longer = await detect(personAfterHours, activity('ana'), now, { teams: { pay: { 'person.after_hours': { days: 20 } } } });
    expect(longer.map((s) => s.evidence)).toEqual([expect.objectContaining({ activities: 21, outside: 10, days: 20 })]);
    // 3 days (from the 17th, 18:00): the late review, the two late moves and the PRs of the 18th to 20th: 3 of 6.
    const shorter = await detect(personAfterHours, activity('ana'), now, {
      teams: { pay: { 'person.after_hours': { days: 3, minActivities: 1 } } },
    });
    expect(shorter.map((s) => s.evidence)).toEqual([expect.objectContaining({ activities: 6, outside: 3, days: 3 })]);
  });

  it("counts every move of an item once for each of its assignees, and never a pull request's moves", async () => {
    const late = (day: string) => `2026-11-${day}T22:00:00Z`;
    const moves = (days: string[]) =>
      days.map((day, i) => ({ at: late(day), from: `S${i}`, to: `S${i + 1}`, fromCategory: 'in_progress', toCategory: 'in_progress' }));
    const data = {
      workItems: [
        // Ana and Ben share one story moved late four times, and each has one more story moved late once.
        issue('shared', { assignees: ['ana', 'ben'], transitions: moves(['16', '17', '18', '19']) }),
        issue('ana-own', { assignees: ['ana'], transitions: moves(['18']) }),
        issue('ben-own', { assignees: ['ben'], transitions: moves(['19']) }),
        // A pull request's status history is not an issue moved: it never counts, for its author or its assignee.
        pr('pr-moved', { author: 'ben', assignees: ['ana'], createdAt: '2026-11-01T09:00:00Z', transitions: moves(['16', '17', '18']) }),
      ],
    };
    const found = await detect(personAfterHours, data, now, { thresholds: { 'person.after_hours': { minActivities: 5 } } });
    expect(found.map((s) => [s.subject.id, s.evidence.activities, s.evidence.outside])).toEqual([
      ['ana', 5, 5],
      ['ben', 5, 5],
    ]);
  });

  it('reads a person id with separators and quotes in it as that id (the activity is handed over as packed text)', async () => {
    const id = 'ops;on-call,"lead"\n1';
    const own = activity('ana').workItems.map((item) =>
      JSON.parse(JSON.stringify(item).replaceAll('"ana', `"${JSON.stringify(id).slice(1, -1)}`)),
    );
    const people = [...base.people, { id, name: 'Odd', teams: ['ops'], timeZone: 'Europe/Berlin' }];
    const found = await detect(personAfterHours, { people, workItems: own }, now);
    expect(found.map((s) => [s.subject.id, s.evidence.activities, s.evidence.outside, s.evidence.weekend])).toEqual([[id, 20, 9, 2]]);
  });

  it('follows the working week of the workspace', async () => {
    const late = { thresholds: {}, workingHours: { start: 8, end: 20 } };
    // 17:30 and 08:30 in Berlin are inside 08:00-20:00, which leaves 7 of 20 (20:00 itself is outside).
    const [signal] = await detect(personAfterHours, activity('ana'), now, late);
    expect(signal).toMatchObject({ evidence: { outside: 7 }, title: expect.stringContaining('outside 08:00-20:00 Europe/Berlin') });
  });
});

describe('person.no_reports', () => {
  const daily = (person: string, days: string[]) => days.map((day) => report(person, day));
  const week = ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20'];

  it('fires after N working days without a report, in a team that writes them', async () => {
    const data = { reports: [...daily('ben', week), ...daily('ana', ['2026-11-16'])] };
    const [signal, ...rest] = await detect(personNoReports, data, '2026-11-20T18:00:00Z');
    expect(rest).toEqual([]);
    expect(signal).toMatchObject({
      kind: 'person.no_reports',
      severity: 'info',
      subject: { type: 'person', id: 'ana' },
      team: 'pay',
      title: 'No daily report from Ana for 3 working days (the last was for 2026-11-16)',
      evidence: { person: 'ana', workingDays: 3, threshold: 3, lastReportDay: '2026-11-16' },
    });
    // Two working days (Wednesday and Thursday) are not three.
    expect(
      await detect(personNoReports, { reports: [...daily('ben', week), ...daily('ana', ['2026-11-17'])] }, '2026-11-20T18:00:00Z'),
    ).toEqual([]);
    // A report filed today counts.
    expect(
      await detect(
        personNoReports,
        { reports: [...daily('ben', week), ...daily('ana', ['2026-11-16', '2026-11-20'])] },
        '2026-11-20T18:00:00Z',
      ),
    ).toEqual([]);
  });

  it('skips weekends, names someone who never wrote one, and leaves teams that do not write reports alone', async () => {
    // Monday: Friday, Thursday and Wednesday are the last three working days.
    const monday = '2026-11-23T12:00:00Z';
    expect(await detect(personNoReports, { reports: [...daily('ben', week), ...daily('ana', ['2026-11-18'])] }, monday)).toEqual([]);
    const [never] = await detect(personNoReports, { reports: daily('ben', week) }, monday);
    expect(never).toMatchObject({
      subject: { id: 'ana' },
      title: 'No daily report from Ana on record; their team writes them',
      evidence: { lastReportDay: null, workingDays: null },
    });
    // Operations (Cy, Dee) has filed no report in the last 14 days: nobody there is expected to.
    expect(subjects(await detect(personNoReports, { reports: [...daily('ben', week), ...daily('cy', ['2026-11-02'])] }, monday))).toEqual([
      'ana',
    ]);
    // Tuesday to Friday after Ana's last report (Monday the 16th) are 4 working days; a threshold of 5 waits.
    const four = { reports: [...daily('ben', week), ...daily('ana', ['2026-11-16'])] };
    expect(await detect(personNoReports, four, monday)).toMatchObject([{ evidence: { workingDays: 4 } }]);
    expect(await detect(personNoReports, four, monday, { thresholds: { 'person.no_reports': { workingDays: 5 } } })).toEqual([]);
  });

  it('counts the working days between the last report and today however few the calendar days (thresholds 0 to 2)', async () => {
    const monday = '2026-11-23T12:00:00Z';
    const thursday = { reports: [...daily('ben', week), ...daily('ana', ['2026-11-19'])] };
    const at = (workingDays: number, data = thursday) =>
      detect(personNoReports, data, monday, { thresholds: { 'person.no_reports': { workingDays } } });
    // Thursday's report, on Monday: Friday is the one working day without one (the weekend is not).
    expect(await at(1)).toMatchObject([{ subject: { id: 'ana' }, evidence: { workingDays: 1, threshold: 1, since: '2026-11-20' } }]);
    expect(await at(2)).toEqual([]);
    // Friday's report, on Monday: no working day without one; a threshold of 0 still names anyone without one today.
    const friday = { reports: [...daily('ben', week), ...daily('ana', ['2026-11-20'])] };
    expect(await at(1, friday)).toEqual([]);
    expect(subjects(await at(0, friday))).toEqual(['ana', 'ben']);
  });
});

describe('person.blocked_streak', () => {
  it('fires when blockers were reported N working days running, up to the latest working day', async () => {
    const data = {
      reports: [
        report('ben', '2026-11-17', 'Waiting on the vendor sandbox'),
        report('ben', '2026-11-18', 'Still waiting on the vendor'),
        report('ben', '2026-11-19', 'Vendor'),
        report('ana', '2026-11-18', 'Vendor'),
        report('ana', '2026-11-19', 'Vendor'),
      ],
    };
    // Friday evening, no Friday report yet: Tuesday to Thursday count.
    const [signal, ...rest] = await detect(personBlockedStreak, data, '2026-11-20T18:00:00Z');
    expect(rest).toEqual([]);
    expect(signal).toMatchObject({
      kind: 'person.blocked_streak',
      severity: 'info',
      subject: { type: 'person', id: 'ben' },
      team: 'pay',
      title: 'Ben has reported blockers 3 working days running (since 2026-11-17)',
      evidence: { person: 'ben', workingDays: 3, threshold: 3, since: '2026-11-17', days: ['2026-11-17', '2026-11-18', '2026-11-19'] },
    });
    // A Friday report without blockers ends the streak; so does a working day without a report.
    expect(await detect(personBlockedStreak, { reports: [...data.reports, report('ben', '2026-11-20')] }, '2026-11-20T18:00:00Z')).toEqual(
      [],
    );
    expect(
      await detect(personBlockedStreak, { reports: data.reports.filter((r) => r.day !== '2026-11-18') }, '2026-11-20T18:00:00Z'),
    ).toEqual([]);
  });

  it('counts working days across a weekend, and a streak that ended days ago is not news', async () => {
    const data = {
      reports: [report('ben', '2026-11-13', 'Vendor'), report('ben', '2026-11-16', 'Vendor'), report('ben', '2026-11-17', 'Vendor')],
    };
    expect(subjects(await detect(personBlockedStreak, data, '2026-11-17T18:00:00Z'))).toEqual(['ben']);
    expect(await detect(personBlockedStreak, data, '2026-11-19T18:00:00Z')).toEqual([]);
    expect(
      await detect(personBlockedStreak, data, '2026-11-17T18:00:00Z', { teams: { pay: { 'person.blocked_streak': { workingDays: 4 } } } }),
    ).toEqual([]);
  });
});

describe('person.overloaded', () => {
  // Ana: 3 stories in progress and 2 open PRs (5 in progress), 4 open PRs of Ben she is reviewing.
  const load = (lastReview: 'commented' | 'approved') => ({
    workItems: [
      issue('PAY-1'),
      issue('PAY-2'),
      issue('PAY-3'),
      issue('PAY-4', { state: 'Done', statusCategory: 'done', resolvedAt: '2026-11-10T09:00:00Z' }),
      pr('1'),
      pr('2'),
      pr('3', { draft: true }),
      ...['10', '11', '12', '13'].map((id, i) =>
        pr(id, {
          author: 'ben',
          reviews: [
            { reviewer: 'ana', state: 'changes_requested', submittedAt: '2026-11-17T10:00:00Z' },
            { reviewer: 'ana', state: i === 0 ? lastReview : 'commented', submittedAt: '2026-11-18T10:00:00Z' },
          ],
        }),
      ),
      pr('14', {
        author: 'ben',
        state: 'merged',
        mergedAt: '2026-11-18T12:00:00Z',
        reviews: [{ reviewer: 'ana', state: 'commented', submittedAt: '2026-11-17T10:00:00Z' }],
      }),
    ],
  });

  it('fires when work in progress plus pending reviews is above the limit', async () => {
    const [signal, ...rest] = await detect(personOverloaded, load('commented'), '2026-11-20T12:00:00Z');
    expect(rest).toEqual([]);
    expect(signal).toMatchObject({
      kind: 'person.overloaded',
      severity: 'info',
      subject: { type: 'person', id: 'ana' },
      team: 'pay',
      title: 'Ana may be stretched thin: 5 items in progress and 4 reviews pending (limit 8 together)',
      evidence: {
        person: 'ana',
        inProgress: 5,
        pendingReviews: 4,
        limit: 8,
        items: ['PAY-1', 'PAY-2', 'PAY-3', 'acme/api#1', 'acme/api#2'],
        reviews: ['acme/api#10', 'acme/api#11', 'acme/api#12', 'acme/api#13'],
      },
    });
    // An approved PR is no longer pending her review: 8 is not above 8.
    expect(await detect(personOverloaded, load('approved'), '2026-11-20T12:00:00Z')).toEqual([]);
    expect(
      await detect(personOverloaded, load('commented'), '2026-11-20T12:00:00Z', { thresholds: { 'person.overloaded': { limit: 9 } } }),
    ).toEqual([]);
  });

  it('counts a key once per kind of load, and compares someone in several teams with the limit of their first team', async () => {
    // A second issue in progress under the key PAY-1: still 5 items and 4 reviews, not above 8.
    const repeated = load('commented');
    expect(
      await detect(
        personOverloaded,
        { ...repeated, workItems: [...repeated.workItems, issue('PAY-1b', { key: 'PAY-1' })] },
        '2026-11-20T12:00:00Z',
      ),
    ).toMatchObject([{ evidence: { inProgress: 5, pendingReviews: 4, items: ['PAY-1', 'PAY-2', 'PAY-3', 'acme/api#1', 'acme/api#2'] } }]);
    // Ana in ops and pay: ops (the first by id) has a limit of 6, below the default and below her 8 (approved: 5 + 3).
    const data = { ...load('approved'), people: base.people.map((p) => (p.id === 'ana' ? { ...p, teams: ['pay', 'ops'] } : p)) };
    expect(await detect(personOverloaded, data, '2026-11-20T12:00:00Z')).toEqual([]);
    expect(
      await detect(personOverloaded, data, '2026-11-20T12:00:00Z', { teams: { ops: { 'person.overloaded': { limit: 6 } } } }),
    ).toMatchObject([
      {
        subject: { id: 'ana' },
        team: 'ops',
        title: 'Ana may be stretched thin: 5 items in progress and 3 reviews pending (limit 6 together)',
      },
    ]);
  });

  it("compares each person with their own team's limit, not the lowest of any team", async () => {
    // ops' limit is 6. Cy (ops) carries 7: above it. Ana (pay) carries 8 (approved: 5 + 3): above 6, the lowest, but
    // not above pay's 8.
    const data = load('approved');
    const cy = Array.from({ length: 7 }, (_, i) => issue(`OPS-${i + 1}`, { team: 'ops', assignees: ['cy'] }));
    const found = await detect(personOverloaded, { ...data, workItems: [...data.workItems, ...cy] }, '2026-11-20T12:00:00Z', {
      teams: { ops: { 'person.overloaded': { limit: 6 } } },
    });
    expect(found).toMatchObject([{ subject: { id: 'cy' }, team: 'ops', evidence: { inProgress: 7, pendingReviews: 0, limit: 6 } }]);
  });
});

describe('wellbeing detectors', () => {
  it('are registered in builtinSignals and marked as wellbeing', () => {
    const kinds = ['person.after_hours', 'person.no_reports', 'person.blocked_streak', 'person.overloaded', 'person.oncall_load'];
    for (const kind of kinds) expect(builtinSignals.find((d) => d.kind === kind)).toMatchObject({ wellbeing: true });
    expect(builtinSignals.filter((d) => d.wellbeing).map((d) => d.kind)).toEqual(kinds);
  });

  it('say in their definitions that they are prompts for a conversation, never a score', () => {
    for (const detector of [personAfterHours, personNoReports, personBlockedStreak, personOverloaded])
      expect(detector.description).toMatch(/conversation/);
  });
});
