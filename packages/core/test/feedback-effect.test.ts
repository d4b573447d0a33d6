import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Connector, createTeamState, defineActionType, type TeamState, TeamStateError } from '../src/index.js';

// ts.feedback.effect (docs/ai-feedback.md, issue 21) on a fixture with a known answer: a rule pull request opened
// through github.pr.open_file_change merged on 2026-03-01; its categories' feedback per 100 AI-assisted PRs in the
// two weeks before and after.
const NOW = new Date('2026-03-20T00:00:00Z');
let ts: TeamState;
let nextNumber = 50;

const opener: Connector = {
  specificationVersion: 'v1',
  id: 'github',
  async sync() {},
  actions: [
    defineActionType({
      type: 'github.pr.open_file_change',
      description: 'Open a pull request that writes one file (test double)',
      risk: 'high',
      params: z.object({ repository: z.string(), path: z.string(), content: z.string(), title: z.string(), body: z.string() }),
      async execute(params) {
        const number = nextNumber++;
        return { number, url: `https://github.com/${params.repository}/pull/${number}`, branch: `teamstate/x-${number}`, base: 'main' };
      },
    }),
  ],
};

const day = (date: string) => `${date}T12:00:00Z`;
let serial = 0;
const pr = (repository: string, mergedOn: string, labels: string[] = [], number = 100 + serial++) => ({
  id: `${repository}#${number}`,
  source: 'github',
  kind: 'pull_request',
  key: `${repository}#${number}`,
  title: `PR ${number}`,
  state: 'merged',
  repository,
  createdAt: day('2026-01-02'),
  mergedAt: day(mergedOn),
  labels,
});
const feedback = (category: string, on: string, repository = 'acme/api') => ({
  person: 'ana',
  category,
  text: `${category} on ${on}`,
  repository,
  createdAt: day(on),
});

beforeEach(async () => {
  nextNumber = 50;
  ts = await createTeamState({
    database: ':memory:',
    connectors: [opener],
    clock: () => NOW,
    policy: { actions: { 'github.pr.open_file_change': { mode: 'auto' } } },
  });
  await ts.import({
    format: 'teamstate.bundle/v1',
    people: [{ id: 'ana', name: 'Ana' }],
    repositories: [{ id: 'acme/api' }, { id: 'acme/web' }],
    workItems: [
      // Before the merge (2026-02-15 to 2026-03-01): 4 AI-assisted, 2 others; one AI-assisted earlier, outside.
      pr('acme/api', '2026-02-16', ['ai-assisted']),
      pr('acme/api', '2026-02-20', ['ai-assisted', 'bug']),
      pr('acme/api', '2026-02-25', ['ai-copilot']),
      pr('acme/api', '2026-02-28', ['AI-Assisted']),
      pr('acme/api', '2026-02-18'),
      pr('acme/api', '2026-02-19', ['bug']),
      pr('acme/api', '2026-02-10', ['ai-assisted']),
      // After (2026-03-01 to 2026-03-15): 5 AI-assisted, 1 other; one in another repository.
      ...['2026-03-02', '2026-03-03', '2026-03-05', '2026-03-09', '2026-03-14'].map((on) => pr('acme/api', on, ['ai-assisted'])),
      pr('acme/api', '2026-03-04'),
      pr('acme/web', '2026-03-04', ['ai-assisted']),
      // The rule pull requests: #50 merged on 2026-03-01, #51 still open.
      { ...pr('acme/api', '2026-03-01', [], 50), mergedAt: '2026-03-01T00:00:00Z' },
      { ...pr('acme/api', '2026-03-01', [], 51), state: 'open', mergedAt: undefined },
    ],
    aiFeedback: [
      feedback('missing_tests', '2026-02-16'),
      feedback('missing_tests', '2026-02-21'),
      feedback('missing_tests', '2026-02-27'),
      feedback('missing_tests', '2026-02-10'),
      feedback('missing_tests', '2026-03-10'),
      feedback('missing_tests', '2026-03-10', 'acme/web'),
      feedback('style', '2026-03-12'),
      feedback('security', '2026-02-20'),
    ],
  });
  const propose = (content: string) =>
    ts.actions.propose({
      type: 'github.pr.open_file_change',
      target: 'acme/api:CLAUDE.md',
      params: { repository: 'acme/api', path: 'CLAUDE.md', content, title: 'Agent rules', body: 'From AI feedback' },
      reason: 'rules',
      requestedBy: 'teamstate-cli',
    });
  expect((await propose('# Rules\n<!-- teamstate:ai-feedback categories: missing_tests, style -->\n')).status).toBe('executed');
  expect((await propose('# More\n<!-- teamstate:ai-feedback categories: security -->\n')).status).toBe('executed');
});
afterEach(async () => {
  await ts.close();
});

describe('ts.feedback.effect', () => {
  it('gives each merged rule its categories per 100 AI-assisted PRs, N weeks before and after, with the counts', async () => {
    const effect = await ts.feedback.effect({ weeks: 2 });
    expect(effect).toEqual({
      weeks: 2,
      rules: [
        {
          repository: 'acme/api',
          path: 'CLAUDE.md',
          pullRequest: 50,
          approval: expect.stringMatching(/^apr_/),
          mergedAt: '2026-03-01T00:00:00.000Z',
          complete: true,
          categories: [
            {
              category: 'missing_tests',
              before: { from: '2026-02-15T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z', feedback: 3, aiPullRequests: 4, ratePer100: 75 },
              after: { from: '2026-03-01T00:00:00.000Z', to: '2026-03-15T00:00:00.000Z', feedback: 1, aiPullRequests: 5, ratePer100: 20 },
              change: -55,
            },
            {
              category: 'style',
              before: { from: '2026-02-15T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z', feedback: 0, aiPullRequests: 4, ratePer100: 0 },
              after: { from: '2026-03-01T00:00:00.000Z', to: '2026-03-15T00:00:00.000Z', feedback: 1, aiPullRequests: 5, ratePer100: 20 },
              change: 20,
            },
          ],
        },
      ],
      pending: [{ repository: 'acme/api', path: 'CLAUDE.md', pullRequest: 51, approval: expect.stringMatching(/^apr_/) }],
    });
  });

  it('ends the after window now while the weeks after the merge are not over, and says so', async () => {
    const effect = await ts.feedback.effect({ weeks: 4 });
    const [rule] = effect.rules;
    expect(rule!.complete).toBe(false);
    expect(rule!.categories[0]!.after).toEqual({
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-03-20T00:00:00.000Z',
      feedback: 1,
      aiPullRequests: 5,
      ratePer100: 20,
    });
    // Four weeks back reaches the AI-assisted PR and the feedback of 2026-02-10.
    expect(rule!.categories[0]!.before).toMatchObject({ feedback: 4, aiPullRequests: 5, ratePer100: 80 });
  });

  it('is part of ts.aiImpact, so "is AI helping us?" shows whether the rules helped', async () => {
    const impact = await ts.aiImpact({ from: '2026-02-01T00:00:00Z', to: '2026-03-20T00:00:00Z', repository: 'acme/api' });
    expect(impact.rules).toEqual((await ts.feedback.effect({ repository: 'acme/api' })).rules);
    expect(impact.rules[0]!.categories[0]!.after).toMatchObject({ feedback: 1, aiPullRequests: 5, ratePer100: 20 });
  });

  it('filters by repository and refuses bad options naming them', async () => {
    expect((await ts.feedback.effect({ repository: 'acme/web' })).rules).toEqual([]);
    for (const [query, message] of [
      [{ weeks: 0 }, /^weeks: expected a whole number from 1 to 26, got 0$/],
      [{ repository: 'acme/nope' }, /^repository: "acme\/nope" is not tracked/],
    ] as const) {
      const error = await ts.feedback.effect(query).catch((e: unknown) => e);
      expect(TeamStateError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(message);
    }
  });
});
