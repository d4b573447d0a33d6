import { gitlab } from '@teamstate/connectors/gitlab';
import { createTeamState, type TeamState } from '@teamstate/core';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitLab, fakeGitLabHandlers, GITLAB, GITLAB_TOKEN, gitlabWorld } from './gitlab/fake-gitlab.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const kit = { fake: new FakeGitLab(gitlabWorld(), { pageSize: 2, now: () => NOW }) };
const server = setupServer(...fakeGitLabHandlers(() => kit.fake), ...fakeGitLabHandlers(() => kit.fake, 'https://gitlab.example.com'));
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  kit.fake = new FakeGitLab(gitlabWorld(), { pageSize: 2, now: () => NOW });
});
afterAll(() => server.close());

const open: TeamState[] = [];
afterEach(async () => {
  for (const ts of open.splice(0)) await ts.close();
});

async function workspace(options: Partial<Parameters<typeof gitlab>[0]> = {}, waits: number[] = []) {
  const connector = gitlab({
    token: GITLAB_TOKEN,
    baseUrl: GITLAB,
    groups: ['acme'],
    repositoryTeams: { 'acme/checkout': 'shop' },
    sleep: async (ms) => void waits.push(ms),
    ...options,
  });
  const ts = await createTeamState({ database: ':memory:', connectors: [connector], clock: () => NOW });
  open.push(ts);
  return ts;
}

const rows = async (ts: TeamState, query: string) => (await ts.store.execute(query)).rows.map((row) => ({ ...row }));

describe('gitlab connector: sync', () => {
  it('stores the groups projects (not archived ones) with their teams, merge requests, reviews, builds and deployments', async () => {
    const ts = await workspace();
    const result = await ts.sync();
    expect(result.ok, JSON.stringify(result)).toBe(true);
    const bundle = await ts.export();
    expect(bundle.repositories).toEqual([{ id: 'acme/checkout', team: 'shop' }, { id: 'acme/platform/api' }]);
    const byKey = new Map(bundle.workItems.map((w) => [w.key, w]));
    expect([...byKey.keys()].sort()).toEqual(['acme/checkout!1', 'acme/checkout!2', 'acme/checkout!3', 'acme/platform/api!7']);
    const first = byKey.get('acme/checkout!1')!;
    expect(first).toMatchObject({
      id: 'gl-mr-acme/checkout!1',
      source: 'gitlab',
      kind: 'pull_request',
      state: 'merged',
      team: 'shop',
      labels: ['backend'],
      createdAt: '2026-03-02T09:00:00.000Z',
      readyAt: '2026-03-02T09:00:00.000Z',
      mergedAt: '2026-03-02T15:00:00.000Z',
      headSha: 'a1'.repeat(20),
    });
    // Ben's comment and approval are reviews; Ana's reply on her own merge request and the system notes are not.
    const people = new Map(bundle.people.map((p) => [p.id, p]));
    expect(first.reviews!.map((r) => [people.get(r.reviewer)?.name, r.state, r.submittedAt])).toEqual([
      ['Ben Okafor', 'commented', '2026-03-02T11:00:00.000Z'],
      ['Ben Okafor', 'approved', '2026-03-02T13:00:00.000Z'],
    ]);
    expect(people.get(first.author!)?.name).toBe('Ana Lima');
    // The draft has no ready time; an open merge request updated recently has its changed paths read.
    expect(byKey.get('acme/checkout!3')).toMatchObject({ draft: true, state: 'closed' });
    expect(byKey.get('acme/checkout!3')!.readyAt).toBeUndefined();
    expect(byKey.get('acme/checkout!2')!.paths).toEqual(['web/cards/list.tsx']);
    expect(byKey.get('acme/platform/api!7')!.reviews!.map((r) => r.state)).toEqual(['approved']);
  });

  it('links members to people by email and username, and makes no person of an access-token bot', async () => {
    const ts = await workspace();
    await ts.sync();
    const accounts = await rows(
      ts,
      "SELECT a.external_id, a.login, p.name, p.email FROM accounts a JOIN people p ON p.id = a.person_id AND p.workspace = a.workspace WHERE a.provider = 'gitlab' ORDER BY a.external_id",
    );
    expect(accounts).toEqual([
      { external_id: '11', login: 'ana', name: 'Ana Lima', email: 'ana@acme.example' },
      { external_id: '12', login: 'ben', name: 'Ben Okafor', email: 'ben@acme.example' },
      { external_id: '13', login: 'cy', name: 'Cy Tanaka', email: null },
    ]);
  });

  it('maps jobs to builds in the shape of GitHub builds, a retry as attempt 2, and production-tier deployments as production', async () => {
    const ts = await workspace();
    await ts.sync();
    const bundle = await ts.export();
    const builds = new Map(bundle.builds.map((b) => [b.id, b]));
    expect(builds.get('gl-job-acme/checkout-7001')).toEqual({
      id: 'gl-job-acme/checkout-7001',
      repository: 'acme/checkout',
      workflow: '.gitlab-ci.yml',
      job: 'test',
      commit: 'a1'.repeat(20),
      pullRequest: 'gl-mr-acme/checkout!1',
      status: 'completed',
      conclusion: 'failure',
      startedAt: '2026-03-02T10:00:30.000Z',
      completedAt: '2026-03-02T10:05:30.000Z',
      attempt: 1,
    });
    expect(builds.get('gl-job-acme/checkout-7002')).toMatchObject({ attempt: 2, conclusion: 'success' });
    expect(builds.get('gl-job-acme/checkout-7005')!.pullRequest).toBeUndefined();
    expect(bundle.deployments.map((d) => [d.id, d.environment, d.status, d.finishedAt])).toEqual([
      ['gl-deploy-acme/checkout-301', 'production', 'success', '2026-03-02T15:40:00.000Z'],
      ['gl-deploy-acme/checkout-302', 'staging', 'success', '2026-03-09T13:05:00.000Z'],
      ['gl-deploy-acme/checkout-303', 'production', 'failure', '2026-03-08T09:10:00.000Z'],
    ]);
  });

  it('pages through keyset (Link) and offset (X-Next-Page) lists, and reads reviews of closed ones from events on a full sync', async () => {
    kit.fake = new FakeGitLab(gitlabWorld(), { pageSize: 1, now: () => NOW });
    const ts = await workspace();
    await ts.sync();
    const paths = kit.fake.requests.map((r) => `${r.path}?${r.search.toString()}`);
    expect(paths.filter((p) => p.startsWith('/groups/acme/projects')).some((p) => p.includes('id_after='))).toBe(true);
    expect(paths.some((p) => p.startsWith('/projects/acme/checkout/merge_requests?') && p.includes('page=2'))).toBe(true);
    // Merged and open merge requests are read with their notes and commits; the closed one (!3) takes the events'.
    const perMergeRequest = paths.filter((p) => /^\/projects\/acme\/checkout\/merge_requests\/\d+\/(notes|commits)\?/.test(p));
    expect([...new Set(perMergeRequest.map((p) => p.split('?')[0]))].sort()).toEqual([
      '/projects/acme/checkout/merge_requests/1/commits',
      '/projects/acme/checkout/merge_requests/1/notes',
      '/projects/acme/checkout/merge_requests/2/commits',
      '/projects/acme/checkout/merge_requests/2/notes',
    ]);
    expect(paths.filter((p) => p.startsWith('/projects/acme/checkout/events'))).not.toHaveLength(0);
  });

  it('costs one request per group (a page of its projects) and one per project (its deployments) on an unchanged re-sync', async () => {
    const ts = await workspace();
    await ts.sync();
    const before = JSON.stringify(await ts.export());
    kit.fake.requests.length = 0;
    // Nothing changed, and no job or deployment was left unfinished.
    expect((await ts.sync()).ok).toBe(true);
    expect(kit.fake.requests.map((r) => r.path)).toEqual([
      '/groups/acme/projects',
      '/projects/acme/checkout/deployments',
      '/projects/acme/platform/api/deployments',
    ]);
    expect(JSON.stringify(await ts.export())).toBe(before);
  });

  it('reads only what changed since the watermark, with each changed merge request s notes and diffs', async () => {
    const ts = await workspace();
    await ts.sync();
    const project = kit.fake.world.projects[0]!;
    const mr = project.mergeRequests[1]!;
    mr.notes.push({
      id: 80099,
      body: 'approved this merge request',
      author: project.mergeRequests[0]!.author!,
      created_at: '2026-03-10T09:00:00.000Z',
      system: true,
      noteable_type: 'MergeRequest',
      noteable_iid: 2,
    });
    mr.updated_at = '2026-03-10T09:00:00.000Z';
    project.last_activity_at = '2026-03-10T09:00:00.000Z';
    kit.fake.requests.length = 0;
    expect((await ts.sync()).ok).toBe(true);
    const paths = kit.fake.requests.map((r) => r.path);
    expect(paths).toContain('/projects/acme/checkout/merge_requests/2/notes');
    expect(paths).toContain('/projects/acme/checkout/merge_requests/2/diffs');
    // The unchanged project costs its one deployments request.
    expect(paths.filter((p) => p.includes('acme/platform/api'))).toEqual(['/projects/acme/platform/api/deployments']);
    expect(paths).toContain('/projects/acme/checkout/merge_requests/2/commits');
    expect(kit.fake.requests.find((r) => r.path === '/projects/acme/checkout/merge_requests')!.search.get('updated_after')).toBe(
      '2026-03-09T12:00:00.000Z',
    );
    const item = (await ts.export()).workItems.find((w) => w.key === 'acme/checkout!2')!;
    expect(item.reviews!.map((r) => r.state)).toEqual(['commented', 'approved']);
  });

  it('picks up a new production deployment on an incremental re-sync, though GitLab does not count it as project activity', async () => {
    const ts = await workspace();
    await ts.sync();
    const project = kit.fake.world.projects[0]!;
    const last = project.deployments.at(-1)!;
    // Deploying does not move the project's last_activity_at.
    project.deployments.push({
      ...last,
      id: 304,
      iid: 4,
      sha: 'a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7',
      created_at: '2026-03-10T10:00:00.000Z',
      updated_at: '2026-03-10T10:12:00.000Z',
      finished_at: '2026-03-10T10:12:00.000Z',
      status: 'success',
      deployable: {
        ...last.deployable!,
        id: 7008,
        status: 'success',
        started_at: '2026-03-10T10:00:00.000Z',
        finished_at: '2026-03-10T10:12:00.000Z',
      },
    });
    const before = (await ts.export()).deployments.length;
    expect((await ts.sync()).ok).toBe(true);
    const deployments = (await ts.export()).deployments;
    expect(deployments).toHaveLength(before + 1);
    expect(deployments.find((d) => d.id === 'gl-deploy-acme/checkout-304')).toMatchObject({
      environment: 'production',
      status: 'success',
      finishedAt: '2026-03-10T10:12:00.000Z',
    });
    kit.fake.requests.length = 0;
    expect((await ts.sync()).ok).toBe(true);
    expect(kit.fake.requests.map((r) => r.path)).toEqual([
      '/groups/acme/projects',
      '/projects/acme/checkout/deployments',
      '/projects/acme/platform/api/deployments',
    ]);
    expect((await ts.export()).deployments).toHaveLength(before + 1);
  });

  it('starts a merge request at its first commit, and takes its ready time from the "marked as ready" note', async () => {
    const mr = kit.fake.world.projects[0]!.mergeRequests[0]!;
    mr.commits = [
      { id: 'c1'.padEnd(40, '0'), title: 'Start', authored_date: '2026-02-27T16:30:00.000+01:00' },
      { id: mr.sha!, title: 'Finish', authored_date: '2026-02-28T09:00:00.000Z' },
    ];
    mr.notes.push({
      id: 80100,
      body: 'marked this merge request as **ready**',
      author: mr.author!,
      created_at: '2026-03-02T09:20:00.000Z',
      system: true,
      noteable_type: 'MergeRequest',
      noteable_iid: mr.iid,
    });
    const ts = await workspace();
    expect((await ts.sync()).ok).toBe(true);
    const item = (await ts.export()).workItems.find((w) => w.key === 'acme/checkout!1')!;
    expect(item.firstCommitAt).toBe('2026-02-27T15:30:00.000Z');
    expect(item.readyAt).toBe('2026-03-02T09:20:00.000Z');
    const open = (await ts.export()).workItems.find((w) => w.key === 'acme/checkout!2')!;
    expect(open.readyAt).toBe(open.createdAt);
  });

  it('waits out a 429 for its Retry-After and a used-up RateLimit-Remaining until RateLimit-Reset', async () => {
    const waits: number[] = [];
    const ts = await workspace({}, waits);
    kit.fake.forced.push({ status: 429, headers: { 'Retry-After': '7' } });
    kit.fake.rateLimitRemaining = 1;
    const result = await ts.sync();
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(waits[0]).toBe(7_000);
    // The second answer said 0 remaining; the next request waited for the reset a minute later.
    expect(waits.slice(1)).toContain(60_000);
  });

  it('reads a self-managed instance at baseUrl/api/v4 and never shows the token in an error', async () => {
    const ts = await workspace({ baseUrl: 'https://gitlab.example.com/', token: 'glpat-wrong-token-0000' });
    const result = await ts.sync();
    expect(result.ok).toBe(false);
    const error = result.connectors[0]!.error!;
    expect(error.message).toContain('GitLab GET /api/v4/groups/acme/projects');
    expect(error.message).toContain('401');
    expect(error.message).toContain('read_api');
    expect(JSON.stringify(result)).not.toContain('glpat-wrong-token-0000');
    expect(kit.fake.requests[0]!.path).toBe('/groups/acme/projects');
  });

  it('refuses a configuration without groups or projects, naming the fix', () => {
    expect(() => gitlab({ token: GITLAB_TOKEN })).toThrow('gitlab: give groups (e.g. [acme]) or projects (e.g. [acme/checkout]) to sync');
    expect(() => gitlab({ token: ' ', groups: ['acme'] })).toThrow('gitlab.token:');
    expect(() => gitlab({ token: GITLAB_TOKEN, groups: ['acme'], baseUrl: 'gitlab.example.com' })).toThrow('gitlab.baseUrl:');
  });

  it('syncs configured projects without groups, two requests each (project, deployments) when unchanged', async () => {
    const ts = await workspace({ groups: [], projects: ['acme/platform/api'] });
    expect((await ts.sync()).ok).toBe(true);
    expect((await ts.export()).workItems.map((w) => w.key)).toEqual(['acme/platform/api!7']);
    kit.fake.requests.length = 0;
    await ts.sync();
    expect(kit.fake.requests.map((r) => r.path)).toEqual(['/projects/acme/platform/api', '/projects/acme/platform/api/deployments']);
  });
});
