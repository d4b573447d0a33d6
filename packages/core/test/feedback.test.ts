import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTeamState, type TeamState, TeamStateError, ValidationError } from '../src/index.js';

// Feedback about AI assistants through the SDK (docs/ai-feedback.md, issue 21), on a real libSQL file with an
// injected clock.
let folder: string;
let ts: TeamState;
let now: number;

const base = {
  format: 'teamstate.bundle/v1',
  teams: [{ id: 'payments', name: 'Payments' }],
  people: [
    { id: 'ana', name: 'Ana', teams: ['payments'] },
    { id: 'ben', name: 'Ben', teams: ['payments'] },
  ],
  repositories: [{ id: 'acme/api', team: 'payments' }, { id: 'acme/web' }],
};

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'teamstate-feedback-'));
  now = Date.parse('2026-03-18T10:00:00Z');
  ts = await createTeamState({ database: join(folder, 'teamstate.db'), clock: () => new Date(now) });
  await ts.import(base);
});
afterEach(async () => {
  await ts.close();
  rmSync(folder, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!TeamStateError.isInstance(error)) throw new Error(`expected a TeamStateError, got ${String(error)}`);
  return error;
}
const count = async () => Number((await ts.store.execute('SELECT count(*) AS n FROM ai_feedback')).rows[0]!.n);

describe('ts.feedback.add', () => {
  it('stores the feedback with the clock, its paths in one spelling, and returns it', async () => {
    const feedback = await ts.feedback.add({
      person: 'ana',
      category: 'missing_tests',
      text: 'It keeps forgetting our refund fixtures',
      tool: 'claude-code',
      repository: 'acme/api',
      pullRequest: 42,
      paths: ['./services/payments/refund.ts', 'services/payments//fixtures/', 'services/payments/refund.ts'],
    });
    expect(feedback).toEqual({
      id: expect.stringMatching(/^fb_[0-9a-f]{16}$/),
      person: 'ana',
      category: 'missing_tests',
      tool: 'claude-code',
      text: 'It keeps forgetting our refund fixtures',
      pullRequest: 42,
      repository: 'acme/api',
      paths: ['services/payments/refund.ts', 'services/payments/fixtures'],
      createdAt: '2026-03-18T10:00:00.000Z',
    });
    expect((await ts.export()).aiFeedback).toEqual([feedback]);
  });

  it('takes feedback with only a person, a category and a text', async () => {
    const feedback = await ts.feedback.add({ person: 'ben', category: 'other', text: 'Invented a CLI flag' });
    expect(feedback).toEqual({
      id: feedback.id,
      person: 'ben',
      category: 'other',
      text: 'Invented a CLI flag',
      createdAt: '2026-03-18T10:00:00.000Z',
    });
  });

  it('records who typed it on the audit ledger when someone files it for a person', async () => {
    const feedback = await ts.feedback.add({ person: 'ana', category: 'style', text: 'Used default exports', submittedBy: 'ana-laptop' });
    const [entry] = await ts.audit.list({ type: 'feedback.added' });
    expect(entry).toMatchObject({
      type: 'feedback.added',
      actor: 'ana',
      data: { person: 'ana', feedback: feedback.id, category: 'style', submittedBy: 'ana-laptop' },
    });
  });

  it.each([
    [
      { category: 'wrng_code' },
      /^category: unknown category "wrng_code" \(did you mean "wrong_code"\?\); expected one of wrong_code, missed_context/,
    ],
    [{ text: '   ' }, /^text: must not be empty/],
    [{ text: 'x'.repeat(4_001) }, /^text: must be at most 4,000 characters/],
    [
      { repository: 'acme/apii' },
      /^repository: "acme\/apii" is not tracked by this workspace \(did you mean "acme\/api"\?\); tracked: acme\/api, acme\/web; sync it/,
    ],
    [{ repository: 'acme/api', paths: ['../secrets/.env'] }, /^paths\[0\]: "\.\.\/secrets\/\.env" leaves the repository/],
    [{ repository: 'acme/api', paths: ['src/ok.ts', 'services/../../etc/passwd'] }, /^paths\[1\]: .* leaves the repository/],
    [{ repository: 'acme/api', paths: ['/etc/passwd'] }, /^paths\[0\]: "\/etc\/passwd" is absolute/],
    [{ repository: 'acme/api', paths: ['C:\\repo\\x.ts'] }, /^paths\[0\]: .* uses "\\"/],
    [{ paths: ['src/a.ts'] }, /^repository: required with paths/],
    [{ pullRequest: 7 }, /^repository: required with pullRequest/],
    [{ repository: 'acme/api', pullRequest: -1 }, /^pullRequest: expected a pull request number from 1/],
    [{ person: 'anna' }, /^person: unknown person "anna" \(did you mean "ana"\?\)/],
    [{ tool: '' }, /^tool: must not be empty/],
    [{ severity: 'high' }, /^severity: unknown key/],
  ])('refuses %j with one error naming the field, and writes nothing', async (change, message) => {
    const error = await failure(
      ts.feedback.add({ person: 'ana', category: 'wrong_code', text: 'Wrong refund rounding', ...change } as never),
    );
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toMatch(message);
    expect(error.message.split('\n')).toHaveLength(1);
    expect(await count()).toBe(0);
    expect(await ts.audit.list({})).toEqual([]);
  });
});

describe('bundle aiFeedback', () => {
  const feedback = [
    {
      id: 'fb_1',
      person: 'ana',
      category: 'security',
      tool: 'copilot',
      text: 'Logged the card number',
      repository: 'acme/api',
      pullRequest: 12,
      paths: ['services/payments/log.ts'],
      createdAt: '2026-03-02T09:00:00+01:00',
    },
    { person: 'ben', category: 'style', text: 'Semicolons everywhere', createdAt: '2026-03-03T09:00:00Z' },
    { person: 'ben', category: 'missed_context', text: 'Did not read the ADR' },
  ];

  it('imports with the rest of the bundle, once however often, and exports what it imported', async () => {
    const first = await ts.import({ format: 'teamstate.bundle/v1', aiFeedback: feedback });
    expect(first.records.aiFeedback).toBe(3);
    now += 86_400_000;
    const second = await ts.import({ format: 'teamstate.bundle/v1', aiFeedback: feedback });
    expect(second.changes).toBe(0);
    const exported = await ts.export();
    expect(exported.aiFeedback).toEqual([
      { ...feedback[0], createdAt: '2026-03-02T08:00:00.000Z' },
      { id: expect.stringMatching(/^fb_[0-9a-f]{16}$/), ...feedback[1], createdAt: '2026-03-03T09:00:00.000Z' },
      // No createdAt: the time of the first import, kept by the second.
      { id: expect.stringMatching(/^fb_[0-9a-f]{16}$/), ...feedback[2], createdAt: '2026-03-18T10:00:00.000Z' },
    ]);
    // The export round-trips into an empty workspace.
    const other = await createTeamState({ database: ':memory:', clock: () => new Date(now) });
    await other.import(exported);
    expect((await other.export()).aiFeedback).toEqual(exported.aiFeedback);
    await other.close();
  });

  it('refuses the whole bundle, naming every problem, and writes nothing', async () => {
    const error = await failure(
      ts.import({
        format: 'teamstate.bundle/v1',
        people: [{ id: 'cy', name: 'Cy' }],
        aiFeedback: [
          { person: 'cy', category: 'style', text: 'fine' },
          { person: 'zoe', category: 'wrong_code', text: 'x' },
          { person: 'ana', category: 'typo', text: 'x' },
          { person: 'ana', category: 'style', text: '' },
          { person: 'ana', category: 'style', text: 'x', repository: 'acme/nope' },
          { person: 'ana', category: 'style', text: 'x', repository: 'acme/api', paths: ['../up'] },
          { person: 'ana', category: 'style', text: 'x', paths: ['src'] },
        ],
      }),
    );
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual([
      'aiFeedback[2].category',
      'aiFeedback[3].text',
      'aiFeedback[5].paths[0]',
      'aiFeedback[6].repository',
      'aiFeedback[1].person',
      'aiFeedback[4].repository',
    ]);
    expect(await count()).toBe(0);
    expect(await ts.people.get('cy')).toBeUndefined();
  });
});

describe("people's data", () => {
  it('includes their feedback in ts.people.export and removes it with ts.people.erase', async () => {
    const mine = await ts.feedback.add({ person: 'ana', category: 'wrong_code', text: 'Off by one', repository: 'acme/web' });
    const theirs = await ts.feedback.add({ person: 'ben', category: 'style', text: 'Tabs' });
    const bundle = await ts.people.export('ana');
    expect(bundle.aiFeedback).toEqual([mine]);
    expect(bundle.repositories).toEqual([{ id: 'acme/web' }]);
    const erased = await ts.people.erase('ana', { by: 'dpo' });
    expect(erased.removed.aiFeedback).toBe(1);
    expect((await ts.export()).aiFeedback).toEqual([theirs]);
    // An import of the erased person's feedback does not bring it back.
    await ts.import({ format: 'teamstate.bundle/v1', aiFeedback: [{ person: 'ana', category: 'style', text: 'again' }] });
    expect((await ts.export()).aiFeedback).toEqual([theirs]);
  });
});

describe('ts.feedback.patterns', () => {
  const at = (day: string) => `2026-03-${day}T12:00:00Z`;
  const fixture = [
    {
      id: 'f1',
      person: 'ana',
      category: 'missing_tests',
      tool: 'claude-code',
      text: 'No refund fixtures',
      repository: 'acme/api',
      paths: ['services/payments/refund/refund.ts'],
      createdAt: at('20'),
    },
    {
      id: 'f2',
      person: 'ben',
      category: 'missing_tests',
      tool: 'claude-code',
      text: 'Ledger untested',
      repository: 'acme/api',
      pullRequest: 7,
      paths: ['services/payments/ledger/ledger.ts', 'services/payments/ledger/ledger.test.ts'],
      createdAt: at('25'),
    },
    {
      id: 'f3',
      person: 'ana',
      category: 'missing_tests',
      tool: 'copilot',
      text: 'Skipped the unhappy path',
      repository: 'acme/api',
      paths: ['services/payments/refund.ts'],
      createdAt: at('05'),
    },
    {
      id: 'f4',
      person: 'ana',
      category: 'missing_tests',
      text: 'No pytest',
      repository: 'acme/api',
      paths: ['services/payments/scripts/fix.py'],
      createdAt: at('06'),
    },
    {
      id: 'f5',
      person: 'ben',
      category: 'style',
      text: 'Class components',
      repository: 'acme/web',
      paths: ['web/src/App.tsx'],
      createdAt: at('10'),
    },
    { id: 'f6', person: 'ana', category: 'hallucinated_api', text: 'Invented stripe.refunds.void()', createdAt: at('12') },
    {
      id: 'f0',
      person: 'ana',
      category: 'missing_tests',
      text: 'Before the window',
      repository: 'acme/api',
      paths: ['services/payments/a.ts'],
      createdAt: '2026-02-20T12:00:00Z',
    },
  ];
  const window = { from: '2026-03-01', to: '2026-04-01' };
  beforeEach(async () => {
    await ts.import({ format: 'teamstate.bundle/v1', aiFeedback: fixture });
  });

  it('groups by category, repository, deepest common directory and language, with counts, trend and 3 examples', async () => {
    const result = await ts.feedback.patterns(window);
    expect(result).toMatchObject({ from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z', total: 6 });
    expect(result.patterns[0]).toEqual({
      category: 'missing_tests',
      repository: 'acme/api',
      pathPattern: 'services/payments/**',
      language: 'TypeScript',
      extensions: ['ts'],
      count: 3,
      people: 2,
      tools: ['claude-code', 'copilot'],
      trend: { earlier: 1, later: 2, direction: 'rising' },
      examples: [
        {
          id: 'f2',
          person: 'ben',
          tool: 'claude-code',
          text: 'Ledger untested',
          pullRequest: 7,
          paths: ['services/payments/ledger/ledger.ts', 'services/payments/ledger/ledger.test.ts'],
          createdAt: '2026-03-25T12:00:00.000Z',
        },
        {
          id: 'f1',
          person: 'ana',
          tool: 'claude-code',
          text: 'No refund fixtures',
          paths: ['services/payments/refund/refund.ts'],
          createdAt: '2026-03-20T12:00:00.000Z',
        },
        {
          id: 'f3',
          person: 'ana',
          tool: 'copilot',
          text: 'Skipped the unhappy path',
          paths: ['services/payments/refund.ts'],
          createdAt: '2026-03-05T12:00:00.000Z',
        },
      ],
    });
    expect(result.patterns.slice(1).map((p) => [p.category, p.repository, p.pathPattern, p.language, p.count, p.trend.direction])).toEqual([
      ['hallucinated_api', null, null, null, 1, 'falling'],
      ['missing_tests', 'acme/api', 'services/payments/scripts/**', 'Python', 1, 'falling'],
      ['style', 'acme/web', 'web/src/**', 'TypeScript', 1, 'falling'],
    ]);
  });

  it("filters by repository and by team (its repositories, and its members' feedback without one)", async () => {
    const web = await ts.feedback.patterns({ ...window, repository: 'acme/web' });
    expect(web.patterns.map((p) => p.category)).toEqual(['style']);
    const payments = await ts.feedback.patterns({ ...window, team: 'payments' });
    expect(payments.total).toBe(5);
    expect(payments.patterns.map((p) => p.category)).toEqual(['missing_tests', 'hallucinated_api', 'missing_tests']);
  });

  it('defaults to the 90 days up to and including now, or before to', async () => {
    now = Date.parse('2026-04-01T00:00:00Z');
    const result = await ts.feedback.patterns();
    expect(result).toMatchObject({ from: '2026-01-01T00:00:00.000Z', to: '2026-04-01T00:00:00.001Z', total: 7 });
    const before = await ts.feedback.patterns({ to: '2026-03-15' });
    expect(before).toMatchObject({ from: '2025-12-15T00:00:00.000Z', to: '2026-03-15T00:00:00.000Z', total: 5 });
  });

  it.each([
    [{ from: '2026-04-01', to: '2026-03-01' }, /^from: 2026-04-01T00:00:00.000Z is not before to/],
    [{ from: 'last week' }, /^from: expected an ISO 8601 timestamp or a day/],
    [{ team: 'paymets' }, /^team: unknown team "paymets" \(did you mean "payments"\?\)/],
    [{ repository: 'acme/nope' }, /^repository: "acme\/nope" is not tracked/],
  ])('refuses %j naming the field', async (query, message) => {
    expect((await failure(ts.feedback.patterns(query))).message).toMatch(message);
  });
});
