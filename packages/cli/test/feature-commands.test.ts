import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

// A command for every feature: people list, onboarding joiners, meeting packs, working agreements and a nudges pass,
// each with --json as an object. A pull request waits for review in team payments, whose agreement nudges its author.
const dir = mkdtempSync(join(tmpdir(), 'teamstate-feature-commands-'));
const db = join(dir, 'team.db');
const NOW = '2026-03-17T10:00:00Z';
const cli = (args: string[], env: Record<string, string | undefined> = {}) =>
  runCli(['--now', NOW, ...args], { cwd: dir, env: { TEAMSTATE_TOKEN: undefined, XDG_CONFIG_HOME: dir, ...env } });
const json = async <T>(args: string[], env?: Record<string, string | undefined>): Promise<T> => {
  const run = await cli([...args, '--json'], env);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as T;
};
const tokens: Record<string, string> = {};

beforeAll(async () => {
  writeFileSync(
    join(dir, 'teamstate.config.yaml'),
    `database: team.db
connectors:
  slack: { token: xoxb-feature-commands, signingSecret: feature-commands-secret, apiUrl: http://127.0.0.1:9/api/ }
policy:
  actions:
    slack.dm.send: { mode: auto }
  agreements:
    - { id: review-within-a-day, signal: pr.awaiting_review, teams: [payments], after: 24h, notify: author, escalate: { after: 48h, notify: leads } }
`,
  );
  writeFileSync(
    join(dir, 'bundle.json'),
    JSON.stringify({
      format: 'teamstate.bundle/v1',
      teams: [
        { id: 'payments', name: 'Payments', leads: ['lee'] },
        { id: 'growth', name: 'Growth' },
      ],
      people: [
        {
          id: 'ana',
          name: 'Ana Garcia',
          teams: ['payments'],
          joinedAt: '2026-03-02T09:00:00Z',
          accounts: [{ provider: 'slack', id: 'U0ANA' }],
        },
        {
          id: 'lee',
          name: 'Lee Park',
          teams: ['payments'],
          joinedAt: '2025-01-06T09:00:00Z',
          accounts: [{ provider: 'slack', id: 'U0LEE' }],
        },
        { id: 'zed', name: 'Zed Okafor', teams: ['growth'], joinedAt: '2024-05-01T09:00:00Z' },
      ],
      repositories: [{ id: 'acme/api', team: 'payments' }],
      sprints: [
        {
          id: 'PAY-S1',
          name: 'Sprint 1',
          team: 'payments',
          state: 'closed',
          startAt: '2026-03-02T09:00:00Z',
          endAt: '2026-03-13T17:00:00Z',
        },
      ],
      workItems: [
        {
          id: 'gh-pr-acme/api#7',
          source: 'github',
          kind: 'pull_request',
          key: 'acme/api#7',
          title: 'Retry refunds',
          state: 'open',
          team: 'payments',
          repository: 'acme/api',
          author: 'ana',
          createdAt: '2026-03-09T08:00:00Z',
        },
      ],
    }),
  );
  const imported = await cli(['import', 'bundle.json']);
  expect(imported.code, imported.stderr).toBe(0);
  // The signals first see the pull request waiting a day before NOW: by NOW, its author's nudge is due.
  const seen = await runCli(['--now', '2026-03-16T09:30:00Z', 'signals'], { cwd: dir });
  expect(seen.code, seen.stderr).toBe(0);
  const ts = await createTeamState({ database: db, clock: () => new Date(NOW) });
  await ts.reports.submit({ person: 'ana', day: '2026-03-16', text: 'Paired on refund retries\n- Next: ledger export', source: 'api' });
  await ts.close();
  // A token expires by the real clock.
  const real = await createTeamState({ database: db });
  tokens.zed = (await real.tokens.create({ person: 'zed' })).token;
  await real.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('teamstate people list', () => {
  it('lists everyone, or one team, as { people }', async () => {
    const all = await json<{ people: { id: string; teams: string[] }[] }>(['people', 'list']);
    expect(all.people.map((p) => p.id)).toEqual(['ana', 'lee', 'zed']);
    const growth = await json<{ people: { id: string }[] }>(['people', 'list', '--team', 'growth']);
    expect(growth.people.map((p) => p.id)).toEqual(['zed']);
    const text = await cli(['people', 'list']);
    expect(text.stdout).toMatch(/ana\s+Ana Garcia\s+payments\s+2026-03-02/);
  });

  it('refuses an unknown team by name', async () => {
    const run = await cli(['people', 'list', '--team', 'paymnts']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('payments');
  });
});

describe('teamstate onboarding joiners', () => {
  it('lists who joined in the last 60 days as { joiners }, and the plan still takes a person', async () => {
    const { joiners } = await json<{ joiners: { id: string; joinedAt: string }[] }>(['onboarding', 'joiners']);
    expect(joiners.map((j) => j.id)).toEqual(['ana']);
    const plan = await cli(['onboarding', 'ana']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('Onboarding of Ana Garcia (ana)');
  });
});

describe('teamstate meeting', () => {
  it('prints the 1:1 pack the one_on_one prompt is made of, read by the credential’s person', async () => {
    const pack = await json<{ text: string }>(['meeting', 'one-on-one', 'ana']);
    const text = await cli(['meeting', 'one-on-one', 'ana']);
    expect(text.stdout).toBe(`${pack.text.trimEnd()}\n`);
    expect(text.stdout).toContain('Paired on refund retries');
    // A report's lines stay lines under their bullet, never a literal \n.
    expect(text.stdout).toMatch(/^- 2026-03-16: Paired on refund retries\n {2}- Next: ledger export \[report /m);
    expect(text.stdout).not.toContain('\\n');
    // Zed, in another team, may not read Ana's reports: the pack leaves them out.
    const asZed = await cli(['meeting', 'one-on-one', 'ana'], { TEAMSTATE_TOKEN: tokens.zed });
    expect(asZed.code, asZed.stderr).toBe(0);
    expect(asZed.stdout).toContain('# 1:1 with Ana Garcia');
    expect(asZed.stdout).not.toContain('Paired on refund retries');
  });

  it('prints a team’s retro pack', async () => {
    const run = await cli(['meeting', 'retro', '--team', 'payments']);
    const pack = await json<{ text: string }>(['meeting', 'retro', '--team', 'payments']);
    expect(run.stdout).toBe(`${pack.text.trimEnd()}\n`);
  });
});

describe('teamstate agreements and nudges', () => {
  it('lists the agreements and reports on them as objects', async () => {
    const { agreements } = await json<{ agreements: { id: string; signal: string }[] }>(['agreements', 'list']);
    expect(agreements).toEqual([expect.objectContaining({ id: 'review-within-a-day', signal: 'pr.awaiting_review' })]);
    const report = await json<{ agreements: { id: string; breaches: number }[] }>(['agreements', 'report']);
    expect(report.agreements.map((a) => a.id)).toEqual(['review-within-a-day']);
    expect((await cli(['agreements', 'list'])).stdout).toMatch(/review-within-a-day\s+pr\.awaiting_review\s+payments\s+24h → author/);
  });

  it('shows what a nudges pass would send with --dry-run, and sends nothing', async () => {
    const round = await json<{ due: { recipient: string; stage: string; signal: string }[]; sent: unknown[] }>([
      'nudges',
      'run',
      '--dry-run',
    ]);
    expect(round.due).toEqual([
      expect.objectContaining({ recipient: 'ana', stage: 'nudge', signal: 'pr.awaiting_review:work_item:gh-pr-acme/api#7' }),
    ]);
    expect(round.sent).toEqual([]);
    const text = await cli(['nudges', 'run', '--dry-run']);
    expect(text.stdout).toContain('would send nudge to ana about pr.awaiting_review:work_item:gh-pr-acme/api#7 (review-within-a-day)');
    const approvals = await cli(['approvals', 'list', '--status', 'all', '--json']);
    expect(approvals.stdout).not.toContain('slack.dm.send');
  });
});

describe('smaller flags', () => {
  it('risks add --from-signal takes the signal’s team (and its short id) without --team', async () => {
    const { signals } = await json<{ signals: { fingerprint: string; shortId: string }[] }>(['signals', '--kind', 'pr.awaiting_review']);
    const run = await runCli(
      ['risks', 'add', '--from-signal', signals[0]!.shortId, '--title', 'Reviews wait', '--severity', 'high', '--as', 'lee', '--json'],
      {
        cwd: dir,
        env: { TEAMSTATE_TOKEN: undefined, XDG_CONFIG_HOME: dir },
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).risk).toMatchObject({ team: 'payments', source: `signal:${signals[0]!.fingerprint}` });
  });

  it('feedback add takes -m/--message as report submit does, keeping --text', async () => {
    for (const flag of ['-m', '--message', '--text']) {
      const run = await runCli(['feedback', 'add', '--category', 'other', flag, `Invented an API (${flag})`, '--as', 'ana', '--json'], {
        cwd: dir,
        env: { TEAMSTATE_TOKEN: undefined, XDG_CONFIG_HOME: dir },
      });
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout).feedback.text).toBe(`Invented an API (${flag})`);
    }
    const none = await runCli(['feedback', 'add', '--category', 'other', '--as', 'ana'], { cwd: dir });
    expect([none.code, none.stderr]).toEqual([2, expect.stringContaining('--text: required')]);
  });
});
