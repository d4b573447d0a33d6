import { createTeamState, lastScheduledAt, leaderboardText, type TeamState, type WorkItem } from '@teamstate/core';
import { afterEach, describe, expect, it } from 'vitest';

// ts.leaderboard(): the allowed measures only, the top people per measure, opt-outs left out.

let ts: TeamState | undefined;
afterEach(async () => {
  await ts?.close();
  ts = undefined;
});

const pr = (n: number, author: string, mergedAt: string, reviewers: string[]): WorkItem => ({
  id: `pr-${n}`,
  source: 'github',
  kind: 'pull_request',
  key: `acme/api#${n}`,
  title: `Change ${n}`,
  state: 'merged',
  repository: 'acme/api',
  author,
  createdAt: '2026-03-02T08:00:00Z',
  mergedAt,
  reviews: reviewers.map((reviewer, i) => ({ reviewer, state: 'approved' as const, submittedAt: `2026-03-0${3 + i}T10:00:00Z` })),
});

async function open(options: Parameters<typeof createTeamState>[0] = {}): Promise<TeamState> {
  ts = await createTeamState({ database: ':memory:', clock: () => new Date('2026-03-09T09:00:00Z'), ...options });
  await ts.import({
    format: 'teamstate.bundle/v1',
    people: ['ana', 'ben', 'cy', 'dee'].map((id) => ({ id, name: id[0]!.toUpperCase() + id.slice(1) })),
    repositories: [{ id: 'acme/api' }],
    workItems: [
      pr(1, 'ana', '2026-03-05T12:00:00Z', ['ben', 'cy']),
      pr(2, 'ana', '2026-03-06T12:00:00Z', ['ben']),
      pr(3, 'cy', '2026-03-06T13:00:00Z', ['dee']),
      pr(4, 'dee', '2026-02-20T12:00:00Z', []), // before the window
    ],
    surveyResponses: [
      { pullRequest: 'pr-1', person: 'ana', role: 'author', assisted: 'partly', tools: ['claude'], respondedAt: '2026-03-05T13:00:00Z' },
      { pullRequest: 'pr-1', person: 'ben', role: 'reviewer', quality: 4, guess: true, respondedAt: '2026-03-05T14:00:00Z' },
      { pullRequest: 'pr-1', person: 'cy', role: 'reviewer', quality: 3, guess: false, respondedAt: '2026-03-05T15:00:00Z' },
      { pullRequest: 'pr-2', person: 'ana', role: 'author', assisted: 'none', respondedAt: '2026-03-06T13:00:00Z' },
      { pullRequest: 'pr-2', person: 'ben', role: 'reviewer', quality: 5, guess: false, respondedAt: '2026-03-06T14:00:00Z' },
    ],
  });
  return ts;
}

describe('ts.leaderboard()', () => {
  it("posts names as text: a person's name cannot mention a channel or link in Slack", async () => {
    const t = await open();
    await t.import({ format: 'teamstate.bundle/v1', people: [{ id: 'ben', name: '<!channel> <https://evil.example|Ben>' }] });
    const text = leaderboardText(await t.leaderboard());
    expect(text).toContain('1. &lt;!channel&gt; &lt;https://evil.example|Ben&gt;: 2');
    expect(text).not.toContain('<!channel>');
  });

  it('ranks the last 7 days per measure, highest first, ties by person id', async () => {
    const t = await open();
    const board = await t.leaderboard();
    expect(board.from).toBe('2026-03-02T09:00:00.000Z');
    expect(board.to).toBe('2026-03-09T09:00:00.000Z');
    const by = Object.fromEntries(board.measures.map((m) => [m.measure, m.entries.map((e) => [e.person, e.value])]));
    expect(by).toEqual({
      reviews_given: [
        ['ben', 2],
        ['cy', 1],
        ['dee', 1],
      ],
      prs_merged: [
        ['ana', 2],
        ['cy', 1],
      ],
      survey_answers: [
        ['ana', 2],
        ['ben', 2],
        ['cy', 1],
      ],
      guess_accuracy: [['ben', 1]],
    });
    expect(board.measures[3]!.entries[0]).toEqual({ person: 'ben', name: 'Ben', value: 1, of: 2 });
    expect((await t.leaderboard({ top: 1 })).measures[0]!.entries).toHaveLength(1);
  });

  it('leaves out people who opted out of the leaderboard, by command or in the config', async () => {
    const t = await open({ optOuts: { cy: ['leaderboard'] } });
    await t.people.optOut('ben', 'leaderboard');
    const board = await t.leaderboard({ measures: ['reviews_given'] });
    expect(board.measures).toEqual([{ measure: 'reviews_given', entries: [{ person: 'dee', name: 'Dee', value: 1 }] }]);
  });

  it('refuses a measure outside the allowed list, such as AI usage, naming it', async () => {
    const t = await open();
    await expect(t.leaderboard({ measures: ['ai_usage'] })).rejects.toThrow(/measures\[0\]: "ai_usage" is not a leaderboard measure/);
    await expect(createTeamState({ database: ':memory:', leaderboard: { measures: ['prs_merged', 'ai_assisted_share'] } })).rejects.toThrow(
      /leaderboard\.measures\[1\]: "ai_assisted_share"/,
    );
  });

  it('refuses a schedule that is not a weekday and a UTC time, and finds the last scheduled time', async () => {
    for (const schedule of ['monday 9am', 'mon 25:00', '09:00'])
      await expect(createTeamState({ database: ':memory:', leaderboard: { schedule } })).rejects.toThrow(/leaderboard\.schedule/);
    expect(lastScheduledAt('mon 09:00', new Date('2026-03-09T09:00:00Z'))).toBe('2026-03-09T09:00:00.000Z');
    expect(lastScheduledAt('mon 09:00', new Date('2026-03-09T08:59:00Z'))).toBe('2026-03-02T09:00:00.000Z');
    expect(lastScheduledAt('fri 17:30', new Date('2026-03-09T08:59:00Z'))).toBe('2026-03-06T17:30:00.000Z');
  });
});
