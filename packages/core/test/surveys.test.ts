import { afterEach, describe, expect, it } from 'vitest';
import { createTeamState, type SurveySettings, type TeamState, TeamStateError } from '../src/index.js';

// Pull request surveys (docs/ai-impact.md, issue 20) through the SDK on a real libSQL database with an injected clock.
let now = new Date('2026-03-10T10:00:00Z');
let ts: TeamState | undefined;
afterEach(async () => {
  await ts?.close();
  ts = undefined;
});

const pr = (id: string, extra: Record<string, unknown>) => ({
  id,
  source: 'github',
  kind: 'pull_request',
  key: `acme/api#${id}`,
  title: `PR ${id}`,
  state: 'merged',
  repository: 'acme/api',
  team: 'pay',
  createdAt: '2026-03-01T09:00:00Z',
  ...extra,
});

const bundle = {
  format: 'teamstate.bundle/v1',
  teams: [
    { id: 'pay', name: 'Payments' },
    { id: 'web', name: 'Web' },
  ],
  people: [
    { id: 'ana', name: 'Ana', teams: ['pay'], timeZone: 'Europe/Berlin', accounts: [{ provider: 'slack', id: 'U0ANA' }] },
    { id: 'ben', name: 'Ben', teams: ['pay'], timeZone: 'America/New_York' },
    { id: 'cy', name: 'Cy', teams: ['pay'] },
  ],
  repositories: [{ id: 'acme/api', team: 'pay' }],
  workItems: [
    pr('1', {
      author: 'ana',
      mergedAt: '2026-03-09T15:00:00Z',
      reviews: [
        { reviewer: 'ben', state: 'approved', submittedAt: '2026-03-09T12:00:00Z' },
        { reviewer: 'ben', state: 'commented', submittedAt: '2026-03-09T13:00:00Z' },
        { reviewer: 'cy', state: 'approved', submittedAt: '2026-03-09T14:00:00Z' },
        // An author's own comment is no review.
        { reviewer: 'ana', state: 'commented', submittedAt: '2026-03-09T14:30:00Z' },
      ],
    }),
    // Merged before the answer window (7 days): nobody is asked any more.
    pr('2', { author: 'ben', mergedAt: '2026-02-20T15:00:00Z' }),
    // Not merged.
    pr('3', { author: 'cy', state: 'open' }),
    // Another team's.
    pr('4', { author: 'cy', team: 'web', mergedAt: '2026-03-09T16:00:00Z' }),
  ],
};

async function open(surveys: SurveySettings = { enabled: true, teams: ['pay'] }) {
  ts = await createTeamState({ database: ':memory:', clock: () => now, surveys });
  await ts.import(bundle);
  return ts;
}

const asked = async (t: TeamState) => (await t.surveys.due()).map((s) => `${s.pullRequest.id}:${s.role}:${s.person}`);

describe('ts.surveys.due', () => {
  it('asks the author and each other reviewer of PRs merged in the window, in the configured teams, once', async () => {
    const t = await open();
    const due = await t.surveys.due();
    expect(due.map((s) => `${s.pullRequest.id}:${s.role}:${s.person}`)).toEqual(['1:author:ana', '1:reviewer:ben', '1:reviewer:cy']);
    expect(due[0]).toEqual({
      pullRequest: { id: '1', key: 'acme/api#1', title: 'PR 1', author: 'ana' },
      person: 'ana',
      role: 'author',
      slackUser: 'U0ANA',
      expiresAt: '2026-03-17T10:00:00.000Z',
    });

    expect(await t.surveys.recordSent({ pullRequest: '1', person: 'ana', role: 'author' })).toBe(true);
    // A redelivered webhook or a second process: no second survey.
    expect(await t.surveys.recordSent({ pullRequest: '1', person: 'ana', role: 'author' })).toBe(false);
    expect(await asked(t)).toEqual(['1:reviewer:ben', '1:reviewer:cy']);
  });

  it('leaves out people who opted out, those in their quiet hours, and everything when surveys are off', async () => {
    let t = await open({ enabled: true, quietHours: '20:00-08:00' });
    await t.people.optOut('cy', 'surveys');
    // 10:00 UTC is 11:00 in Berlin (asked) and 05:00 in New York (quiet); cy has no time zone: UTC, 10:00.
    expect(await asked(t)).toEqual(['1:author:ana']);
    now = new Date('2026-03-10T14:00:00Z');
    expect(await asked(t)).toEqual(['1:author:ana', '1:reviewer:ben']);
    await t.close();

    t = await open({ enabled: false });
    expect(await t.surveys.due()).toEqual([]);
    now = new Date('2026-03-10T10:00:00Z');
  });

  it('samples by pull request, the same PRs every time', async () => {
    const t = await open({ enabled: true, sample: 0.35 });
    const first = await asked(t);
    expect(await asked(t)).toEqual(first);
    // The first 32 bits of sha256("4") are 0.29 of their range, sha256("1")'s 0.42: only PR 4 is in a 0.35 sample.
    expect(first).toEqual(['4:author:cy']);
  });

  it('refuses settings that are not valid, naming them', async () => {
    for (const [surveys, message] of [
      [{ sample: 0 }, 'surveys.sample: expected a share above 0 and at most 1'],
      [{ expireAfter: 'a week' }, 'surveys.expireAfter: expected a duration such as 7d'],
      [{ quietHours: '22-06' }, 'surveys.quietHours: expected HH:MM-HH:MM'],
    ] as const)
      await expect(createTeamState({ database: ':memory:', surveys })).rejects.toThrow(message);
  });
});

describe('ts.surveys.answer', () => {
  it('stores each answer once, and the reveal becomes due for reviewers once the author has answered', async () => {
    const t = await open();
    for (const s of await t.surveys.due()) await t.surveys.recordSent({ pullRequest: s.pullRequest.id, person: s.person, role: s.role });

    expect(await t.surveys.answer({ pullRequest: '1', person: 'ben', role: 'reviewer', quality: 4, guess: true })).toEqual({
      status: 'recorded',
    });
    // A replayed click: nothing counted twice, the first answer stays.
    expect(await t.surveys.answer({ pullRequest: '1', person: 'ben', role: 'reviewer', quality: 1, guess: false })).toEqual({
      status: 'already_answered',
    });
    expect(await t.surveys.reveals()).toEqual([]);

    await t.surveys.answer({
      pullRequest: '1',
      person: 'ana',
      role: 'author',
      assisted: 'mostly',
      tools: ['Claude Code', ' Claude Code '],
    });
    expect(await t.surveys.reveals()).toEqual([
      {
        pullRequest: { id: '1', key: 'acme/api#1', title: 'PR 1' },
        reviewer: 'ben',
        guess: true,
        assisted: 'mostly',
        tools: ['Claude Code'],
      },
    ]);
    // A reviewer answering after the author gets their reveal at once.
    await t.surveys.answer({ pullRequest: '1', person: 'cy', role: 'reviewer', guess: false });
    expect((await t.surveys.reveals()).map((r) => [r.reviewer, r.guess])).toEqual([
      ['ben', true],
      ['cy', false],
    ]);
    await t.surveys.recordRevealed('1', 'ben');
    expect((await t.surveys.reveals()).map((r) => r.reviewer)).toEqual(['cy']);

    const answers = (await t.export()).surveyResponses;
    expect(answers).toEqual([
      {
        pullRequest: '1',
        person: 'ana',
        role: 'author',
        assisted: 'mostly',
        tools: ['Claude Code'],
        respondedAt: '2026-03-10T10:00:00.000Z',
      },
      { pullRequest: '1', person: 'ben', role: 'reviewer', quality: 4, guess: true, respondedAt: '2026-03-10T10:00:00.000Z' },
      { pullRequest: '1', person: 'cy', role: 'reviewer', guess: false, respondedAt: '2026-03-10T10:00:00.000Z' },
    ]);
  });

  it('refuses an answer from someone not asked, in another role, after the survey closed, or with a wrong value; nothing is stored', async () => {
    const t = await open();
    await t.surveys.recordSent({ pullRequest: '1', person: 'ben', role: 'reviewer' });
    await t.surveys.recordSent({ pullRequest: '1', person: 'ana', role: 'author' });
    const refused = async (answer: Parameters<TeamState['surveys']['answer']>[0]) => {
      const error = await t.surveys.answer(answer).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TeamStateError);
      return error as TeamStateError;
    };
    expect((await refused({ pullRequest: '1', person: 'cy', role: 'reviewer', guess: true })).code).toBe('survey_not_found');
    expect((await refused({ pullRequest: '1', person: 'ben', role: 'author', assisted: 'none' })).code).toBe('survey_not_found');
    expect((await refused({ pullRequest: '1', person: 'ana', role: 'author', assisted: 'maybe' as never })).message).toContain(
      'assisted: expected one of none|partly|mostly|agent',
    );
    expect((await refused({ pullRequest: '1', person: 'ben', role: 'reviewer', quality: 6 })).message).toContain(
      'quality: expected a rating from 1 to 5',
    );
    now = new Date('2026-03-18T10:00:01Z');
    const late = await refused({ pullRequest: '1', person: 'ben', role: 'reviewer', quality: 3 });
    expect(late.code).toBe('survey_expired');
    expect(late.message).toContain('closed on 2026-03-17T10:00:00.000Z');
    now = new Date('2026-03-10T10:00:00Z');
    expect((await t.export()).surveyResponses).toEqual([]);
  });
});

describe('survey answers as AI evidence', () => {
  it("makes the author's answer evidence of the PR's ai, kept when a later sync gives ai of its own; none alone means false", async () => {
    const t = await open({ enabled: true });
    for (const s of await t.surveys.due()) await t.surveys.recordSent({ pullRequest: s.pullRequest.id, person: s.person, role: s.role });
    const aiOf = async (id: string) => (await t.export()).workItems.find((w) => w.id === id)!.ai;
    expect(await aiOf('1')).toEqual({ assisted: null, tools: [], evidence: [] });

    await t.surveys.answer({ pullRequest: '1', person: 'ana', role: 'author', assisted: 'mostly', tools: ['Claude Code', 'Other'] });
    expect(await aiOf('1')).toEqual({ assisted: true, tools: ['claude'], evidence: [{ kind: 'survey', value: 'author: mostly' }] });

    // A sync that read the commits gives an ai of its own: the survey answer stays with it.
    const trailer = { kind: 'trailer' as const, value: 'Co-authored-by: Claude <noreply@anthropic.com>' };
    await t.import({
      format: 'teamstate.bundle/v1',
      workItems: [
        pr('1', { author: 'ana', mergedAt: '2026-03-09T15:00:00Z', ai: { assisted: true, tools: ['claude'], evidence: [trailer] } }),
      ],
    });
    expect((await aiOf('1'))?.evidence).toEqual([trailer, { kind: 'survey', value: 'author: mostly' }]);

    await t.surveys.answer({ pullRequest: '4', person: 'cy', role: 'author', assisted: 'none', tools: ['Cursor'] });
    expect(await aiOf('4')).toEqual({ assisted: false, tools: [], evidence: [{ kind: 'survey', value: 'author: none' }] });
  });
});

describe('ts.aiImpact with survey answers and usage', () => {
  it("reports reviewers' quality per group, how often their guess matched the author, and the tools' usage", async () => {
    const t = await open({ enabled: true });
    for (const s of await t.surveys.due()) await t.surveys.recordSent({ pullRequest: s.pullRequest.id, person: s.person, role: s.role });
    await t.surveys.answer({ pullRequest: '1', person: 'ana', role: 'author', assisted: 'partly', tools: ['Cursor'] });
    await t.surveys.answer({ pullRequest: '1', person: 'ben', role: 'reviewer', quality: 3, guess: true });
    await t.surveys.answer({ pullRequest: '1', person: 'cy', role: 'reviewer', quality: 5, guess: false });
    await t.import({
      format: 'teamstate.bundle/v1',
      aiUsage: [
        { day: '2026-03-09', tool: 'copilot', person: 'ana', activeUsers: 1, codeGenerations: 10, acceptances: 4 },
        { day: '2026-03-10', tool: 'copilot', person: 'ben', activeUsers: 1, codeGenerations: 10, acceptances: 1 },
      ],
    });
    const impact = await t.aiImpact({ from: '2026-03-01T00:00:00Z', to: '2026-03-10T00:00:00Z' });
    expect(impact.reviews).toEqual({
      quality: { assisted: 4, assistedRatings: 2, other: null, otherRatings: 0 },
      guesses: { correct: 1, total: 2, accuracy: 0.5 },
    });
    // [from, to) in days: 03-10 is outside.
    expect(impact.usage.map((u) => [u.tool, u.days, u.codeGenerations, u.acceptances])).toEqual([['copilot', 1, 10, 4]]);
  });
});

describe('surveyResponses in the bundle', () => {
  it('round-trips, refuses a dangling pull request and an author answer without assisted, and goes with an erased person', async () => {
    const t = await open();
    const answer = {
      pullRequest: '1',
      person: 'ben',
      role: 'reviewer' as const,
      quality: 5,
      guess: false,
      respondedAt: '2026-03-09T18:00:00.000Z',
    };
    await t.import({ format: 'teamstate.bundle/v1', surveyResponses: [answer] });
    expect((await t.export()).surveyResponses).toEqual([answer]);
    const error = await t
      .import({
        format: 'teamstate.bundle/v1',
        surveyResponses: [
          { ...answer, pullRequest: '99' },
          { pullRequest: '1', person: 'ana', role: 'author', respondedAt: '2026-03-09T18:00:00Z' },
        ],
      })
      .catch((e: Error) => e.message);
    expect(error).toContain('surveyResponses[0].pullRequest: work item "99" is not defined');
    expect(error).toContain('surveyResponses[1].assisted: an author answers whether AI helped');
    const { removed } = await t.people.erase('ben');
    expect(removed.surveyResponses).toBe(1);
    expect((await t.export()).surveyResponses).toEqual([]);
  });
});
