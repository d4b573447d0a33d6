import { hmacSha256Hex } from '@teamstate/core';
import { describe, expect, it } from 'vitest';
import type { FakeCheckSuite, FakeWorld } from './github/fake-github.js';
import { FakeGitHub } from './github/fake-github.js';
import {
  fixture,
  NOW,
  openTeamState,
  syncWithProgress,
  teamOfRepository,
  testConnector,
  useFakeGitHub,
  world,
} from './github/github-test-kit.js';

// CI runs in the GitHub connector (issue 54): the check suites on each pull request's head commit are read in the
// pull request pages themselves (no request of their own) and stored as builds, one per check run.
const kit = useFakeGitHub();

/** The fixture world with the check suites of `check-suites.json` on the head commits they belong to. */
function worldWithChecks(): FakeWorld {
  const checks = fixture<Record<string, FakeCheckSuite[]>>('check-suites.json');
  const w = world();
  for (const repo of w.repositories)
    for (const pr of repo.pullRequests) {
      const suites = checks[`${repo.nameWithOwner}#${pr.number}`];
      if (suites) pr.checkSuites = suites;
    }
  return w;
}

const options = { org: 'acme', repositories: ['acme/api', 'acme/web'], teamOfRepository };
const SECRET = 'whsec_8d7f6e5a4b3c2d1e';

/** A signed GitHub delivery of `event`. */
function delivery(event: string, payload: unknown) {
  const body = JSON.stringify(payload);
  return {
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': `d-${event}-1`,
      'x-hub-signature-256': `sha256=${hmacSha256Hex(SECRET, body)}`,
      'user-agent': 'GitHub-Hookshot/7a9b2c1',
    } as Record<string, string | undefined>,
    rawBody: Buffer.from(body),
  };
}

describe('github sync: builds from the head commit check suites', () => {
  it('stores every check run as a build, numbering reruns of a job as attempts, without extra requests', async () => {
    kit.fake = new FakeGitHub(worldWithChecks(), { now: () => NOW });
    const ts = await openTeamState([testConnector(options)]);
    const { result } = await syncWithProgress(ts);
    expect(result).toMatchObject({ ok: true });
    const { builds, workItems } = await ts.export();
    const head101 = workItems.find((w) => w.key === 'acme/api#101')!.headSha!;
    expect(builds.filter((b) => b.pullRequest === 'gh-pr-acme/api#101')).toEqual([
      expect.objectContaining({
        id: 'gh-check-acme/api-CR_kwDOKx1A0s8AAAAFBVuAwGo',
        workflow: 'CI',
        job: 'lint',
        conclusion: 'success',
        attempt: 1,
      }),
      {
        id: 'gh-check-acme/api-CR_kwDOKx1A0s8AAAAFBVuAwGk',
        repository: 'acme/api',
        workflow: 'CI',
        job: 'test',
        commit: head101,
        pullRequest: 'gh-pr-acme/api#101',
        status: 'completed',
        conclusion: 'failure',
        startedAt: '2026-03-02T10:58:50.000Z',
        completedAt: '2026-03-02T11:06:12.000Z',
        attempt: 1,
      },
      // The rerun of `test` in the same workflow run.
      expect.objectContaining({ id: 'gh-check-acme/api-CR_kwDOKx1A0s8AAAAFBVuAweE', job: 'test', conclusion: 'success', attempt: 2 }),
      // A CI app other than GitHub Actions: its name is the workflow.
      expect.objectContaining({
        id: 'gh-check-acme/api-CR_kwDOKx1A0s8AAAAFBVuAwHI',
        workflow: 'CircleCI Checks',
        job: 'build-and-test',
        attempt: 1,
      }),
    ]);
    // Running and queued jobs have no conclusion yet (and a queued one no start).
    const running = builds.filter((b) => b.pullRequest === 'gh-pr-acme/api#107');
    expect(running.map((b) => [b.job, b.status, b.conclusion, b.startedAt])).toEqual([
      ['lint', 'queued', undefined, undefined],
      ['test', 'in_progress', undefined, '2026-03-09T09:58:12.000Z'],
    ]);
    expect(builds).toHaveLength(8);
    await ts.close();

    // Builds ride in the pull request pages: the same sync without any CI makes exactly the same requests.
    const withChecks = kit.fake.requests.map((r) => r.operation ?? `${r.method} ${r.path}`);
    kit.fake = new FakeGitHub(world(), { now: () => NOW });
    const plain = await openTeamState([testConnector(options)]);
    await syncWithProgress(plain);
    expect(kit.fake.requests.map((r) => r.operation ?? `${r.method} ${r.path}`)).toEqual(withChecks);
    expect((await plain.export()).builds).toEqual([]);
    await plain.close();
  });

  it('updates a build when its run finishes, and a pull request without CI has none', async () => {
    kit.fake = new FakeGitHub(worldWithChecks(), { now: () => NOW });
    const ts = await openTeamState([testConnector(options)]);
    await syncWithProgress(ts);
    const pr = kit.fake.world.repositories[0]!.pullRequests.find((p) => p.number === 107)!;
    const [suite] = pr.checkSuites!;
    suite!.status = 'COMPLETED';
    suite!.conclusion = 'SUCCESS';
    for (const run of suite!.checkRuns)
      Object.assign(run, {
        status: 'COMPLETED',
        conclusion: 'SUCCESS',
        startedAt: run.startedAt ?? '2026-03-09T10:01:00Z',
        completedAt: '2026-03-09T10:06:00Z',
      });
    pr.updatedAt = '2026-03-09T10:07:00Z';
    await syncWithProgress(ts);
    const { builds } = await ts.export();
    expect(builds.filter((b) => b.pullRequest === 'gh-pr-acme/api#107').map((b) => [b.job, b.conclusion, b.completedAt])).toEqual([
      ['lint', 'success', '2026-03-09T10:06:00.000Z'],
      ['test', 'success', '2026-03-09T10:06:00.000Z'],
    ]);
    expect(builds.some((b) => b.pullRequest === 'gh-pr-acme/api#102')).toBe(false);
    await ts.close();
  });

  it('stores the builds of the pull requests a completed check_suite webhook names, read back at once', async () => {
    kit.fake = new FakeGitHub(worldWithChecks(), { now: () => NOW });
    const ts = await openTeamState([testConnector({ ...options, webhookSecret: SECRET })]);
    const payload = fixture<{ check_suite: { head_sha: string; pull_requests: unknown[] } }>('webhook-check-suite.json');
    const response = await ts.webhooks.receive('github', delivery('check_suite', payload));
    expect(response).toEqual({ status: 202, body: { ok: true, message: 'check_suite processed' } });
    const { builds, workItems } = await ts.export();
    expect(workItems.map((w) => w.key)).toEqual(['acme/api#105']);
    expect(builds.map((b) => [b.job, b.conclusion, b.commit])).toEqual([
      ['lint', 'success', payload.check_suite.head_sha],
      ['test', 'failure', payload.check_suite.head_sha],
    ]);
    // A suite on a commit that is no pull request's head (a push to main) is acknowledged and left alone.
    const push = { ...payload, check_suite: { ...payload.check_suite, pull_requests: [] } };
    const ignored = await ts.webhooks.receive('github', {
      ...delivery('check_suite', push),
      headers: { ...delivery('check_suite', push).headers, 'x-github-delivery': 'd-push' },
    });
    expect(ignored.status).toBe(202);
    expect((await ts.export()).builds).toHaveLength(2);
    await ts.close();
  });
});
