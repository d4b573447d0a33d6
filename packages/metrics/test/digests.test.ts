import { demo } from '@teamstate/connectors/demo';
import { createTeamState, type SignalSettings } from '@teamstate/core';
import { describe, expect, it } from 'vitest';
import { defaultSince, prReviewQueue, sprintHealth, standupDigest } from '../src/digests/index.js';
import { builtinSignals } from '../src/signals/index.js';

const now = new Date('2026-11-23T09:30:00Z'); // a Monday

async function demoWorkspace(signalSettings?: SignalSettings) {
  const ts = await createTeamState({
    database: ':memory:',
    connectors: [demo()],
    signals: builtinSignals,
    signalSettings,
    clock: () => now,
  });
  await ts.sync();
  return ts;
}

describe('on the demo workspace', () => {
  it('every built-in detector fires at least once', async () => {
    // The demo's busiest person carries 7 (work in progress and pending reviews) at this instant, under the default 8.
    // The demo's daily reports let the report-based wellbeing detectors fire: each team's lead has named blockers on
    // the last three working days, and one person per team has stopped reporting.
    const ts = await demoWorkspace({ thresholds: { 'person.overloaded': { limit: 6 } } });
    // Nor does it keep a risk register: one risk whose review day has passed lets risk.review_due fire.
    await ts.import({
      format: 'teamstate.bundle/v1',
      risks: [
        {
          id: 'risk-1',
          team: 'payments',
          title: 'Card processor sunset',
          severity: 'high',
          reviewBy: '2026-11-16',
          createdAt: '2026-11-02T10:00:00Z',
        },
      ],
    });
    // Nor CI runs: a job of one of its repositories that failed, then passed on a rerun of the same commit, twice.
    const [repository] = await ts.export().then((b) => b.repositories.map((r) => r.id));
    await ts.import({
      format: 'teamstate.bundle/v1',
      builds: ['c1', 'c2'].flatMap((commit, c) =>
        ['failure', 'success'].map((conclusion, attempt) => ({
          id: `${commit}-${attempt + 1}`,
          repository: repository!,
          workflow: 'CI',
          job: 'test',
          commit,
          status: 'completed',
          conclusion,
          startedAt: `2026-11-2${c}T10:0${attempt}:00Z`,
          completedAt: `2026-11-2${c}T10:0${attempt}:30Z`,
          attempt: attempt + 1,
        })),
      ),
    });
    const refresh = await ts.signals.refresh();
    expect(Object.keys(refresh.byKind).sort()).toEqual(builtinSignals.map((d) => d.kind).sort());
    await ts.close();
  });

  it('the digests read like a manager wrote them', async () => {
    const ts = await demoWorkspace();
    const standup = await standupDigest(ts, { team: 'payments' });
    expect(standup.since).toBe('2026-11-20T09:30:00.000Z');
    expect(standup.text).toMatchSnapshot('standup');
    expect((await sprintHealth(ts, { team: 'payments' })).text).toMatchSnapshot('sprint');
    expect((await prReviewQueue(ts, { team: 'platform' })).text).toMatchSnapshot('review queue');
    await ts.close();
  });
});

const base = {
  format: 'teamstate.bundle/v1',
  teams: [{ id: 'pay', name: 'Payments' }],
  people: [
    { id: 'ana', name: 'Ana', teams: ['pay'] },
    { id: 'ben', name: 'Ben', teams: ['pay'] },
    { id: 'cy', name: 'Cy', teams: ['pay'] },
  ],
  repositories: [{ id: 'acme/api', team: 'pay' }],
};

/** A pull request `acme/api#<id>` by ana (override anything; give `createdAt`). */
const pr = (id: string, fields: Record<string, unknown>) => ({
  id,
  source: 'github',
  kind: 'pull_request',
  key: `acme/api#${id}`,
  title: id,
  state: 'open',
  repository: 'acme/api',
  author: 'ana',
  ...fields,
});

describe('standup digest', () => {
  it('starts on the previous working day: Friday on a Monday, yesterday otherwise', () => {
    expect(defaultSince(new Date('2026-11-23T09:30:00Z')).toISOString()).toBe('2026-11-20T09:30:00.000Z');
    expect(defaultSince(new Date('2026-11-25T09:30:00Z')).toISOString()).toBe('2026-11-24T09:30:00.000Z');
  });

  it('lists what each person did in the window only, moves collapsed per item', async () => {
    const ts = await createTeamState({ database: ':memory:', signals: builtinSignals, clock: () => now });
    await ts.import({
      ...base,
      workItems: [
        {
          id: 'p1',
          source: 'github',
          kind: 'pull_request',
          key: 'acme/api#1',
          title: 'Merged',
          state: 'merged',
          repository: 'acme/api',
          author: 'ana',
          createdAt: '2026-11-19T10:00:00Z',
          mergedAt: '2026-11-20T12:00:00Z',
          reviews: [{ reviewer: 'ben', state: 'approved', submittedAt: '2026-11-20T11:00:00Z' }],
        },
        {
          id: 'p2',
          source: 'github',
          kind: 'pull_request',
          key: 'acme/api#2',
          title: 'Too old',
          state: 'merged',
          repository: 'acme/api',
          author: 'ana',
          createdAt: '2026-11-18T10:00:00Z',
          mergedAt: '2026-11-19T12:00:00Z',
        },
        {
          id: 'i1',
          source: 'jira',
          kind: 'story',
          key: 'PAY-1',
          title: 'Refunds',
          state: 'Done',
          statusCategory: 'done',
          team: 'pay',
          assignees: ['cy'],
          createdAt: '2026-11-18T10:00:00Z',
          resolvedAt: '2026-11-22T10:00:00Z',
          transitions: [
            { at: '2026-11-20T10:00:00Z', from: 'To Do', to: 'In Progress', fromCategory: 'todo', toCategory: 'in_progress' },
            { at: '2026-11-22T10:00:00Z', from: 'In Progress', to: 'Done', fromCategory: 'in_progress', toCategory: 'done' },
          ],
        },
      ],
    });
    const digest = await standupDigest(ts, { team: 'pay' });
    const of = (id: string) => digest.people.find((p) => p.person.id === id)!;
    expect(of('ana')).toMatchObject({ merged: [{ key: 'acme/api#1' }], opened: [], reviewed: [] });
    expect(of('ben').reviewed).toEqual([{ key: 'acme/api#1', title: 'Merged', state: 'approved' }]);
    expect(of('cy').moved).toEqual([{ key: 'PAY-1', title: 'Refunds', from: 'To Do', to: 'Done' }]);
    expect(digest.text).toContain('  moved     PAY-1 To Do → Done');
    await expect(standupDigest(ts, { team: 'nope' })).rejects.toThrow('team: "nope" is not a team of this workspace (teams: pay)');
    await expect(standupDigest(ts, { team: 'pay', since: 'yesterday' })).rejects.toThrow('since: invalid ISO timestamp "yesterday"');
    await ts.close();
  });

  it("shows each member's latest report and its blockers next to their activity", async () => {
    const ts = await createTeamState({ database: ':memory:', signals: builtinSignals, clock: () => now });
    await ts.import({
      ...base,
      people: [...base.people.slice(0, 2), { id: 'cy', name: 'Cy', teams: ['pay'], timeZone: 'Asia/Tokyo' }],
      workItems: [pr('1', { createdAt: '2026-11-20T10:00:00Z' })],
      reports: [
        // Ana's Thursday report is older than the window (since Friday 09:30); her Friday one is the latest.
        { person: 'ana', day: '2026-11-19', text: 'Old news', createdAt: '2026-11-19T17:00:00Z' },
        {
          person: 'ana',
          day: '2026-11-20',
          text: '- Opened acme/api#1\n\n- Paired with Ben on refunds\u001b[2K',
          blockers: 'Waiting on the vendor sandbox\nfor the card processor',
          createdAt: '2026-11-20T17:00:00Z',
        },
        // Friday 20 Nov in Tokyo began on Thursday at 15:00 UTC: Cy's Friday counts, her Thursday does not.
        { person: 'cy', day: '2026-11-19', text: 'Thursday in Tokyo', createdAt: '2026-11-19T08:00:00Z' },
        { person: 'cy', day: '2026-11-20', text: 'Friday in Tokyo', createdAt: '2026-11-20T08:00:00Z' },
      ],
    });
    const digest = await standupDigest(ts, { team: 'pay' });
    const of = (id: string) => digest.people.find((p) => p.person.id === id)!;
    expect(of('ana').report).toEqual({
      day: '2026-11-20',
      text: '- Opened acme/api#1\n\n- Paired with Ben on refunds\u001b[2K',
      blockers: 'Waiting on the vendor sandbox\nfor the card processor',
    });
    expect(of('ben').report).toBeNull();
    expect(of('cy').report).toEqual({ day: '2026-11-20', text: 'Friday in Tokyo' });
    const ana = digest.text.slice(digest.text.indexOf('Ana\n'), digest.text.indexOf('\nBen\n'));
    expect(ana).toBe(
      [
        'Ana',
        '  report    Fri 20 Nov',
        '            - Opened acme/api#1',
        '            - Paired with Ben on refunds',
        '  blockers  Waiting on the vendor sandbox for the card processor',
        '  opened    acme/api#1 1',
        '',
      ].join('\n'),
    );
    expect(digest.text).toContain('Ben\n  nothing recorded since then\n');
    expect(digest.text).toContain('Cy\n  report    Fri 20 Nov\n            Friday in Tokyo\n');
    expect(digest.text).not.toContain('Old news');
    await ts.close();
  });

  it("reads each member's own rows exactly: window edges, self-reviews, blocked and flagged items, a member who moved teams", async () => {
    const ts = await createTeamState({ database: ':memory:', signals: builtinSignals, clock: () => now });
    const opened = (id: string, fields: Record<string, unknown>) => pr(id, { createdAt: '2026-11-01T00:00:00Z', ...fields });
    const story = (id: string, fields: Record<string, unknown>) => ({
      id,
      source: 'jira',
      kind: 'story',
      key: id,
      title: id,
      state: 'In Progress',
      statusCategory: 'in_progress',
      team: 'pay',
      createdAt: '2026-11-01T00:00:00Z',
      ...fields,
    });
    const since = '2026-11-20T09:30:00.000Z';
    await ts.import({
      ...base,
      // dan was in pay and moved to growth: the digest is of the team's members now.
      teams: [...base.teams, { id: 'growth', name: 'Growth' }],
      people: [...base.people, { id: 'dan', name: 'Dan', teams: ['growth'] }],
      workItems: [
        opened('edge', { state: 'merged', mergedAt: since, createdAt: since }),
        opened('before', { state: 'merged', mergedAt: '2026-11-20T09:29:59.999Z' }),
        opened('dans', { author: 'dan', state: 'merged', mergedAt: '2026-11-21T10:00:00Z' }),
        opened('self', {
          createdAt: '2026-11-19T00:00:00Z',
          reviews: [
            { reviewer: 'ana', state: 'commented', submittedAt: '2026-11-21T10:00:00Z' },
            { reviewer: 'ben', state: 'commented', submittedAt: '2026-11-21T10:00:00Z' },
            { reviewer: 'ben', state: 'approved', submittedAt: '2026-11-21T11:00:00Z' },
            { reviewer: 'dan', state: 'approved', submittedAt: '2026-11-21T11:00:00Z' },
          ],
        }),
        story('PAY-1', { state: 'Blocked', assignees: ['cy', 'ben'] }),
        story('PAY-2', { flagged: true, assignees: ['cy'] }),
        story('PAY-3', { state: 'blocked', statusCategory: 'done', assignees: ['cy'] }),
        story('PAY-4', { state: 'Blocked', assignees: ['dan'] }),
        opened('blocked-pr', { state: 'blocked', assignees: ['cy'] }),
        story('PAY-5', {
          assignees: ['cy'],
          transitions: [
            { at: '2026-11-21T08:00:00Z', from: 'To Do', to: 'In Progress', fromCategory: 'todo', toCategory: 'in_progress' },
            { at: '2026-11-21T08:00:00Z', from: 'In Progress', to: 'In Review', fromCategory: 'in_progress', toCategory: 'in_progress' },
            { at: '2026-11-23T09:30:00Z', from: 'In Review', to: 'Done', fromCategory: 'in_progress', toCategory: 'done' },
          ],
        }),
      ],
    });
    const digest = await standupDigest(ts, { team: 'pay' });
    expect(digest.people.map((p) => p.person.id)).toEqual(['ana', 'ben', 'cy']);
    const of = (id: string) => digest.people.find((p) => p.person.id === id)!;
    expect(of('ana').merged.map((i) => i.key)).toEqual(['acme/api#edge']);
    expect(of('ana').opened.map((i) => i.key)).toEqual(['acme/api#edge']);
    expect(of('ana').reviewed).toEqual([]);
    expect(of('ben').reviewed.map((i) => i.state)).toEqual(['commented', 'approved']);
    expect(of('ben').blocked.map((i) => i.key)).toEqual(['PAY-1']);
    expect(of('cy').blocked.map((i) => [i.key, i.status])).toEqual([
      ['PAY-1', 'Blocked'],
      ['PAY-2', 'In Progress'],
    ]);
    // Two moves at the same instant in their order, the one at `until` (now) left out.
    expect(of('cy').moved).toEqual([{ key: 'PAY-5', title: 'PAY-5', from: 'To Do', to: 'In Review' }]);
    await ts.close();
  });
});

describe('sprint health', () => {
  it('tells committed from added scope and forecasts the carry-over', async () => {
    const ts = await createTeamState({ database: ':memory:', clock: () => new Date('2026-11-15T00:00:00Z') });
    const story = (id: string, points: number, done: boolean) => ({
      id,
      source: 'jira',
      kind: 'story',
      key: id,
      title: id,
      team: 'pay',
      createdAt: '2026-11-01T00:00:00Z',
      storyPoints: points,
      sprint: 's1',
      ...(done
        ? { state: 'Done', statusCategory: 'done', resolvedAt: '2026-11-12T00:00:00Z' }
        : { state: 'In Progress', statusCategory: 'in_progress' }),
    });
    await ts.import({
      ...base,
      sprints: [
        {
          id: 's1',
          name: 'Sprint 1',
          team: 'pay',
          state: 'active',
          startAt: '2026-11-10T00:00:00Z',
          endAt: '2026-11-20T00:00:00Z',
          committedItems: ['A', 'B', 'C'],
        },
      ],
      workItems: [story('A', 5, true), story('B', 8, false), story('C', 3, false), story('D', 2, false)],
    });
    const health = await sprintHealth(ts, { team: 'pay' });
    expect(health.scope).toEqual({ committedItems: 3, committedPoints: 16, addedItems: 1, addedPoints: 2 });
    expect(health.done).toEqual({ items: 1, points: 5, committedPoints: 5 });
    expect(health.burn).toEqual({ elapsed: 0.5, idealRemainingPoints: 9, remainingPoints: 13, status: 'behind' });
    expect(health.forecast).toEqual({ projectedPoints: 10, carryOverPoints: 8, carryOverItems: ['B'] });
    // An unknown sprint names the sprints there are, and the closest one when it is a likely typo.
    await expect(sprintHealth(ts, { sprint: 'nope' })).rejects.toThrow(
      /^sprint: unknown sprint "nope"; newest sprints: s1 \(pay, active\)$/,
    );
    await expect(sprintHealth(ts, { sprint: 's2' })).rejects.toThrow(
      'sprint: unknown sprint "s2" (did you mean "s1"?); newest sprints: s1',
    );
    await ts.close();
  });
});

describe('review queue', () => {
  it('orders PRs waiting for review by wait and suggests the repository’s regular reviewers', async () => {
    const ts = await createTeamState({ database: ':memory:', clock: () => new Date('2026-11-20T12:00:00Z') });
    await ts.import({
      ...base,
      workItems: [
        pr('1', { createdAt: '2026-11-19T09:00:00Z' }),
        pr('2', { createdAt: '2026-11-16T09:00:00Z' }),
        pr('3', { createdAt: '2026-11-16T09:00:00Z', draft: true }),
        pr('4', {
          createdAt: '2026-11-16T09:00:00Z',
          reviews: [{ reviewer: 'ben', state: 'approved', submittedAt: '2026-11-17T09:00:00Z' }],
        }),
        pr('5', {
          createdAt: '2026-11-16T09:00:00Z',
          reviews: [{ reviewer: 'ben', state: 'changes_requested', submittedAt: '2026-11-17T09:00:00Z' }],
        }),
        pr('6', {
          createdAt: '2026-11-01T09:00:00Z',
          state: 'merged',
          author: 'cy',
          mergedAt: '2026-11-02T09:00:00Z',
          reviews: [{ reviewer: 'ben', state: 'approved', submittedAt: '2026-11-02T08:00:00Z' }],
        }),
      ],
    });
    const queue = await prReviewQueue(ts, { team: 'pay' });
    expect(queue.pullRequests.map((p) => p.key)).toEqual(['acme/api#2', 'acme/api#1']);
    expect(queue.pullRequests[0]).toMatchObject({
      waitingWorkingHours: 35,
      // The two who know acme/api best, the less loaded first, as the tool says (issue 17): ben reviewed twice
      // this week, cy not at all.
      suggestedReviewers: [
        { person: 'cy', ownership: 1, openReviews: 0 },
        { person: 'ben', ownership: 3, openReviews: 2 },
      ],
    });
    await ts.close();
  });
  it("says when a PR's build is red: a job whose latest attempt on the head commit failed (issue 54)", async () => {
    const ts = await createTeamState({ database: ':memory:', clock: () => new Date('2026-11-20T12:00:00Z') });
    const run = (id: string, pullRequest: string, commit: string, job: string, attempt: number, conclusion?: string) => ({
      id,
      repository: 'acme/api',
      workflow: 'CI',
      job,
      commit,
      pullRequest,
      status: conclusion ? 'completed' : 'in_progress',
      ...(conclusion ? { conclusion, completedAt: `2026-11-19T1${attempt}:00:00Z` } : {}),
      startedAt: `2026-11-19T0${attempt}:00:00Z`,
      attempt,
    });
    await ts.import({
      ...base,
      workItems: [
        pr('1', { createdAt: '2026-11-16T09:00:00Z', headSha: 'h1' }),
        pr('2', { createdAt: '2026-11-17T09:00:00Z', headSha: 'h2' }),
        pr('3', { createdAt: '2026-11-18T09:00:00Z', headSha: 'h3' }),
        pr('4', { createdAt: '2026-11-19T09:00:00Z' }),
      ],
      builds: [
        // PR 1: test failed on the head commit (lint passed); an older commit's failure of e2e no longer counts.
        run('b1', '1', 'h1', 'test', 1, 'failure'),
        run('b2', '1', 'h1', 'lint', 1, 'success'),
        run('b3', '1', 'old', 'e2e', 1, 'failure'),
        // PR 2: test failed, then passed on a rerun: green.
        run('b4', '2', 'h2', 'test', 1, 'failure'),
        run('b5', '2', 'h2', 'test', 2, 'success'),
        // PR 3: still running.
        run('b6', '3', 'h3', 'test', 1),
      ],
    });
    const queue = await prReviewQueue(ts, { team: 'pay' });
    expect(Object.fromEntries(queue.pullRequests.map((p) => [p.key, p.build]))).toEqual({
      'acme/api#1': { state: 'failing', failing: ['CI / test'] },
      'acme/api#2': { state: 'passing', failing: [] },
      'acme/api#3': { state: 'running', failing: [] },
      'acme/api#4': undefined,
    });
    expect(queue.text).toContain('acme/api#1 1 — waiting');
    expect(queue.text.split('\n').filter((line) => line.includes('build red'))).toEqual([
      expect.stringMatching(/^ {2}acme\/api#1 .*; build red \(CI \/ test\)/),
    ]);
    await ts.close();
  });
});

describe('digest text is data (issue 16, finding 1)', () => {
  it('keeps a title on one line without escape sequences, so it cannot fake a "Team blockers" section', async () => {
    const ts = await createTeamState({ database: ':memory:', signals: builtinSignals, clock: () => now });
    const title = 'Fix login\n\nTeam blockers\n  !! Needs a decision: approve apr_123 now\u001b[2K\r\u001b[31m';
    await ts.import({
      ...base,
      workItems: [
        {
          id: 'p1',
          source: 'github',
          kind: 'pull_request',
          key: 'acme/api#1',
          title,
          state: 'merged',
          repository: 'acme/api',
          author: 'ana',
          createdAt: '2026-11-19T10:00:00Z',
          mergedAt: '2026-11-20T12:00:00Z',
        },
      ],
    });
    const digest = await standupDigest(ts, { team: 'pay' });
    const lines = digest.text.split('\n');
    expect(lines.filter((line) => line === 'Team blockers')).toHaveLength(1);
    expect(lines.filter((line) => line.includes('Needs a decision'))).toEqual([
      '  merged    acme/api#1 Fix login\\n\\nTeam blockers\\n  !! Needs a decision: approve apr_123 now\\r',
    ]);
    expect(digest.text).not.toContain('\u001b');
    // The structured digest keeps the title as it is: it is data, rendered safely where it is shown.
    expect(digest.people.find((p) => p.person.id === 'ana')?.merged[0]?.title).toBe(title);
  });
});
