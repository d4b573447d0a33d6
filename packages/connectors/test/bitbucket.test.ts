import { createHmac } from 'node:crypto';
import { bitbucket, bitbucketConfigSchema } from '@teamstate/connectors/bitbucket';
import { createTeamState, type TeamState } from '@teamstate/core';
import { builtinMetrics } from '@teamstate/metrics';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BITBUCKET,
  BITBUCKET_TOKEN,
  bitbucketFixture,
  bitbucketWorld,
  FakeBitbucket,
  fakeBitbucketHandlers,
} from './bitbucket/fake-bitbucket.js';

const NOW = new Date('2026-03-18T10:00:00Z');
const SECRET = 'bb-hook-secret-7c1d';
const kit = { fake: new FakeBitbucket(bitbucketWorld(), { now: () => NOW }) };
const server = setupServer(
  ...fakeBitbucketHandlers(() => kit.fake),
  ...fakeBitbucketHandlers(() => kit.fake, 'https://bitbucket.example.test/2.0'),
);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  kit.fake = new FakeBitbucket(bitbucketWorld(), { now: () => NOW });
});
afterAll(() => server.close());

const open: TeamState[] = [];
afterEach(async () => {
  for (const ts of open.splice(0)) await ts.close();
});

const policy = { actions: { 'bitbucket.pr.comment': { mode: 'auto' as const } }, approvers: { high: ['lead'] } };

async function setup(options: { baseUrl?: string } = {}) {
  const connector = bitbucket({
    token: BITBUCKET_TOKEN,
    baseUrl: options.baseUrl ?? BITBUCKET,
    workspace: 'acme',
    repositoryTeams: { 'acme/checkout': 'shop' },
    webhookSecret: SECRET,
    sleep: async () => {},
  });
  const ts = await createTeamState({ database: ':memory:', connectors: [connector], clock: () => NOW, policy, metrics: builtinMetrics });
  await ts.import({
    format: 'teamstate.bundle/v1',
    people: [
      { id: 'lead', name: 'Lea Lead' },
      { id: 'assistant', name: 'Assistant' },
    ],
  });
  open.push(ts);
  return ts;
}

const count = async (ts: TeamState, table: string) => Number((await ts.store.execute(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0]!.n);

describe('bitbucket connector: sync', () => {
  it('stores pull requests with approvals and requested changes as reviews (not comments), times from the activity feed', async () => {
    const ts = await setup();
    expect((await ts.sync()).ok).toBe(true);
    const bundle = await ts.export();
    const pr = (n: number) => bundle.workItems.find((w) => w.id === `bb-pr-acme/checkout#${n}`)!;
    expect(pr(1)).toMatchObject({
      state: 'merged',
      team: 'shop',
      mergedAt: '2026-03-11T16:40:01.998Z',
      firstCommitAt: '2026-03-09T17:45:10.000Z',
      readyAt: '2026-03-10T09:12:44.104Z',
    });
    expect(pr(1).reviews!.map((r) => r.state)).toEqual(['changes_requested', 'approved']);
    expect(pr(2)).toMatchObject({ state: 'closed', closedAt: '2026-03-13T08:00:00.000Z' });
    expect(pr(2).mergedAt).toBeUndefined();
    expect(pr(4).draft).toBe(true);
    expect(pr(4).readyAt).toBeUndefined();
    const builds = bundle.builds.filter((b) => b.repository === 'acme/checkout').sort((a, b) => a.id.localeCompare(b.id));
    expect(builds.map((b) => [b.id, b.status, b.conclusion ?? null, b.pullRequest ?? null])).toEqual([
      ['bb-pipeline-acme/checkout-1', 'completed', 'failure', 'bb-pr-acme/checkout#1'],
      ['bb-pipeline-acme/checkout-2', 'completed', 'success', 'bb-pr-acme/checkout#1'],
      ['bb-pipeline-acme/checkout-3', 'completed', 'success', null],
      ['bb-pipeline-acme/checkout-4', 'in_progress', null, 'bb-pr-acme/checkout#3'],
    ]);
    expect(bundle.deployments.map((d) => [d.environment, d.status]).sort()).toEqual([
      ['Staging', 'success'],
      ['production', 'failure'],
      ['production', 'success'],
    ]);
  });

  it('re-syncs an unchanged workspace with one counted request per repository (the rest answered 304)', async () => {
    const ts = await setup();
    await ts.sync();
    const before = kit.fake.requests.length;
    expect((await ts.sync()).ok).toBe(true);
    const again = kit.fake.requests.slice(before);
    expect(again.filter((r) => r.status === 200)).toHaveLength(2);
    expect(again.filter((r) => r.status === 200).every((r) => r.path.endsWith('/pullrequests'))).toBe(true);
    expect(again.filter((r) => r.status === 304).length).toBeGreaterThan(0);
  });

  it('reads only the changed pull request on a re-sync, with its activity', async () => {
    const ts = await setup();
    await ts.sync();
    const pr = kit.fake.repository('checkout')!.pullRequests.find((p) => p.id === 3)!;
    pr.activity.unshift({ changes_requested: { date: '2026-03-18T09:00:00.000000+00:00', user: kit.fake.world.members[2]! } });
    pr.updated_on = '2026-03-18T09:00:00.000000+00:00';
    const before = kit.fake.requests.length;
    await ts.sync();
    const paths = kit.fake.requests
      .slice(before)
      .filter((r) => r.status === 200)
      .map((r) => r.path);
    expect(paths.filter((p) => /pullrequests\/\d+\//.test(p))).toEqual([
      '/repositories/acme/checkout/pullrequests/3/activity',
      '/repositories/acme/checkout/pullrequests/3/commits',
    ]);
    const stored = (await ts.export()).workItems.find((w) => w.id === 'bb-pr-acme/checkout#3')!;
    expect(stored.reviews!.map((r) => r.state)).toEqual(['approved', 'changes_requested']);
  });

  /** A successful production deployment (uuid ending `suffix`) of `head`, finished 2026-03-18 09:41. */
  const deployHead = (repository: { deployments: unknown[] }, head: string, suffix: string) =>
    repository.deployments.push({
      uuid: `{22222222-3333-4444-8555-${suffix}}`,
      environment: { uuid: '{11111111-2222-4333-8444-555555555502}' },
      state: {
        name: 'COMPLETED',
        status: { name: 'SUCCESSFUL' },
        started_on: '2026-03-18T09:30:00Z',
        completed_on: '2026-03-18T09:41:00Z',
      },
      release: { commit: { hash: head }, created_on: '2026-03-18T09:29:00Z' },
    });
  /**
   * Pull request 3 of checkout merged by fast-forward at `mergedOn`: no merge commit, its head is on the main branch
   * after `between` and pull request 1's merge; Bitbucket lists the head abbreviated.
   */
  const fastForwarded = (mergedOn: string, between: { hash: string; date: string; message: string }[] = []) => {
    const repository = kit.fake.repository('checkout')!;
    const pr = repository.pullRequests.find((p) => p.id === 3)!;
    const head = 'c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3';
    Object.assign(pr, { state: 'MERGED', updated_on: mergedOn, source: { ...pr.source, commit: { hash: head.slice(0, 12) } } });
    pr.activity.unshift({ update: { state: 'MERGED', date: mergedOn, author: pr.author }, pull_request: { id: 3 } });
    repository.commits = [
      { hash: head, date: '2026-03-17T12:00:00+00:00', message: 'Retry payment webhooks' },
      ...between,
      {
        hash: 'm1m1m1m1m1m1m1m1m1m1m1m1m1m1m1m1m1m1m1m1',
        date: '2026-03-11T16:40:01+00:00',
        message: 'Merged in fix-totals (pull request #1)',
      },
    ];
    return { repository, head };
  };

  it('maps a new deployment to a fast-forwarded pull request of its range by the head Bitbucket abbreviates', async () => {
    const ts = await setup();
    await ts.sync();
    const { repository, head } = fastForwarded('2026-03-18T09:00:00.000000+00:00', [
      { hash: 'e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5', date: '2026-03-16T12:00:00+00:00', message: 'Bump the version' },
    ]);
    deployHead(repository, head, '666666666604');
    const before = kit.fake.requests.length;
    expect((await ts.sync()).ok).toBe(true);
    const ranges = kit.fake.requests.slice(before).filter((r) => r.path.includes('/commits/'));
    // The previous successful production deployment shipped m1 (the failed one after it does not count).
    expect(ranges.map((r) => [r.path, r.search.get('exclude')])).toEqual([
      [`/repositories/acme/checkout/commits/${head}`, 'm1m1m1m1m1m1m1m1m1m1m1m1m1m1m1m1m1m1m1m1'],
    ]);
    const deployment = (await ts.export()).deployments.find((d) => d.id === 'bb-deploy-acme/checkout-22222222-3333-4444-8555-666666666604');
    expect(deployment).toMatchObject({ environment: 'production', status: 'success', pullRequests: ['bb-pr-acme/checkout#3'] });
  });

  it('maps a deployment of a later sync to a fast-forwarded pull request stored by an earlier one, counted in DORA', async () => {
    // Merged before the first sync.
    const { repository, head } = fastForwarded('2026-03-17T13:00:00.000000+00:00');
    const ts = await setup();
    expect((await ts.sync()).ok).toBe(true);
    expect((await ts.export()).workItems.find((w) => w.id === 'bb-pr-acme/checkout#3')).toMatchObject({ state: 'merged' });
    // The next sync brings only the deployment of that head; the pull request list is unchanged.
    deployHead(repository, head, '666666666605');
    const before = kit.fake.requests.length;
    expect((await ts.sync()).ok).toBe(true);
    expect(kit.fake.requests.slice(before).filter((r) => /pullrequests\/\d+/.test(r.path))).toEqual([]);
    const bundle = await ts.export();
    const deployment = bundle.deployments.find((d) => d.id === 'bb-deploy-acme/checkout-22222222-3333-4444-8555-666666666605');
    expect(deployment).toMatchObject({ environment: 'production', status: 'success', pullRequests: ['bb-pr-acme/checkout#3'] });
    const shipped = bundle.workItems.find((w) => w.id === 'bb-pr-acme/checkout#3')!;
    const day = { from: '2026-03-18T00:00:00Z', to: '2026-03-19T00:00:00Z' };
    const metrics = await ts.metrics.compute(['deployment_frequency', 'lead_time_for_changes'], day);
    expect(metrics.deployment_frequency).toMatchObject({ count: 1 });
    expect(metrics.lead_time_for_changes).toMatchObject({ count: 1 });
    const hours = (Date.parse(deployment!.finishedAt) - Date.parse(shipped.firstCommitAt ?? shipped.createdAt)) / 3_600_000;
    expect(metrics.lead_time_for_changes!.value).toBeCloseTo(hours, 6);
    // An unchanged re-sync afterwards still costs one counted request per repository.
    const resync = kit.fake.requests.length;
    expect((await ts.sync()).ok).toBe(true);
    expect(kit.fake.requests.slice(resync).filter((r) => r.status === 200)).toHaveLength(2);
  });

  it('takes a bare host as baseUrl and appends /2.0', async () => {
    const ts = await setup({ baseUrl: 'https://bitbucket.example.test' });
    expect((await ts.sync()).ok).toBe(true);
    expect((await ts.export()).workItems.length).toBe(4);
  });

  it('never shows the token in an error', async () => {
    const connector = bitbucket({ token: 'wrong-token-SECRET123', baseUrl: BITBUCKET, workspace: 'acme', sleep: async () => {} });
    const ts = await createTeamState({ database: ':memory:', connectors: [connector], clock: () => NOW });
    open.push(ts);
    const result = await ts.sync();
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).toContain('401');
    expect(JSON.stringify(result)).toContain('connectors.bitbucket.token');
    expect(JSON.stringify(result)).not.toContain('SECRET123');
  });
});

describe('bitbucket connector: configuration', () => {
  it('names the bad field and the fix', () => {
    expect(() => bitbucket({ workspace: 'acme' })).toThrow(/bitbucket\.token: give an access token, or username and appPassword/);
    expect(() => bitbucket({ token: 't', workspace: 'ac me' })).toThrow(/bitbucket\.workspace: expected a workspace slug/);
    expect(() => bitbucket({ token: 't', workspace: 'acme', repositories: ['a/b'] })).toThrow(/bitbucket\.repositories\.0/);
    expect(() => bitbucket({ token: 't', workspace: 'acme', baseUrl: 'ftp:x' })).toThrow(/bitbucket\.baseUrl/);
    const checked = bitbucketConfigSchema.safeParse({ token: 't', workspace: 'acme', repos: ['x'] });
    expect(checked.success).toBe(false);
    expect(JSON.stringify(checked.error?.issues)).toContain('repos');
  });

  it('accepts an app password with its username', () => {
    expect(bitbucket({ username: 'ana', appPassword: 'app-pw', workspace: 'acme' }).id).toBe('bitbucket');
  });
});

describe('bitbucket webhooks', () => {
  const body = Buffer.from(JSON.stringify(bitbucketFixture('webhook-pullrequest-approved.json')));
  const delivery = (secret: string, id: string) => ({
    headers: {
      'content-type': 'application/json',
      'x-event-key': 'pullrequest:approved',
      'x-request-uuid': id,
      'x-hub-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    },
    rawBody: body,
  });

  it('refuses a bad signature, reading and storing nothing', async () => {
    const ts = await setup();
    expect((await ts.webhooks.receive('bitbucket', delivery('not-the-secret', 'a1'))).status).toBe(401);
    expect(kit.fake.requests).toEqual([]);
    expect(await count(ts, 'webhook_deliveries')).toBe(0);
  });

  it('answers a signed delivery 202 and stores the pull request read back', async () => {
    const ts = await setup();
    const answer = await ts.webhooks.receive('bitbucket', delivery(SECRET, 'b2'));
    expect(answer.status).toBe(202);
    const items = (await ts.export()).workItems;
    expect(items.map((w) => w.id)).toContain('bb-pr-acme/checkout#3');
  });
});

describe('bitbucket actions', () => {
  it('merges only after approval, through the policy', async () => {
    const ts = await setup();
    const params = { repository: 'acme/checkout', number: 3 };
    const proposed = await ts.actions.propose({
      type: 'bitbucket.pr.merge',
      target: 'acme/checkout#3',
      params,
      reason: 'tests',
      requestedBy: 'assistant',
    });
    expect(proposed.status).toBe('pending');
    expect(kit.fake.requests.filter((r) => r.method === 'POST')).toEqual([]);
    const decided = await ts.approvals.decide(proposed.id, { decision: 'approve', by: 'lead' });
    expect(decided).toMatchObject({ status: 'executed', result: { merged: true } });
    expect(kit.fake.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual([
      '/repositories/acme/checkout/pullrequests/3/merge',
    ]);
  });

  it('comments once, with the approval s marker', async () => {
    const ts = await setup();
    const params = { repository: 'acme/checkout', number: 3, body: 'Pipeline is red.' };
    const approval = await ts.actions.propose({
      type: 'bitbucket.pr.comment',
      target: 'acme/checkout#3',
      params,
      reason: 'tests',
      requestedBy: 'assistant',
    });
    expect(approval.status).toBe('executed');
    const comment = kit.fake
      .repository('checkout')!
      .pullRequests.find((p) => p.id === 3)!
      .activity.at(-1)!.comment!;
    expect(comment.content?.raw).toContain('Pipeline is red.');
    expect(comment.content?.raw).toContain(approval.idempotencyKey);
  });
});
