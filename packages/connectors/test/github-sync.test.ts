import { generateKeyPairSync } from 'node:crypto';
import { github } from '@teamstate/connectors/github';
import { createTeamState } from '@teamstate/core';
import { describe, expect, it } from 'vitest';
import {
  NOW,
  openTeamState,
  recordingSleep,
  syncWithProgress,
  TOKEN,
  teamOfRepository,
  testConnector,
  useFakeGitHub,
} from './github/github-test-kit.js';

const kit = useFakeGitHub();

const base = { org: 'acme', repositories: ['acme/api', 'acme/web'], teamOfRepository };

describe('github sync: what is stored', () => {
  it('stores pull requests with reviews, labels, draft and ready times, first commit, size and merge state', async () => {
    const ts = await openTeamState([testConnector(base)]);
    const { result } = await syncWithProgress(ts);
    expect(result.ok).toBe(true);
    const bundle = await ts.export();
    const pr = (n: number) => bundle.workItems.find((w) => w.key === `acme/api#${n}`)!;

    expect(pr(101)).toEqual({
      id: 'gh-pr-acme/api#101',
      source: 'github',
      kind: 'pull_request',
      key: 'acme/api#101',
      title: 'Add idempotency keys to payment intents',
      state: 'merged',
      team: 'payments',
      repository: 'acme/api',
      author: 'anag',
      assignees: ['anag'],
      createdAt: '2026-03-02T09:00:00.000Z',
      updatedAt: '2026-03-03T10:05:00.000Z',
      firstCommitAt: '2026-03-01T17:20:00.000Z',
      readyAt: '2026-03-02T11:30:00.000Z',
      mergedAt: '2026-03-03T10:00:00.000Z',
      closedAt: '2026-03-03T10:00:00.000Z',
      draft: false,
      labels: ['backend'],
      paths: ['services/payments/intents.ts', 'services/payments/intents.test.ts', 'docs/payments/idempotency.md'],
      additions: 240,
      deletions: 35,
      // The bot's review and the pending (unsubmitted) review are not reviews by people.
      reviews: [
        { reviewer: 'bobk', state: 'changes_requested', submittedAt: '2026-03-02T15:00:00.000Z' },
        { reviewer: 'bobk', state: 'approved', submittedAt: '2026-03-03T09:30:00.000Z' },
      ],
      headSha: expect.stringMatching(/^[0-9a-f]{40}$/),
      url: 'https://github.com/acme/api/pull/101',
      body: 'Add idempotency keys to payment intents.\n\n## Testing\n- unit tests',
      ai: { assisted: null, tools: [], evidence: [] },
    });
    // A draft has no ready time; a PR never drafted was ready when opened; a bot or deleted author is no person.
    expect(pr(103)).toMatchObject({ state: 'open', draft: true });
    expect(pr(103).readyAt).toBeUndefined();
    expect(pr(107).readyAt).toBe('2026-03-08T09:00:00.000Z');
    expect(pr(104)).toMatchObject({ state: 'closed', labels: ['dependencies'] });
    expect(pr(104).author).toBeUndefined();
    expect(pr(106).author).toBeUndefined();
    // A PR whose changed files GitHub does not list (null) has no paths.
    expect(pr(103).paths).toBeUndefined();
    await ts.close();
  });

  it('follows nested connections that overflow their first page (30 reviews, 23 labels, 12 assignees)', async () => {
    const ts = await openTeamState([testConnector(base)]);
    await ts.sync();
    const items = (await ts.export()).workItems;
    const overflowing = items.find((w) => w.key === 'acme/api#102')!;
    expect(overflowing.reviews).toHaveLength(30);
    expect(overflowing.reviews!.at(-1)).toMatchObject({ state: 'approved', reviewer: 'carlam' });
    const wide = items.find((w) => w.key === 'acme/api#105')!;
    expect(wide.labels).toHaveLength(23);
    expect(wide.assignees).toHaveLength(12);
    // One aliased follow-up query completed all three connections.
    expect(kit.fake.count('TeamstatePullRequestConnections')).toBe(1);
    await ts.close();
  });

  it('links people through identity resolution (email, login) and stores the organisation teams', async () => {
    const ts = await openTeamState([testConnector(base)]);
    await ts.import({ format: 'teamstate.bundle/v1', people: [{ id: 'ana-garcia', name: 'Ana Garcia', email: 'ana@acme.example' }] });
    await ts.sync();
    const bundle = await ts.export();
    // Ana existed with her email: her GitHub account was linked to her, not to a new person.
    const ana = bundle.people.find((p) => p.id === 'ana-garcia')!;
    expect(ana.accounts).toEqual([{ provider: 'github', id: '1001', login: 'anag' }]);
    expect(bundle.people.find((p) => p.id === 'anag')).toBeUndefined();
    expect(bundle.workItems.find((w) => w.key === 'acme/api#101')!.author).toBe('ana-garcia');
    expect(bundle.people.find((p) => p.id === 'bobk')).toMatchObject({ name: 'Bob Kim', teams: ['payments'] });
    // The GitHub team "payments" is the configured team of that id: it gets GitHub's members.
    const teams = Object.fromEntries(bundle.teams.map((t) => [t.id, t]));
    expect(teams.platform).toMatchObject({ name: 'Platform' });
    expect(bundle.people.filter((p) => p.teams?.includes('platform'))).toHaveLength(13);
    // No person for the bot.
    expect(bundle.people.some((p) => p.accounts?.some((a) => a.login === 'dependabot'))).toBe(false);
    await ts.close();
  });

  it('stores deployments with their statuses and the pull requests each shipped, by commit range', async () => {
    const ts = await openTeamState([testConnector(base)]);
    await ts.sync();
    const deployments = Object.fromEntries((await ts.export()).deployments.map((d) => [d.id, d]));
    expect(deployments['gh-deploy-acme/api-9001']).toMatchObject({
      environment: 'production',
      status: 'success',
      finishedAt: '2026-03-01T16:09:00.000Z',
    });
    // The first deployment of an environment has no range: its pull requests stay unknown.
    expect(deployments['gh-deploy-acme/api-9001']!.pullRequests).toBeUndefined();
    expect(deployments['gh-deploy-acme/api-9002']).toMatchObject({
      status: 'success',
      startedAt: '2026-03-03T10:51:00.000Z',
      finishedAt: '2026-03-03T10:58:00.000Z',
      pullRequests: ['gh-pr-acme/api#101'],
    });
    expect(deployments['gh-deploy-acme/api-9003']).toMatchObject({ status: 'failure', finishedAt: '2026-03-06T12:40:00.000Z' });
    // 9004's range starts at the last success (9002), so it shipped 102 (whose deploy failed) and 106.
    expect(deployments['gh-deploy-acme/api-9004']!.pullRequests).toEqual(['gh-pr-acme/api#102', 'gh-pr-acme/api#106']);
    expect(deployments['gh-deploy-acme/api-9005']).toMatchObject({ environment: 'staging', status: 'in_progress' });
    await ts.close();
  });

  it('creates the owning teams on an empty store (a first `sync --only github`), leaving existing teams as they are', async () => {
    const ts = await createTeamState({
      database: ':memory:',
      clock: () => NOW,
      connectors: [
        testConnector({ repositories: ['acme/api'], teamOfRepository, configuredTeams: [{ id: 'payments', name: 'Payments Team' }] }),
      ],
    });
    const result = await ts.sync();
    expect(result.ok).toBe(true);
    const bundle = await ts.export();
    expect(bundle.teams).toEqual([{ id: 'payments', name: 'Payments Team' }]);
    expect(bundle.repositories).toEqual([{ id: 'acme/api', team: 'payments' }]);
    expect(bundle.workItems.every((w) => w.team === 'payments')).toBe(true);
    await ts.close();
  });

  it('stores issues labelled as incidents, with severity from their labels', async () => {
    const ts = await openTeamState([testConnector(base)]);
    await ts.sync();
    const incidents = (await ts.export()).incidents;
    expect(incidents).toEqual([
      {
        id: 'gh-incident-acme/api#201',
        title: 'Payments API returning 500s after ledger split',
        severity: 'sev1',
        createdAt: '2026-03-06T13:00:00.000Z',
        resolvedAt: '2026-03-06T15:30:00.000Z',
        repository: 'acme/api',
      },
      {
        id: 'gh-incident-acme/api#202',
        title: 'Webhook deliveries delayed',
        severity: 'high',
        createdAt: '2026-03-08T07:00:00.000Z',
        repository: 'acme/api',
      },
    ]);
    await ts.close();
  });
});

describe('github sync: cost and incrementality', () => {
  it('pages through pull requests and re-syncs an unchanged repository with one request', async () => {
    const ts = await openTeamState([testConnector({ ...base, org: undefined, pageSize: 5 })]);
    await ts.sync();
    // 7 PRs of acme/api at 5 a page: two pages; acme/web: one.
    expect(kit.fake.requests.filter((r) => r.operation === 'TeamstatePullRequests').map((r) => r.variables?.first)).toEqual([5, 5, 5]);
    const before = await ts.export();
    kit.fake.requests.length = 0;
    const again = await ts.sync();
    expect(again.ok).toBe(true);
    expect(kit.fake.requests.map((r) => r.operation)).toEqual(['TeamstateProbe']);
    expect(await ts.export()).toEqual(before);
    await ts.close();
  });

  it('fetches only what changed since the last run', async () => {
    const ts = await openTeamState([testConnector({ ...base, org: undefined })]);
    await ts.sync();
    const pr = kit.fake.repository('acme/api').pullRequests.find((p) => p.number === 107)!;
    pr.title = 'Expose refund status and reason in the API';
    pr.updatedAt = '2026-03-10T11:00:00Z';
    kit.fake.requests.length = 0;
    await ts.sync();
    const pages = kit.fake.requests.filter((r) => r.operation === 'TeamstatePullRequests');
    expect(pages).toHaveLength(1);
    expect(kit.fake.requests.map((r) => r.operation)).toEqual(['TeamstateProbe', 'TeamstatePullRequests']);
    const item = (await ts.export()).workItems.find((w) => w.key === 'acme/api#107')!;
    expect(item.title).toBe('Expose refund status and reason in the API');
    await ts.close();
  });

  it('halves the page size when GitHub answers 502 to a large page, then grows back', async () => {
    kit.fake.intercept((request) =>
      request.graphql?.operation === 'TeamstatePullRequests' && Number(request.graphql.variables.first) > 2
        ? { status: 502, body: { message: 'Server Error' } }
        : undefined,
    );
    const ts = await openTeamState([testConnector({ ...base, org: undefined, repositories: ['acme/api'], pageSize: 8 })]);
    const { result } = await syncWithProgress(ts);
    expect(result.ok).toBe(true);
    const sizes = kit.fake.requests.filter((r) => r.operation === 'TeamstatePullRequests').map((r) => [r.variables?.first, r.status]);
    // 8 and 4 fail, 2 works; after two good pages it tries 4 again, which fails again.
    expect(sizes).toEqual([
      [8, 502],
      [4, 502],
      [2, 200],
      [2, 200],
      [4, 502],
      [2, 200],
      [2, 200],
    ]);
    expect((await ts.export()).workItems.filter((w) => w.repository === 'acme/api')).toHaveLength(7);
    await ts.close();
  });

  it('survives a crash mid-sync: the next run resumes and ends with the same rows as a clean sync', async () => {
    const clean = await openTeamState([testConnector({ ...base, pageSize: 5 })]);
    await clean.sync();
    const expected = await clean.export();
    await clean.close();

    kit.fake.requests.length = 0;
    const controller = new AbortController();
    // The second page of pull requests never comes back: Ctrl-C is pressed while it is in flight.
    kit.fake.intercept((request) => {
      if (request.graphql?.operation === 'TeamstatePullRequests' && request.graphql.variables.after) {
        controller.abort();
        return { status: 502, body: { message: 'Server Error' } };
      }
      return undefined;
    });
    const ts = await openTeamState([testConnector({ ...base, pageSize: 5 })]);
    const first = await ts.sync({ signal: controller.signal });
    expect(first.connectors.find((c) => c.connector === 'github')!.status).toBe('aborted');
    // The first page's pull requests are stored but for #102 (30 reviews) and #105 (23 labels, 12 assignees): they
    // wait for their follow-ups, which would have served the next page too, and the stored cursor names them.
    const partial = (await ts.export()).workItems.filter((w) => w.repository === 'acme/api');
    expect(partial.map((w) => w.key).sort()).toEqual(['acme/api#103', 'acme/api#106', 'acme/api#107']);

    kit.fake.clearInterceptors();
    kit.fake.requests.length = 0;
    const second = await ts.sync();
    expect(second.ok).toBe(true);
    // It resumed after the stored page instead of starting over.
    const resumed = kit.fake.requests.filter((r) => r.operation === 'TeamstatePullRequests');
    expect(resumed[0]!.variables?.after).toBeTruthy();
    // The two that were waiting are read again, one request each, and completed with the rest.
    const readAgain = kit.fake.requests.filter((r) => r.operation === 'TeamstatePullRequest' && r.variables?.owner === 'acme');
    expect(readAgain.map((r) => r.variables?.number).sort()).toEqual([102, 105]);
    expect(await ts.export()).toEqual(expected);
    await ts.close();
  });

  it('picks up a deployment that finished after the last sync', async () => {
    const ts = await openTeamState([testConnector({ ...base, org: undefined })]);
    await ts.sync();
    const staging = kit.fake.repository('acme/api').deployments.find((d) => d.databaseId === 9005)!;
    const done = { state: 'SUCCESS', createdAt: '2026-03-10T09:00:00Z' };
    staging.statuses.push(done);
    staging.latestStatus = done;
    kit.fake.requests.length = 0;
    await ts.sync();
    expect(kit.fake.requests.map((r) => r.operation)).toEqual(['TeamstateProbe', 'TeamstateDeploymentNodes']);
    const deployment = (await ts.export()).deployments.find((d) => d.id === 'gh-deploy-acme/api-9005')!;
    expect(deployment).toMatchObject({ status: 'success', finishedAt: '2026-03-10T09:00:00.000Z' });
    await ts.close();
  });
});

describe('github sync: rate limits', () => {
  it('waits until x-ratelimit-reset on a primary rate limit, reports the wait, and carries on', async () => {
    const waits = recordingSleep();
    const reset = Math.floor(NOW.getTime() / 1000) + 120;
    let limited = false;
    kit.fake.intercept((request) => {
      if (limited || request.graphql?.operation !== 'TeamstatePullRequests') return undefined;
      limited = true;
      return {
        status: 403,
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset), 'x-ratelimit-resource': 'graphql' },
        body: {
          message: 'API rate limit exceeded for user ID 1001.',
          documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
        },
      };
    });
    const ts = await openTeamState([testConnector({ ...base, org: undefined }, waits)]);
    const { result, progress } = await syncWithProgress(ts);
    expect(result.ok).toBe(true);
    expect(waits.waits).toEqual([121_000]);
    expect(progress.find((p) => p.waitingMs)).toMatchObject({
      connector: 'github',
      waitingMs: 121_000,
      message: expect.stringMatching(/rate limit/),
    });
    await ts.close();
  });

  it('waits retry-after on a secondary rate limit, else 60 s and then twice as long each time', async () => {
    const waits = recordingSleep();
    let hits = 0;
    kit.fake.intercept((request) => {
      if (request.graphql?.operation !== 'TeamstateProbe') return undefined;
      hits += 1;
      if (hits === 1)
        return { status: 403, headers: { 'retry-after': '30' }, body: { message: 'You have exceeded a secondary rate limit.' } };
      if (hits <= 3)
        return {
          status: 403,
          body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
        };
      return undefined;
    });
    const ts = await openTeamState([testConnector({ ...base, org: undefined }, waits)]);
    const result = await ts.sync();
    expect(result.ok).toBe(true);
    expect(waits.waits).toEqual([30_000, 120_000, 240_000]);
    await ts.close();
  });

  it('waits for the GraphQL points budget to refill before a query it cannot afford', async () => {
    const waits = recordingSleep();
    const ts = await openTeamState([testConnector({ ...base, org: undefined }, waits)]);
    const budget = { limit: 5000, remaining: 1, resetAt: Math.floor(NOW.getTime() / 1000) + 600 };
    kit.fake.budgets.set('graphql', budget);
    const result = await ts.sync();
    expect(result.ok).toBe(true);
    // The probe cost 1 point and left 0: the next query waited for the reset (plus a second).
    expect(waits.waits[0]).toBe(601_000);
    await ts.close();
  });
});

describe('github sync: sources and hosts', () => {
  it('syncs every repository of the organisation, without archived ones unless asked', async () => {
    const ts = await openTeamState([testConnector({ org: 'acme', teamOfRepository, syncTeams: false })]);
    await ts.sync();
    expect((await ts.export()).repositories.map((r) => r.id)).toEqual(['acme/api', 'acme/web']);
    await ts.close();
    const all = await openTeamState([testConnector({ org: 'acme', teamOfRepository, includeArchived: true, syncTeams: false })]);
    await all.sync();
    expect((await all.export()).repositories).toContainEqual({ id: 'acme/legacy' });
    await all.close();
  });

  it('authenticates as a GitHub App installation: JWT for an installation token, then the token', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const connector = github({
      app: { appId: 123456, privateKey: pem, installationId: 9876 },
      repositories: ['acme/api'],
      teamOfRepository,
    });
    const ts = await openTeamState([connector]);
    const result = await ts.sync();
    expect(result.ok).toBe(true);
    expect(kit.fake.requests[0]).toMatchObject({ method: 'POST', path: '/app/installations/9876/access_tokens', status: 201 });
    expect(kit.fake.requests.filter((r) => r.path === '/graphql').every((r) => r.authorization === 'token ghs_installation9876')).toBe(
      true,
    );
    await ts.close();
  });

  it('talks to GitHub Enterprise Server at <host>/api/v3 and <host>/api/graphql', async () => {
    const ts = await openTeamState([testConnector({ ...base, baseUrl: 'https://ghe.acme.example' })]);
    const result = await ts.sync();
    expect(result.ok).toBe(true);
    expect((await ts.export()).workItems.length).toBeGreaterThan(0);
    await ts.close();
  });

  it('uses workflow runs as deployments, re-checking with an ETag that costs nothing when unchanged (304)', async () => {
    const ts = await openTeamState([
      testConnector({
        ...base,
        org: undefined,
        repositories: ['acme/api'],
        deployments: { source: 'workflow_runs', workflow: 'deploy.yml' },
      }),
    ]);
    await ts.sync();
    const deployments = (await ts.export()).deployments;
    expect(deployments.map((d) => [d.id, d.status])).toEqual([
      ['gh-run-acme/api-30433601', 'success'],
      ['gh-run-acme/api-30433602', 'failure'],
      ['gh-run-acme/api-30433604', 'success'],
      ['gh-run-acme/api-30433605', 'in_progress'],
    ]);
    expect(deployments.find((d) => d.id === 'gh-run-acme/api-30433604')!.pullRequests).toEqual([
      'gh-pr-acme/api#102',
      'gh-pr-acme/api#106',
    ]);
    kit.fake.requests.length = 0;
    await ts.sync();
    const runs = kit.fake.requests.filter((r) => r.path.endsWith('/runs'));
    expect(runs).toEqual([expect.objectContaining({ status: 304, ifNoneMatch: expect.stringMatching(/^W\//) })]);
    await ts.close();
  });

  it('uses published releases as deployments and watches drafts until they are published', async () => {
    const ts = await openTeamState([
      testConnector({ ...base, org: undefined, repositories: ['acme/api'], deployments: { source: 'releases' } }),
    ]);
    await ts.sync();
    const ids = () => ts.export().then((b) => b.deployments.map((d) => d.id));
    expect(await ids()).toEqual(['gh-release-acme/api-7001', 'gh-release-acme/api-7003']);
    const draft = kit.fake.repository('acme/api').releases.find((r) => r.databaseId === 7004)!;
    Object.assign(draft, {
      isDraft: false,
      publishedAt: '2026-03-10T10:00:00Z',
      tagCommit: { oid: kit.fake.repository('acme/api').commits.at(-1)!.oid },
    });
    await ts.sync();
    expect(await ids()).toContain('gh-release-acme/api-7004');
    await ts.close();
  });

  it('refuses wrong options with the field and the fix, and never puts the token in errors', async () => {
    expect(() => testConnector({ repositories: ['acme'] })).toThrow(/repositories\[0\]: expected "owner\/name"/);
    expect(() => testConnector({})).toThrow(/set repositories .* or org/);
    expect(() => testConnector({ repositories: ['acme/api'], deployments: { source: 'workflow_runs' } })).toThrow(
      /deployments\.workflow: is required/,
    );
    kit.fake.intercept(() => ({ status: 401, body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' } }));
    const ts = await openTeamState([testConnector(base)]);
    const result = await ts.sync();
    const error = result.connectors.find((c) => c.connector === 'github')!.error!;
    expect(error.message).toMatch(/401.*Bad credentials.*connectors\.github\.token/);
    expect(error.message).not.toContain(TOKEN);
    await ts.close();
  });
});
