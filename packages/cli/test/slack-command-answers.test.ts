import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeamState, localKnowledge, type TeamState } from '@teamstate/core';
import { afterEach, describe, expect, it } from 'vitest';
import { slackCommandAnswers } from '../src/slack-command-answers.js';

// `/teamstate ask` answers from ts.knowledge (a real index of markdown files): the passages the asking person may
// see, each cited, and who may know when no document answers.
let folder: string;
let ts: TeamState | undefined;
afterEach(async () => {
  await ts?.close();
  rmSync(folder, { recursive: true, force: true });
});

async function open(): Promise<TeamState> {
  folder = mkdtempSync(join(tmpdir(), 'teamstate-ask-'));
  mkdirSync(join(folder, 'docs'));
  mkdirSync(join(folder, 'ops'));
  writeFileSync(
    join(folder, 'docs', 'runbook.md'),
    '# Runbook\n\n## Keys\n\nTo rotate the API keys, run `make rotate-keys`, then redeploy.\n',
  );
  writeFileSync(join(folder, 'ops', 'vault.md'), '# Vault\n\n## Rotating keys\n\nThe ops team rotates the vault keys every quarter.\n');
  ts = await createTeamState({
    database: ':memory:',
    clock: () => new Date('2026-03-10T10:00:00Z'),
    knowledge: {
      sources: [
        localKnowledge({ paths: [join(folder, 'docs')] }),
        localKnowledge({ id: 'ops-handbook', paths: [join(folder, 'ops')], visibility: ['ops'] }),
        {
          specificationVersion: 'v1',
          id: 'incident-notes',
          source: 'local',
          visibility: ['ops'],
          async sync(ctx) {
            await ctx.put({
              uri: 'notes/hsm-escrow.md',
              markdown: '# HSM escrow ceremony\n\nThe escrow quorum meets in the cage.',
              updatedAt: '2026-03-01T00:00:00Z',
              author: 'kavya',
            });
          },
        },
      ],
    },
  });
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [
      { id: 'pay', name: 'Payments' },
      { id: 'ops', name: 'Operations' },
    ],
    people: [
      { id: 'ana', name: 'Ana', teams: ['pay'] },
      { id: 'kavya', name: 'Kavya Chen', teams: ['ops'] },
    ],
    repositories: [{ id: 'acme/infra', team: 'ops' }],
    workItems: [
      {
        id: 'pr-1',
        source: 'github',
        kind: 'pull_request',
        key: 'acme/infra#1',
        title: 'Tune the cluster autoscaler thresholds',
        state: 'merged',
        repository: 'acme/infra',
        author: 'kavya',
        createdAt: '2026-03-01T09:00:00Z',
        mergedAt: '2026-03-02T09:00:00Z',
      },
    ],
  });
  await ts.knowledge.sync();
  return ts;
}

describe('slackCommandAnswers: ask', () => {
  it("cites the passages of the documents the person may see, never another team's", async () => {
    const t = await open();
    const answer = await slackCommandAnswers(() => t).ask!({ argument: 'how do we rotate the API keys?', person: 'ana', user: 'U0ANA' });
    expect(answer?.title).toBe('What the documents say about "how do we rotate the API keys?"');
    expect(answer?.text).toMatch(
      /^Runbook › Keys\nTo rotate the API keys, run `make rotate-keys`, then redeploy\.\nSource: .*runbook\.md$/,
    );
    expect(answer?.text).not.toContain('vault');
    expect(answer?.more).toBe('teamstate knowledge search "how do we rotate the API keys?"');
    // Kavya, in ops, sees the ops page too.
    const theirs = await slackCommandAnswers(() => t).ask!({ argument: 'how do we rotate the API keys?', person: 'kavya', user: 'U0KAV' });
    expect(theirs?.text).toContain('The ops team rotates the vault keys');
  });

  it("never names another team's restricted document in the who-may-know fallback", async () => {
    const t = await open();
    const ask = (person: string, user: string) => slackCommandAnswers(() => t).ask!({ argument: 'hsm escrow quorum', person, user });
    const kavyas = await ask('kavya', 'U0KAV');
    expect(kavyas?.text).toContain('The escrow quorum meets in the cage');
    const anas = await ask('ana', 'U0ANA');
    expect(anas).toEqual({ title: 'Nothing in the documents answers "hsm escrow quorum"', text: 'Try other words.' });
  });

  it('names who may know, with the evidence, when no document answers', async () => {
    const t = await open();
    const answer = await slackCommandAnswers(() => t).ask!({ argument: 'cluster autoscaler tuning', person: 'ana', user: 'U0ANA' });
    expect(answer).toEqual({
      title: 'Nothing in the documents answers "cluster autoscaler tuning"',
      text: 'Who may know:\nKavya Chen: acme/infra#1 Tune the cluster autoscaler thresholds',
    });
  });
});

describe('slackCommandAnswers: incident', () => {
  it('lists the open incidents, and briefs one with its likely cause and the runbook', async () => {
    const t = await open();
    await t.import({
      format: 'teamstate.bundle/v1',
      teams: [{ id: 'shop', name: 'Shop' }],
      people: [{ id: 'rui', name: 'Rui Costa' }],
      repositories: [{ id: 'acme/checkout', team: 'shop' }],
      oncalls: [
        {
          source: 'pagerduty',
          escalationPolicy: 'PESCPOL',
          escalationPolicyName: 'Shop on-call',
          level: 1,
          schedule: 'PSCHED1',
          scheduleName: 'Shop primary',
          service: 'checkout',
          person: 'rui',
          start: '2026-03-09T09:00:00Z',
          end: '2026-03-16T09:00:00Z',
        },
      ],
      deployments: [
        { id: 'dep-9', repository: 'acme/checkout', environment: 'production', status: 'success', finishedAt: '2026-03-10T09:00:00Z' },
      ],
      incidents: [
        {
          id: 'pd-1',
          title: 'API keys rejected',
          service: 'checkout',
          team: 'shop',
          source: 'pagerduty',
          createdAt: '2026-03-10T09:30:00Z',
        },
      ],
    });
    const incident = slackCommandAnswers(() => t).incident!;
    const list = await incident({ argument: '', person: 'ana', user: 'U0ANA' });
    expect(list).toEqual({
      title: '1 open incident(s)',
      text: 'pd-1 · triggered · API keys rejected · checkout',
      more: 'teamstate incident list',
    });
    const brief = await incident({ argument: 'pd-1', person: 'ana', user: 'U0ANA' });
    expect(brief?.title).toBe('pd-1: API keys rejected (triggered)');
    expect(brief?.text).toMatch(/^Likely cause:\ndep-9 \(acme\/checkout, score \d+(\.\d+)?\): deployed acme\/checkout, owned by team shop/);
    expect(brief?.text).toContain('On call:\nRui Costa (level 1 of Shop on-call (Shop primary) when it began)\n');
    expect(brief?.text).toContain('Runbooks:\nRunbook: ');
    expect(brief?.more).toBe('teamstate incident brief pd-1');
    await expect(incident({ argument: 'pd-404', person: 'ana', user: 'U0ANA' })).rejects.toThrow(/pd-404/);
  });
});
