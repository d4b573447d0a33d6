import { gitlab } from '@teamstate/connectors/gitlab';
import { createTeamState, type TeamState } from '@teamstate/core';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitLab, fakeGitLabHandlers, GITLAB, GITLAB_TOKEN, gitlabFixture, gitlabWorld } from './gitlab/fake-gitlab.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const SECRET = 'gl-hook-token-3f9a';
const kit = { fake: new FakeGitLab(gitlabWorld(), { now: () => NOW }) };
const server = setupServer(...fakeGitLabHandlers(() => kit.fake));
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  kit.fake = new FakeGitLab(gitlabWorld(), { now: () => NOW });
});
afterAll(() => server.close());

const open: TeamState[] = [];
afterEach(async () => {
  for (const ts of open.splice(0)) await ts.close();
});

async function setup(webhookSecret: string | undefined = SECRET) {
  const connector = gitlab({
    token: GITLAB_TOKEN,
    baseUrl: GITLAB,
    groups: ['acme'],
    repositoryTeams: { 'acme/checkout': 'shop' },
    ...(webhookSecret ? { webhookSecret } : {}),
    sleep: async () => {},
  });
  const ts = await createTeamState({ database: ':memory:', connectors: [connector], clock: () => NOW });
  open.push(ts);
  return ts;
}

let sequence = 0;
function delivery(event: string, payload: unknown, options: { token?: string | null; key?: string } = {}) {
  const headers: Record<string, string | undefined> = {
    'content-type': 'application/json',
    'x-gitlab-event': event,
    'x-gitlab-event-uuid': `6c1f2d3e-0000-4000-8000-${String(++sequence).padStart(12, '0')}`,
    'x-gitlab-instance': GITLAB,
    'user-agent': 'GitLab/17.6.0',
  };
  if (options.token !== null) headers['x-gitlab-token'] = options.token ?? SECRET;
  if (options.key) headers['idempotency-key'] = options.key;
  return { headers, rawBody: Buffer.from(JSON.stringify(payload)) };
}

const mergeRequestHook = () => gitlabFixture<Record<string, unknown>>('webhook-merge-request.json');
const count = async (ts: TeamState, table: string) => Number((await ts.store.execute(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0]!.n);

describe('gitlab webhooks: the secret token', () => {
  it('refuses a wrong, a longer or a missing X-Gitlab-Token with 401, reading and storing nothing', async () => {
    const ts = await setup();
    for (const token of ['not-the-token', `${SECRET}x`, SECRET.slice(0, -1), null])
      expect((await ts.webhooks.receive('gitlab', delivery('Merge Request Hook', mergeRequestHook(), { token }))).status).toBe(401);
    expect(kit.fake.requests).toEqual([]);
    expect(await count(ts, 'webhook_deliveries')).toBe(0);
    expect((await ts.export()).workItems).toEqual([]);
  });

  it('has no webhook endpoint without a webhookSecret', async () => {
    const ts = await setup('');
    expect((await ts.webhooks.receive('gitlab', delivery('Merge Request Hook', mergeRequestHook()))).status).toBe(404);
  });
});

describe('gitlab webhooks: events', () => {
  it('a merge request event stores the merge request read back with its notes, commits and changed paths', async () => {
    const ts = await setup();
    const response = await ts.webhooks.receive('gitlab', delivery('Merge Request Hook', mergeRequestHook()));
    expect(response.status).toBe(202);
    const item = (await ts.export()).workItems.find((w) => w.key === 'acme/checkout!2')!;
    expect(item).toMatchObject({ id: 'gl-mr-acme/checkout!2', state: 'open', team: 'shop', paths: ['web/cards/list.tsx'] });
    expect(item.reviews!.map((r) => r.state)).toEqual(['commented']);
    expect(kit.fake.requests.map((r) => r.path)).toEqual([
      '/projects/acme/checkout/merge_requests/2',
      '/projects/acme/checkout/merge_requests/2/notes',
      '/projects/acme/checkout/merge_requests/2/commits',
      '/projects/acme/checkout/merge_requests/2/diffs',
    ]);
  });

  it('takes a redelivery with the same Idempotency-Key as a duplicate', async () => {
    const ts = await setup();
    const key = '0d8e6a1c-5b7f-4d2e-9c3a-1f2e3d4c5b6a';
    expect((await ts.webhooks.receive('gitlab', delivery('Merge Request Hook', mergeRequestHook(), { key }))).status).toBe(202);
    const again = await ts.webhooks.receive('gitlab', delivery('Merge Request Hook', mergeRequestHook(), { key }));
    expect(again.body.duplicate).toBe(true);
    expect(await count(ts, 'webhook_deliveries')).toBe(1);
  });

  it('a comment on a merge request reads it back; a comment on an issue is ignored', async () => {
    const ts = await setup();
    const note = (noteableType: string) => ({
      object_kind: 'note',
      event_type: 'note',
      user: { id: 13, name: 'Cy Tanaka', username: 'cy' },
      project_id: 101,
      project: { id: 101, name: 'checkout', path_with_namespace: 'acme/checkout', web_url: `${GITLAB}/acme/checkout` },
      object_attributes: {
        id: 80010,
        note: 'Looks good',
        noteable_type: noteableType,
        author_id: 13,
        created_at: '2026-03-09 12:00:00 UTC',
      },
      ...(noteableType === 'MergeRequest' ? { merge_request: { id: 5102, iid: 2, title: 'Show saved cards first', state: 'opened' } } : {}),
      ...(noteableType === 'Issue' ? { issue: { id: 9001, iid: 12, title: 'Card retries' } } : {}),
    });
    expect((await ts.webhooks.receive('gitlab', delivery('Note Hook', note('Issue')))).body.message).toContain('not a merge request');
    expect(kit.fake.requests).toEqual([]);
    await ts.webhooks.receive('gitlab', delivery('Note Hook', note('MergeRequest')));
    expect((await ts.export()).workItems.map((w) => w.key)).toEqual(['acme/checkout!2']);
  });

  it('a pipeline event stores its jobs as builds of the merge request', async () => {
    const ts = await setup();
    await ts.sync();
    const pipeline = {
      object_kind: 'pipeline',
      object_attributes: {
        id: 5001,
        iid: 1,
        ref: 'refs/merge-requests/1/head',
        sha: 'a1'.repeat(20),
        status: 'success',
        source: 'merge_request_event',
      },
      merge_request: { id: 5101, iid: 1, title: 'Retry card payments on timeout' },
      project: { id: 101, name: 'checkout', path_with_namespace: 'acme/checkout' },
      builds: [],
    };
    kit.fake.requests.length = 0;
    expect((await ts.webhooks.receive('gitlab', delivery('Pipeline Hook', pipeline))).status).toBe(202);
    expect(kit.fake.requests.map((r) => `${r.path}?${r.search}`)).toEqual([
      '/projects/acme/checkout/pipelines/5001/jobs?include_retried=true&per_page=100',
    ]);
    const builds = (await ts.export()).builds.filter((b) => b.commit === 'a1'.repeat(20)).sort((a, b) => a.id.localeCompare(b.id));
    expect(builds.map((b) => [b.job, b.attempt, b.conclusion, b.pullRequest])).toEqual([
      ['test', 1, 'failure', 'gl-mr-acme/checkout!1'],
      ['test', 2, 'success', 'gl-mr-acme/checkout!1'],
      ['lint', 1, 'success', 'gl-mr-acme/checkout!1'],
    ]);
  });

  it('a job event reads its pipeline back, retries included', async () => {
    const ts = await setup();
    const job = {
      object_kind: 'build',
      ref: 'refs/merge-requests/1/head',
      sha: 'a1'.repeat(20),
      build_id: 7002,
      build_name: 'test',
      build_stage: 'test',
      build_status: 'success',
      pipeline_id: 5001,
      project_id: 101,
      project_name: 'Acme / checkout',
      project: { id: 101, name: 'checkout', path_with_namespace: 'acme/checkout' },
    };
    expect((await ts.webhooks.receive('gitlab', delivery('Job Hook', job))).status).toBe(202);
    const builds = (await ts.export()).builds.sort((a, b) => a.id.localeCompare(b.id));
    // The merge request is not stored yet: the builds carry no pull request until it is.
    expect(builds.map((b) => [b.id, b.attempt, b.pullRequest])).toEqual([
      ['gl-job-acme/checkout-7001', 1, undefined],
      ['gl-job-acme/checkout-7002', 2, undefined],
      ['gl-job-acme/checkout-7003', 1, undefined],
    ]);
  });

  it('a deployment event stores the deployment, a production-tier environment as production', async () => {
    const ts = await setup();
    const deployment = {
      object_kind: 'deployment',
      status: 'failed',
      deployment_id: 303,
      deployable_id: 7007,
      environment: 'prod-eu',
      environment_tier: 'production',
      project: { id: 101, name: 'checkout', path_with_namespace: 'acme/checkout' },
      ref: 'main',
      commit_sha: 'f6'.repeat(20),
    };
    expect((await ts.webhooks.receive('gitlab', delivery('Deployment Hook', deployment))).status).toBe(202);
    expect((await ts.export()).deployments).toEqual([
      {
        id: 'gl-deploy-acme/checkout-303',
        repository: 'acme/checkout',
        environment: 'production',
        status: 'failure',
        startedAt: '2026-03-08T09:00:00.000Z',
        finishedAt: '2026-03-08T09:10:00.000Z',
        sha: 'f6'.repeat(20),
      },
    ]);
  });

  it('fails an attempt GitLab answers with a 502 without retrying inside it; the queue delivers it again later', async () => {
    const ts = await setup();
    kit.fake.forced.push({ status: 502 });
    const response = await ts.webhooks.receive('gitlab', delivery('Merge Request Hook', mergeRequestHook()));
    expect(response.status).toBe(202);
    expect(kit.fake.requests).toHaveLength(1);
    expect((await ts.export()).workItems).toEqual([]);
    const [row] = (await ts.store.execute('SELECT status, attempts FROM webhook_deliveries')).rows;
    expect({ ...row }).toMatchObject({ status: 'retrying', attempts: 1 });
  });

  it('ignores projects that are not synced and events it does not use; refuses a payload without the project (400)', async () => {
    const ts = await setup();
    const other = { ...mergeRequestHook(), project: { id: 555, path_with_namespace: 'other/thing' } };
    expect((await ts.webhooks.receive('gitlab', delivery('Merge Request Hook', other))).body.message).toContain('not a synced project');
    expect((await ts.webhooks.receive('gitlab', delivery('Push Hook', { object_kind: 'push' }))).body.message).toContain('not used');
    const broken = await ts.webhooks.receive('gitlab', delivery('Merge Request Hook', { object_kind: 'merge_request' }));
    expect(broken.status).toBe(400);
    expect(broken.body.message).toContain('payload.project');
    expect(kit.fake.requests).toEqual([]);
  });
});
