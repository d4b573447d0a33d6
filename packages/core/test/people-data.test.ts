import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTeamState, type SignalDetector, type TeamState, TeamStateError, type TeamStateOptions } from '../src/index.js';

// People's data (docs/daily-reports.md#peoples-data, issue 18): export, erase, opt-outs, and who sees wellbeing signals, through
// the SDK on a real libSQL file with an injected clock.
let folder: string;
let ts: TeamState;
const NOW = new Date('2026-11-20T12:00:00Z');

/** A wellbeing detector that finds every person of the workspace (the real ones live in @teamstate/metrics). */
const everyone: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'person.test_wellbeing',
  title: 'Test wellbeing',
  description: 'Every person, for the tests of wellbeing visibility.',
  wellbeing: true,
  async detect(db) {
    const people = await db.all<{ id: string; team: string | null }>({
      text: 'SELECT p.id, (SELECT min(team_id) FROM memberships m WHERE m.workspace = p.workspace AND m.person_id = p.id) AS team FROM people p WHERE p.workspace = ? ORDER BY p.id',
      args: [db.workspace],
    });
    return people.map((p) => ({
      severity: 'info' as const,
      subject: { type: 'person' as const, id: p.id },
      ...(p.team ? { team: p.team } : {}),
      title: `${p.id} may be working late`,
      evidence: { person: p.id },
    }));
  },
};

const bundle = {
  format: 'teamstate.bundle/v1',
  teams: [
    { id: 'pay', name: 'Payments' },
    { id: 'ops', name: 'Operations' },
    { id: 'leads', name: 'Leads' },
  ],
  people: [
    {
      id: 'ana',
      name: 'Ana García',
      email: 'ana@acme.dev',
      teams: ['pay'],
      timeZone: 'Europe/Berlin',
      accounts: [
        { provider: 'github', id: '1001', login: 'anag' },
        { provider: 'slack', id: 'U01ANA' },
      ],
    },
    { id: 'ben', name: 'Ben', teams: ['pay'], accounts: [{ provider: 'github', id: '1002', login: 'benb' }] },
    { id: 'lea', name: 'Lea', teams: ['pay', 'leads'] },
    { id: 'cy', name: 'Cy', teams: ['ops'] },
  ],
  repositories: [{ id: 'acme/api', team: 'pay' }],
  workItems: [
    {
      id: 'pr-1',
      source: 'github',
      kind: 'pull_request',
      key: 'acme/api#1',
      title: 'Refund flow',
      state: 'merged',
      repository: 'acme/api',
      author: 'ana',
      createdAt: '2026-11-16T09:00:00Z',
      mergedAt: '2026-11-17T09:00:00Z',
      reviews: [{ reviewer: 'ben', state: 'approved', submittedAt: '2026-11-16T15:00:00Z' }],
    },
    {
      id: 'pr-2',
      source: 'github',
      kind: 'pull_request',
      key: 'acme/api#2',
      title: 'Ledger retry',
      state: 'open',
      repository: 'acme/api',
      author: 'ben',
      createdAt: '2026-11-17T09:00:00Z',
      reviews: [
        { reviewer: 'ana', state: 'commented', submittedAt: '2026-11-17T20:00:00Z' },
        { reviewer: 'lea', state: 'approved', submittedAt: '2026-11-18T10:00:00Z' },
      ],
    },
    {
      id: 'PAY-7',
      source: 'jira',
      kind: 'story',
      key: 'PAY-7',
      title: 'Refund emails',
      state: 'In Progress',
      statusCategory: 'in_progress',
      team: 'pay',
      assignees: ['ana', 'ben'],
      createdAt: '2026-11-10T09:00:00Z',
      transitions: [{ at: '2026-11-18T09:00:00Z', from: 'To Do', to: 'In Progress', fromCategory: 'todo', toCategory: 'in_progress' }],
    },
  ],
  reports: [
    { person: 'ana', day: '2026-11-18', text: 'Shipped the refund flow.', blockers: 'Waiting on the vendor sandbox' },
    { person: 'ana', day: '2026-11-19', text: 'Paired on ledger retries.' },
    { person: 'ben', day: '2026-11-19', text: 'Reviewed refunds.' },
  ],
} as const;

async function open(options: TeamStateOptions = {}) {
  ts = await createTeamState({
    database: join(folder, 'teamstate.db'),
    clock: () => NOW,
    signals: [everyone],
    policy: { approvers: { high: ['team:leads'] } },
    ...options,
  });
}

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'teamstate-people-'));
  await open();
  await ts.import(bundle);
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
const count = async (sql: string, args: string[] = []) => Number((await ts.store.execute(sql, args)).rows[0]!.n);

describe('ts.people.export', () => {
  it('is everything about one person as a bundle: the person, memberships, accounts, their part of work items, reports', async () => {
    const exported = await ts.people.export('ana');
    expect(exported.format).toBe('teamstate.bundle/v1');
    expect(exported.people).toEqual([
      {
        id: 'ana',
        name: 'Ana García',
        email: 'ana@acme.dev',
        teams: ['pay'],
        timeZone: 'Europe/Berlin',
        accounts: [
          { provider: 'github', id: '1001', login: 'anag' },
          { provider: 'slack', id: 'U01ANA' },
        ],
      },
    ]);
    expect(exported.teams).toEqual([{ id: 'pay', name: 'Payments' }]);
    expect(exported.workItems.map((item) => item.id)).toEqual(['PAY-7', 'pr-1', 'pr-2']);
    const [story, mine, reviewed] = exported.workItems;
    expect(story).toMatchObject({ assignees: ['ana'], transitions: [{ to: 'In Progress' }] });
    expect(mine).toMatchObject({ author: 'ana' });
    expect(mine).not.toHaveProperty('reviews');
    expect(reviewed).not.toHaveProperty('author');
    expect(reviewed!.reviews).toEqual([{ reviewer: 'ana', state: 'commented', submittedAt: '2026-11-17T20:00:00.000Z' }]);
    expect(exported.reports.map((r) => [r.person, r.day, r.blockers])).toEqual([
      ['ana', '2026-11-18', 'Waiting on the vendor sandbox'],
      ['ana', '2026-11-19', undefined],
    ]);
    // Nobody else is named anywhere in it, and it imports on its own into an empty workspace.
    expect(JSON.stringify(exported)).not.toMatch(/"(ben|lea|cy)"/);
    const empty = await createTeamState({ database: ':memory:' });
    await empty.import(exported);
    expect((await empty.reports.list()).items).toHaveLength(2);
    await empty.close();
  });

  it('names an unknown person with a suggestion', async () => {
    expect((await failure(ts.people.export('anna'))).message).toMatch(/^person: unknown person "anna" \(did you mean "ana"\?\)/);
  });
});

describe('ts.people.erase', () => {
  it('removes reports, revisions, tokens and accounts, keeps the activity under a pseudonym, audited, in one go', async () => {
    await ts.reports.submit({ person: 'ana', day: '2026-11-19', text: 'Paired on ledger retries, then refunds.', source: 'api' });
    await ts.tokens.create({ person: 'ana' });
    expect(await count('SELECT count(*) AS n FROM report_revisions')).toBe(1);

    const result = await ts.people.erase('ana', { by: 'dpo' });
    const { pseudonym } = result;
    expect(pseudonym).toMatch(/^erased-[0-9a-f]{12}$/);
    expect(result).toEqual({
      pseudonym,
      removed: { reports: 2, reportRevisions: 1, aiFeedback: 0, tokens: 1, aiUsage: 0, surveyResponses: 0, accounts: 2, webhookBodies: 0 },
      renamed: { workItems: 1, assignments: 1, reviews: 1, memberships: 1, knowledgeDocuments: 0 },
      storage: 'scrubbed',
      archives: [],
    });
    expect(await ts.people.get('ana')).toBeUndefined();
    expect(await ts.people.get('anag')).toBeUndefined();
    expect(await ts.people.get('ana@acme.dev')).toBeUndefined();
    expect(await ts.people.get(pseudonym)).toEqual({ id: pseudonym, name: pseudonym, teams: ['pay'], accounts: [] });
    expect((await ts.reports.list({ person: pseudonym })).items).toEqual([]);
    expect(await ts.reports.search('vendor')).toEqual([]);
    expect(await count('SELECT count(*) AS n FROM tokens')).toBe(0);
    expect((await ts.workItems.list({ person: pseudonym })).items.map((item) => item.id).sort()).toEqual(['PAY-7', 'pr-1']);
    expect((await ts.workItems.get('pr-2'))!.reviews!.map((r) => r.reviewer)).toEqual([pseudonym, 'lea']);
    // Nothing in the data tables names her any more (the audit ledger is never rewritten).
    const exported = JSON.stringify(await ts.export());
    for (const trace of ['"ana"', 'Ana García', 'anag', 'ana@acme.dev', 'U01ANA', 'vendor sandbox']) expect(exported).not.toContain(trace);

    const [event] = await ts.audit.list({ type: 'person.erased' });
    expect(event).toMatchObject({ type: 'person.erased', actor: 'dpo', data: { pseudonym } });
    expect(JSON.stringify(event)).not.toContain('ana');
    expect((await ts.audit.verify()).ok).toBe(true);
  });

  it('survives a re-import of the same bundle and a sync: her identity and reports do not come back, her activity maps to the pseudonym', async () => {
    const { pseudonym } = await ts.people.erase('ana');
    await ts.import(bundle);
    expect(await ts.people.get('ana')).toBeUndefined();
    expect((await ts.reports.list()).items.map((r) => r.person)).toEqual(['ben']);
    expect((await ts.workItems.list({ person: pseudonym })).items.map((item) => item.id).sort()).toEqual(['PAY-7', 'pr-1']);
    expect((await ts.workItems.get('pr-2'))!.reviews!.map((r) => r.reviewer)).toEqual([pseudonym, 'lea']);
    expect((await ts.workItems.get('PAY-7'))!.assignees).toEqual(['ben', pseudonym].sort());
    expect(await count("SELECT count(*) AS n FROM accounts WHERE external_id IN ('1001', 'U01ANA')")).toBe(0);
    // A second import changes nothing (idempotent), and a connector's accounts resolve to the pseudonym.
    expect((await ts.import(bundle)).changes).toBe(0);
    expect(
      await ts.resolvePeople([
        { provider: 'github', id: '1001', login: 'anag' },
        { provider: 'jira', id: 'x-9', email: 'ANA@acme.dev', name: 'Ana García' },
        { provider: 'github', id: '1002', login: 'benb' },
      ]),
    ).toEqual([pseudonym, pseudonym, 'ben']);
    expect(await count('SELECT count(*) AS n FROM accounts WHERE person_id = ?', [pseudonym])).toBe(0);
    expect(await count("SELECT count(*) AS n FROM people WHERE name LIKE 'Ana%'")).toBe(0);
  });

  it('refuses an unknown person (with a suggestion) and a pseudonym, changing nothing', async () => {
    expect((await failure(ts.people.erase('anna'))).message).toMatch(/^person: unknown person "anna" \(did you mean "ana"\?\)/);
    const { pseudonym } = await ts.people.erase('ana');
    const before = await count('SELECT count(*) AS n FROM erasures');
    expect((await failure(ts.people.erase(pseudonym))).message).toBe(`person: ${pseudonym} is the pseudonym of someone already erased`);
    expect(await count('SELECT count(*) AS n FROM erasures')).toBe(before);
  });
});

describe('opt-outs', () => {
  it('stores opt-outs and opt-ins; an unknown kind or person is one clear message and nothing changes', async () => {
    expect(await ts.people.optOut('ana', 'wellbeing')).toMatchObject({ person: 'ana', kind: 'wellbeing', source: 'person' });
    await ts.people.optOut('ana', 'wellbeing');
    expect((await ts.people.optOuts()).map((o) => [o.person, o.kind])).toEqual([['ana', 'wellbeing']]);
    // biome-ignore lint/suspicious/noExplicitAny: a caller without types
    expect((await failure(ts.people.optOut('ana', 'emails' as any))).message).toBe(
      'kind: expected one of reminders|surveys|wellbeing|leaderboard, got "emails"',
    );
    expect((await failure(ts.people.optOut('anna', 'surveys'))).message).toMatch(/^person: unknown person "anna" \(did you mean "ana"\?\)/);
    expect(await ts.people.optIn('ana', 'wellbeing')).toEqual({ person: 'ana', kind: 'wellbeing', removed: true });
    expect(await ts.people.optOuts()).toEqual([]);
  });

  it('drops wellbeing signals about someone who opted out, and takes opt-outs declared in configuration', async () => {
    await ts.signals.refresh();
    expect((await ts.signals.list()).map((s) => s.subject.id)).toEqual(['ana', 'ben', 'cy', 'lea']);
    await ts.people.optOut('ana', 'wellbeing');
    await ts.signals.refresh();
    expect((await ts.signals.list({ status: 'all' })).map((s) => s.subject.id)).toEqual(['ben', 'cy', 'lea']);

    await ts.close();
    await open({ optOuts: { ben: ['wellbeing', 'surveys'] } });
    expect((await ts.people.optOuts()).map((o) => [o.person, o.kind, o.source])).toEqual([
      ['ana', 'wellbeing', 'person'],
      ['ben', 'surveys', 'config'],
      ['ben', 'wellbeing', 'config'],
    ]);
    await ts.signals.refresh();
    expect((await ts.signals.list()).map((s) => s.subject.id)).toEqual(['cy', 'lea']);
    expect((await failure(ts.people.optIn('ben', 'wellbeing'))).message).toBe(
      "kind: ben's opt-out of wellbeing is declared in the config (people[].optOut); remove it there to opt back in",
    );
    // The configuration no longer declares it: it is gone with the next open.
    await ts.close();
    await open({ optOuts: {} });
    expect((await ts.people.optOuts()).map((o) => o.person)).toEqual(['ana']);
  });
});

describe('who sees wellbeing signals', () => {
  const seen = async (viewer: string | null) => (await ts.signals.list({ viewer })).map((s) => s.subject.id);

  it('leads (default): the person and their team’s approvers; an unknown caller sees none; counts per team for all', async () => {
    await ts.signals.refresh();
    expect(await seen('ana')).toEqual(['ana']);
    expect(await seen('lea')).toEqual(['ana', 'ben', 'lea']); // an approver (team:leads) in Payments
    expect(await seen('cy')).toEqual(['cy']);
    expect(await seen(null)).toEqual([]);
    expect(await seen('nobody')).toEqual([]);
    expect((await ts.signals.list()).map((s) => s.subject.id)).toEqual(['ana', 'ben', 'cy', 'lea']);
    // A signal's team is the person's first team by id: Lea's is leads.
    expect(await ts.signals.wellbeing()).toEqual([
      { team: 'leads', kind: 'person.test_wellbeing', count: 1 },
      { team: 'ops', kind: 'person.test_wellbeing', count: 1 },
      { team: 'pay', kind: 'person.test_wellbeing', count: 2 },
    ]);
    expect(await ts.signals.wellbeing({ team: 'pay' })).toEqual([{ team: 'pay', kind: 'person.test_wellbeing', count: 2 }]);
  });

  it('reads one signal by id under the same rule: withheld from a viewer who may not see that person', async () => {
    await ts.signals.refresh();
    const id = (await ts.signals.list()).find((s) => s.subject.id === 'ana')!.fingerprint;
    expect((await ts.signals.get(id, { viewer: 'ana' }))?.subject.id).toBe('ana');
    expect((await ts.signals.get(id, { viewer: 'lea' }))?.subject.id).toBe('ana');
    expect(await ts.signals.get(id, { viewer: 'cy' })).toBeUndefined();
    expect(await ts.signals.get(id, { viewer: null })).toBeUndefined();
    expect(await ts.as('cy').signals.get(id)).toBeUndefined();
    expect((await ts.as('lea').signals.get(id))?.subject.id).toBe('ana');
    expect((await ts.signals.get(id))?.subject.id).toBe('ana');
  });

  it('team: everyone in the person’s teams; person: the person and their teams’ leads', async () => {
    await ts.close();
    await open({ policy: { privacy: { wellbeing: 'team' } } });
    await ts.signals.refresh();
    expect(await seen('ben')).toEqual(['ana', 'ben', 'lea']);
    await ts.close();
    await open({ policy: { approvers: { high: ['team:leads'] }, privacy: { wellbeing: 'person' } } });
    expect(await seen('ben')).toEqual(['ben']);
    expect(await seen('lea')).toEqual(['ana', 'ben', 'lea']); // a lead of Payments (an approving member)
  });
});
