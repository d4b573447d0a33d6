import { hmacSha256Hex, type TeamState } from '@teamstate/core';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture, NOW, openTeamState, TOKEN, teamOfRepository, testConnector, useFakeGitHub } from './github/github-test-kit.js';

const kit = useFakeGitHub();
const SECRET = 'whsec_8d7f6e5a4b3c2d1e';

let open: TeamState[] = [];
afterEach(async () => {
  for (const ts of open) await ts.close();
  open = [];
});

async function setup() {
  const ts = await openTeamState([testConnector({ repositories: ['acme/api'], teamOfRepository, webhookSecret: SECRET })]);
  open.push(ts);
  return ts;
}

function delivery(event: string, payload: unknown, options: { id?: string; secret?: string; body?: string } = {}) {
  const body = options.body ?? JSON.stringify(payload);
  return {
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': options.id ?? `d-${event}-${Math.random().toString(16).slice(2)}`,
      'x-hub-signature-256': `sha256=${hmacSha256Hex(options.secret ?? SECRET, body)}`,
      'user-agent': 'GitHub-Hookshot/7a9b2c1',
    } as Record<string, string | undefined>,
    rawBody: Buffer.from(body),
  };
}

const pullRequestEvent = () => fixture<{ pull_request: { number: number } }>('webhook-pull-request.json');

describe('github webhooks: signatures', () => {
  it('accepts a valid X-Hub-Signature-256 and refuses a wrong secret, a flipped byte or a missing signature with 401, storing nothing', async () => {
    const ts = await setup();
    const payload = pullRequestEvent();
    const wrongSecret = delivery('pull_request', payload, { secret: 'not-the-secret' });
    expect((await ts.webhooks.receive('github', wrongSecret)).status).toBe(401);

    const flipped = delivery('pull_request', payload);
    flipped.rawBody[10] = flipped.rawBody[10]! ^ 0x01;
    expect((await ts.webhooks.receive('github', flipped)).status).toBe(401);

    const missing = delivery('pull_request', payload);
    delete missing.headers['x-hub-signature-256'];
    expect((await ts.webhooks.receive('github', missing)).status).toBe(401);

    // Nothing was read from GitHub or stored for the refused deliveries.
    expect(kit.fake.requests).toEqual([]);
    expect((await ts.export()).workItems).toEqual([]);
    const rows = await ts.store.execute('SELECT COUNT(*) AS n FROM webhook_deliveries', []);
    expect(Number(rows.rows[0]!.n)).toBe(0);

    expect((await ts.webhooks.receive('github', delivery('pull_request', payload))).status).toBe(202);
  });

  it('has no webhook endpoint without a webhook secret', async () => {
    const ts = await openTeamState([testConnector({ repositories: ['acme/api'], teamOfRepository })]);
    open.push(ts);
    expect((await ts.webhooks.receive('github', delivery('pull_request', pullRequestEvent()))).status).toBe(404);
  });
});

describe('github webhooks: events', () => {
  it('pull_request stores the pull request at once, complete (read back with the sync query)', async () => {
    const ts = await setup();
    const response = await ts.webhooks.receive('github', delivery('pull_request', pullRequestEvent()));
    expect(response).toEqual({ status: 202, body: { ok: true, message: 'pull_request processed' } });
    const item = (await ts.export()).workItems.find((w) => w.key === 'acme/api#107')!;
    expect(item).toMatchObject({
      id: 'gh-pr-acme/api#107',
      state: 'open',
      team: 'payments',
      author: 'bobk',
      readyAt: '2026-03-08T09:00:00.000Z',
      firstCommitAt: '2026-03-08T08:30:00.000Z',
      reviews: [{ reviewer: 'anag', state: 'approved', submittedAt: '2026-03-09T09:55:00.000Z' }],
    });
    expect(kit.fake.requests.map((r) => r.operation)).toEqual(['TeamstatePullRequest']);
  });

  it('pull_request_review updates the reviews of the pull request', async () => {
    const ts = await setup();
    await ts.webhooks.receive('github', delivery('pull_request', pullRequestEvent()));
    const pr = kit.fake.repository('acme/api').pullRequests.find((p) => p.number === 107)!;
    pr.reviews.push({ state: 'CHANGES_REQUESTED', submittedAt: '2026-03-10T08:00:00Z', author: pr.reviews[0]!.author });
    const response = await ts.webhooks.receive('github', delivery('pull_request_review', fixture('webhook-pull-request-review.json')));
    expect(response.status).toBe(202);
    const item = (await ts.export()).workItems.find((w) => w.key === 'acme/api#107')!;
    expect(item.reviews!.map((r) => r.state)).toEqual(['approved', 'changes_requested']);
  });

  it('deployment_status stores the deployment with the pull requests its commit range shipped', async () => {
    const ts = await setup();
    // The pull requests must be known for a deployment to reference them.
    await ts.sync();
    await ts.store.execute("DELETE FROM deployment_pull_requests WHERE deployment_id = 'gh-deploy-acme/api-9004'", []);
    await ts.store.execute("DELETE FROM deployments WHERE id = 'gh-deploy-acme/api-9004'", []);
    kit.fake.requests.length = 0;
    const response = await ts.webhooks.receive('github', delivery('deployment_status', fixture('webhook-deployment-status.json')));
    expect(response.status).toBe(202);
    const deployment = (await ts.export()).deployments.find((d) => d.id === 'gh-deploy-acme/api-9004')!;
    expect(deployment).toMatchObject({
      environment: 'production',
      status: 'success',
      finishedAt: '2026-03-07T15:20:00.000Z',
      pullRequests: ['gh-pr-acme/api#102', 'gh-pr-acme/api#106'],
    });
    expect(kit.fake.requests.map((r) => r.operation)).toEqual(['TeamstateDeploymentWithNeighbours', 'TeamstateCommitHistory']);
  });

  it('deduplicates deliveries by X-GitHub-Delivery', async () => {
    const ts = await setup();
    const first = delivery('pull_request', pullRequestEvent(), { id: '72d3162e-cc78-11e3-81ab-4c9367dc0958' });
    expect((await ts.webhooks.receive('github', first)).status).toBe(202);
    const again = await ts.webhooks.receive(
      'github',
      delivery('pull_request', pullRequestEvent(), { id: '72d3162e-cc78-11e3-81ab-4c9367dc0958' }),
    );
    expect(again).toMatchObject({ status: 200, body: { duplicate: true } });
    expect(kit.fake.count('TeamstatePullRequest')).toBe(1);
  });

  it('answers 400 to a signed payload it cannot use, and ignores events it does not use', async () => {
    const ts = await setup();
    const notJson = await ts.webhooks.receive('github', delivery('pull_request', undefined, { body: '{"action": "opened", ' }));
    expect(notJson).toMatchObject({ status: 400, body: { message: 'the body is not valid JSON' } });
    const unusable = await ts.webhooks.receive(
      'github',
      delivery('pull_request', { action: 'opened', repository: { full_name: 'acme/api' } }),
    );
    expect(unusable.status).toBe(400);
    expect(unusable.body.message).toMatch(/^pull_request: payload\.pull_request .*is this a GitHub pull_request delivery/);
    expect((await ts.webhooks.receive('github', delivery('ping', fixture('webhook-ping.json')))).status).toBe(202);
    expect((await ts.webhooks.receive('github', delivery('issues', { action: 'opened' }))).body).toMatchObject({ ignored: true });
    const elsewhere = { ...pullRequestEvent(), repository: { full_name: 'someone/else' } };
    expect((await ts.webhooks.receive('github', delivery('pull_request', elsewhere))).body).toMatchObject({
      ignored: true,
      message: 'someone/else is not a synced repository',
    });
    expect(kit.fake.requests).toEqual([]);
  });
});

describe('github webhooks: when GitHub is down', () => {
  async function downSetup() {
    const now = { ms: NOW.getTime() };
    const ts = await openTeamState([testConnector({ repositories: ['acme/api'], teamOfRepository, webhookSecret: SECRET })], {
      clock: () => new Date(now.ms),
      webhooks: { retryAfterMs: 60_000 },
    });
    open.push(ts);
    return { ts, now };
  }
  const badGateway = () => ({ status: 502, body: { message: 'Server Error' } });

  it('answers 202, stores the pull request the payload carries, lists the delivery, and completes it after the back-off', async () => {
    const { ts, now } = await downSetup();
    kit.fake.intercept(badGateway);
    const id = '5e1f0c2a-1b7d-11f1-9a3e-2f4b8c6d0e1a';
    const answer = await ts.webhooks.receive('github', delivery('pull_request', pullRequestEvent(), { id }));
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ ok: true, queued: true });
    // What the payload says, at once: title, state, author, size, labels, head.
    expect(await ts.workItems.get('gh-pr-acme/api#107')).toMatchObject({
      title: 'Expose refund status in the API',
      state: 'open',
      team: 'payments',
      author: 'bobk',
      labels: ['backend'],
      additions: 70,
      deletions: 5,
      headSha: '3f61590e3ff60b81b7fd74e87b815ce8b81cbf42',
      updatedAt: '2026-03-09T10:00:00.000Z',
    });
    const [failed, ...others] = await ts.webhooks.list({ failed: true });
    expect(others).toEqual([]);
    expect(failed).toMatchObject({ provider: 'github', id, event: 'pull_request', status: 'retrying', attempts: 1 });
    expect(failed!.lastError).toMatch(/502/);
    expect(failed!.lastError).not.toContain(TOKEN);
    // One request only: the queue retries, not the answer.
    expect(kit.fake.count('TeamstatePullRequest')).toBe(1);

    kit.fake.clearInterceptors();
    now.ms += 60_000;
    expect(await ts.webhooks.drain()).toMatchObject({ attempted: 1, processed: 1 });
    expect(await ts.webhooks.list({ failed: true })).toEqual([]);
    // Complete now: the reviews and times only the read-back has.
    expect(await ts.workItems.get('gh-pr-acme/api#107')).toMatchObject({
      readyAt: '2026-03-08T09:00:00.000Z',
      firstCommitAt: '2026-03-08T08:30:00.000Z',
      reviews: [{ reviewer: 'anag', state: 'approved', submittedAt: '2026-03-09T09:55:00.000Z' }],
    });
  });

  it('reads AI evidence from the payload while the read-back fails: an agent author (REST form) and labels', async () => {
    const { ts } = await downSetup();
    kit.fake.intercept(badGateway);
    const event = pullRequestEvent() as { pull_request: Record<string, unknown> };
    event.pull_request.user = { login: 'claude[bot]', id: 209825114, type: 'Bot' };
    event.pull_request.labels = [{ name: 'backend' }, { name: 'ai-claude' }];
    expect((await ts.webhooks.receive('github', delivery('pull_request', event, { id: 'agent-1' }))).status).toBe(202);
    expect((await ts.workItems.get('gh-pr-acme/api#107'))!.ai).toEqual({
      assisted: true,
      tools: ['claude'],
      evidence: [
        { kind: 'author', value: 'claude[bot]' },
        { kind: 'label', value: 'ai-claude' },
      ],
    });
    // A person's PR whose payload has no commits keeps the evidence stored for it; the label is read again.
    const human = pullRequestEvent() as { pull_request: Record<string, unknown> };
    human.pull_request.labels = [{ name: 'backend' }];
    expect((await ts.webhooks.receive('github', delivery('pull_request', human, { id: 'human-1' }))).status).toBe(202);
    expect((await ts.workItems.get('gh-pr-acme/api#107'))!.ai).toMatchObject({ assisted: true, tools: ['claude'] });
  });

  it('keeps what a sync stored that the payload does not carry while the read-back fails, and a lost answer is retried too', async () => {
    const { ts } = await downSetup();
    await ts.sync();
    const synced = (await ts.workItems.get('gh-pr-acme/api#107'))!;
    expect(synced.reviews).toHaveLength(1);
    kit.fake.dropAnswer = (request) => request.graphql?.operation === 'TeamstatePullRequest';
    const payload = fixture<{ pull_request: { title: string; updated_at: string } }>('webhook-pull-request.json');
    payload.pull_request.title = 'Expose refund status in the API (v2)';
    payload.pull_request.updated_at = '2026-03-09T11:00:00Z';
    const answer = await ts.webhooks.receive('github', delivery('pull_request', payload, { id: 'lost-answer-1' }));
    expect(answer.status).toBe(202);
    const item = (await ts.workItems.get('gh-pr-acme/api#107'))!;
    expect(item.title).toBe('Expose refund status in the API (v2)');
    expect({ readyAt: item.readyAt, firstCommitAt: item.firstCommitAt, reviews: item.reviews }).toEqual({
      readyAt: synced.readyAt,
      firstCommitAt: synced.firstCommitAt,
      reviews: synced.reviews,
    });
    expect((await ts.webhooks.list({ failed: true })).map((d) => d.id)).toEqual(['lost-answer-1']);

    kit.fake.dropAnswer = undefined;
    expect(await ts.webhooks.retry('lost-answer-1')).toMatchObject({ status: 'processed', attempts: 2 });
  });

  it('stores the pull request the payload carries when GitHub does not answer in time, and lists the delivery', async () => {
    const ts = await openTeamState([testConnector({ repositories: ['acme/api'], teamOfRepository, webhookSecret: SECRET })], {
      webhooks: { answerWithinMs: 50, attemptTimeoutMs: 300 },
    });
    open.push(ts);
    // GitHub hangs: it would answer 502 after two seconds, long after the attempt gave up.
    kit.fake.intercept(() => new Promise((resolve) => setTimeout(() => resolve(badGateway()), 2_000)));
    const answer = await ts.webhooks.receive('github', delivery('pull_request', pullRequestEvent(), { id: 'hangs-1' }));
    expect(answer).toMatchObject({ status: 202, body: { ok: true, queued: true } });
    await ts.webhooks.idle();
    expect(await ts.workItems.get('gh-pr-acme/api#107')).toMatchObject({ title: 'Expose refund status in the API', author: 'bobk' });
    const [listed] = await ts.webhooks.list({ failed: true });
    expect(listed).toMatchObject({ id: 'hangs-1', status: 'retrying', attempts: 1 });
    expect(listed!.lastError).toMatch(/^reading acme\/api#107 back failed: .*abort/i);
  });

  it('answers 202 to a deployment_status whose read-back fails, and lists it', async () => {
    const { ts } = await downSetup();
    kit.fake.intercept(badGateway);
    const answer = await ts.webhooks.receive(
      'github',
      delivery('deployment_status', fixture('webhook-deployment-status.json'), { id: 'dep-1' }),
    );
    expect(answer).toMatchObject({ status: 202, body: { queued: true } });
    expect(await ts.webhooks.list({ failed: true })).toEqual([expect.objectContaining({ id: 'dep-1', status: 'retrying' })]);
  });
});
