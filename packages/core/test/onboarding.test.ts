import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTeamState, defineActionType, localKnowledge, type TeamState, type WorkItem } from '../src/index.js';
import { testConnector } from '../src/testing/index.js';

// ts.onboarding: a recent joiner's plan (documents, people, starter issues, progress) and the DMs proposed through the
// policy, once per joiner and recipient.

const NOW = new Date('2026-11-20T12:00:00Z');
const DAY = 86_400_000;
const iso = (daysAgo: number, hour = 10) => new Date(NOW.getTime() - daysAgo * DAY + (hour - 12) * 3_600_000).toISOString();

let ts: TeamState | undefined;
let dir: string | undefined;
const sent: { user: string; text: string }[] = [];
afterEach(async () => {
  await ts?.close();
  ts = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
  sent.length = 0;
});

const slackStub = testConnector({
  id: 'slack',
  actions: [
    defineActionType({
      type: 'slack.dm.send',
      description: 'Send a direct message',
      risk: 'medium',
      params: z.strictObject({ user: z.string(), text: z.string() }),
      async execute(params) {
        sent.push(params);
        return { ok: true };
      },
    }),
  ],
});

const pr = (n: number, author: string, daysAgo: number, reviewer?: string, paths?: string[]): WorkItem => ({
  id: `pr-${n}`,
  source: 'github',
  kind: 'pull_request',
  key: `acme/checkout#${n}`,
  title: `Change ${n}`,
  state: 'merged',
  team: 'payments',
  repository: 'acme/checkout',
  author,
  createdAt: iso(daysAgo),
  mergedAt: iso(daysAgo, 16),
  labels: ['refunds'],
  ...(paths ? { paths } : {}),
  ...(reviewer ? { reviews: [{ reviewer, state: 'approved' as const, submittedAt: iso(daysAgo, 14) }] } : {}),
});

const issue = (key: string, fields: Partial<WorkItem>): WorkItem => ({
  id: key,
  source: 'jira',
  kind: 'task',
  key,
  title: `Task ${key}`,
  state: 'To Do',
  statusCategory: 'todo',
  team: 'payments',
  createdAt: iso(10),
  ...fields,
});

async function open(options: { strict?: boolean; starterTitle?: string } = {}) {
  dir = mkdtempSync(join(tmpdir(), 'teamstate-onboarding-'));
  writeFileSync(join(dir, 'refunds.md'), '# Refunds\n\nHow refunds are retried and reconciled in checkout.\n');
  writeFileSync(join(dir, 'onboarding.md'), '# Onboarding\n\nGetting started on the payments team: the checkout service.\n');
  ts = await createTeamState({
    database: ':memory:',
    clock: () => NOW,
    connectors: [slackStub],
    policy: { actions: { 'slack.dm.send': { mode: 'auto' } }, ...(options.strict ? { limits: { pii_redaction: 'strict' } } : {}) },
    knowledge: { sources: [localKnowledge({ paths: [dir] })] },
  });
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [{ id: 'payments', name: 'Payments', leads: ['lena'] }],
    people: [
      { id: 'lena', name: 'Lena', teams: ['payments'], accounts: [{ provider: 'slack', id: 'U0LENA' }], joinedAt: '2024-01-01T00:00:00Z' },
      { id: 'ana', name: 'Ana', teams: ['payments'], joinedAt: '2025-03-01T00:00:00Z' },
      { id: 'dee', name: 'Dee', teams: ['payments'], accounts: [{ provider: 'slack', id: 'U0DEE' }], joinedAt: iso(20, 9) },
      { id: 'eli', name: 'Eli', teams: ['payments'] },
    ],
    repositories: [{ id: 'acme/checkout', team: 'payments' }],
    workItems: [
      ...Array.from({ length: 8 }, (_, i) => pr(i + 1, 'ana', 30 - i, 'lena', ['src/refunds/retry.ts'])),
      pr(20, 'dee', 17, 'ana'),
      pr(21, 'dee', 12, 'ana'),
      pr(22, 'ana', 11, 'dee'),
      // eli's first activity is their join: 5 days ago.
      pr(30, 'eli', 5, 'ana'),
      issue('PAY-1', { labels: ['good first issue'], storyPoints: 3, ...(options.starterTitle ? { title: options.starterTitle } : {}) }),
      issue('PAY-2', { storyPoints: 1 }),
      issue('PAY-3', { storyPoints: 8 }),
      issue('PAY-4', { storyPoints: 1, assignees: ['ana'] }),
      issue('PAY-5', { storyPoints: 1, statusCategory: 'done', resolvedAt: iso(2) }),
    ],
  });
  await ts.knowledge.sync();
  return ts;
}

describe('ts.onboarding.plan()', () => {
  it("gives a recent joiner the team's documents, people, starter issues and progress", async () => {
    const t = await open();
    const plan = await t.onboarding.plan('dee');
    expect(plan.joinedFrom).toBe('joinedAt');
    expect(plan.teams).toEqual(['payments']);
    expect(plan.leads.map((l) => l.id)).toEqual(['lena']);
    expect(plan.topics).toEqual(['refunds', 'checkout']);
    expect(plan.documents.map((d) => d.title).sort()).toEqual(['Onboarding', 'Refunds']);
    expect(plan.people.map((p) => p.person.id)).toContain('lena');
    expect(plan.people.map((p) => p.person.id)).toContain('ana');
    expect(plan.people.map((p) => p.person.id)).not.toContain('dee');
    expect(plan.starterIssues.map((s) => [s.key, s.why])).toEqual([
      ['PAY-1', 'good first issue'],
      ['PAY-2', 'small'],
    ]);
    expect(plan.progress).toMatchObject({
      daysSinceJoining: 20,
      pullRequests: 2,
      firstPullRequest: { at: iso(17), days: 3 },
      firstReview: { at: iso(11, 14), days: 9.2 },
      tenthPullRequest: null,
    });
    const eli = await t.onboarding.plan('eli');
    expect(eli).toMatchObject({ joinedFrom: 'first activity', joinedAt: iso(5) });
  });

  it('refuses someone who joined more than 60 days ago, or an unknown person, naming the field', async () => {
    const t = await open();
    await expect(t.onboarding.plan('ana')).rejects.toThrow(/^person: ana joined on 2025-03-01, more than 60 days ago/);
    await expect(t.onboarding.plan('deee')).rejects.toThrow(/^person: unknown person "deee" \(did you mean "dee"\?\)/);
    expect((await t.onboarding.joiners()).map((j) => j.id)).toEqual(['eli', 'dee']);
  });

  it('proposes a DM to the new hire and their lead through the policy, once', async () => {
    const t = await open();
    const first = await t.onboarding.proposeMessages();
    // Only dee declared when she joined: eli, whose first activity is recent, is nobody to welcome (nor his lead).
    expect(first.map((m) => [m.person, m.recipient])).toEqual([
      ['dee', 'dee'],
      ['dee', 'lena'],
    ]);
    await Promise.all(first.map((m) => t.approvals.wait(m.approval, { timeoutMs: 5_000 })));
    expect(sent.map((s) => s.user).sort()).toEqual(['U0DEE', 'U0LENA']);
    expect(sent.find((s) => s.user === 'U0DEE')!.text).toMatch(/^Welcome, Dee! Your onboarding plan:\nRead: /);
    expect(await t.onboarding.proposeMessages()).toEqual([]);
  });

  it('quotes a starter issue as the policy’s pii_redaction shows it (docs/security.md#pii-redaction)', async () => {
    const t = await open({ strict: true, starterTitle: 'Ask jo.doe@example.com for the refunds sandbox (PAY-1)' });
    const proposed = await t.onboarding.proposeMessages();
    await Promise.all(proposed.map((m) => t.approvals.wait(m.approval, { timeoutMs: 5_000 })));
    const text = sent.find((s) => s.user === 'U0DEE')!.text;
    expect(text).toContain('PAY-1 Ask [email] for the refunds sandbox (PAY-1)');
    expect(text).not.toContain('jo.doe@example.com');
  });
});
