import { circleci } from '@teamstate/connectors/circleci';
import { createTeamState, type TeamState } from '@teamstate/core';
import { builtinMetrics, builtinSignals } from '@teamstate/metrics';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CIRCLECI,
  CIRCLECI_TOKEN,
  circleciWorld,
  FakeCircleCi,
  type FakePipeline,
  fakeCircleCiHandlers,
} from './circleci/fake-circleci.js';

const NOW = new Date('2026-04-02T00:00:00Z');
const MARCH = { from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' };
const SLUG = 'gh/acme/api';
const planted = () => circleciWorld(SLUG, 60);
const kit = { fake: new FakeCircleCi(planted().projects) };
const server = setupServer(...fakeCircleCiHandlers(() => kit.fake));
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  kit.fake = new FakeCircleCi(planted().projects);
});
afterAll(() => server.close());

const open: TeamState[] = [];
afterEach(async () => {
  for (const ts of open.splice(0)) await ts.close();
});

async function workspace(now: () => Date = () => NOW, projects: string[] = [SLUG]) {
  const connector = circleci({
    token: CIRCLECI_TOKEN,
    baseUrl: CIRCLECI,
    projects,
    repositoryTeams: { 'acme/api': 'platform' },
    configuredTeams: [{ id: 'platform', name: 'Platform' }],
    sleep: async () => {},
  });
  const ts = await createTeamState({
    database: ':memory:',
    connectors: [connector],
    metrics: builtinMetrics,
    signals: builtinSignals,
    clock: now,
  });
  open.push(ts);
  return ts;
}

describe('circleci connector', () => {
  it('stores every job run (reruns included) as a build of the repository, and the success rate equals the truth', async () => {
    const ts = await workspace();
    const result = await ts.sync();
    expect(result.ok, JSON.stringify(result)).toBe(true);
    const world = planted();
    const bundle = await ts.export();
    expect(bundle.builds).toHaveLength(world.runs.length);
    expect(new Set(bundle.builds.map((b) => b.repository))).toEqual(new Set(['acme/api']));
    expect(bundle.repositories).toContainEqual({ id: 'acme/api', team: 'platform' });
    const decided = world.runs.filter((r) => ['success', 'failed', 'infrastructure_fail', 'timedout'].includes(r.status));
    const succeeded = decided.filter((r) => r.status === 'success').length;
    const rate = (await ts.metrics.compute(['build_success_rate'], MARCH)).build_success_rate!;
    expect(rate).toMatchObject({ succeeded, total: decided.length });
    expect(rate.value).toBeCloseTo(succeeded / decided.length, 10);
    // canceled, not_run and on_hold decide nothing; a rerun is attempt 2 of the same job on the same commit.
    const rerun = bundle.builds.filter((b) => b.attempt === 2);
    expect(rerun.length).toBeGreaterThan(5);
    for (const build of rerun)
      expect(
        bundle.builds.some((b) => b.attempt === 1 && b.commit === build.commit && b.job === build.job && b.workflow === build.workflow),
      ).toBe(true);
  });

  it('ci.flaky finds the planted flaky jobs with precision and recall of at least 0.9', async () => {
    const ts = await workspace();
    expect((await ts.sync()).ok).toBe(true);
    await ts.signals.refresh();
    const found = (await ts.signals.list()).filter((s) => s.kind === 'ci.flaky');
    const jobs = new Set(found.map((s) => String((s.evidence as { job?: string }).job)));
    const truth = new Set(planted().flaky);
    const hits = [...jobs].filter((job) => truth.has(job)).length;
    expect(hits / Math.max(jobs.size, 1), `precision: found ${[...jobs]}`).toBeGreaterThanOrEqual(0.9);
    expect(hits / truth.size, `recall: found ${[...jobs]}`).toBeGreaterThanOrEqual(0.9);
  });

  it('reads incrementally by pipeline number: an unchanged re-sync costs one request per project, a new pipeline its own', async () => {
    const ts = await workspace();
    await ts.sync();
    kit.fake.requests.length = 0;
    expect((await ts.sync()).ok).toBe(true);
    expect(kit.fake.requests.map((r) => r.path)).toEqual([`/project/${SLUG}/pipeline`]);
    const pipelines = kit.fake.projects[SLUG]!;
    const last = pipelines.at(-1)!;
    const added: FakePipeline = {
      ...last,
      id: 'c0ffee00-0000-4000-8000-000000000061',
      number: 61,
      created_at: '2026-03-31T10:00:00.000Z',
      vcs: { ...last.vcs, revision: 'abcdef01'.repeat(5) },
      workflows: last.workflows.slice(0, 1).map((w) => ({
        ...w,
        id: 'c0ffee00-0000-4000-8000-000000000610',
        pipeline_id: 'c0ffee00-0000-4000-8000-000000000061',
        pipeline_number: 61,
        jobs: w.jobs.map((j, i) => ({ ...j, id: `c0ffee00-0000-4000-8000-00000000610${i}` })),
      })),
    };
    pipelines.push(added);
    kit.fake.requests.length = 0;
    const before = (await ts.export()).builds.length;
    expect((await ts.sync()).ok).toBe(true);
    expect(kit.fake.requests.map((r) => r.path)).toEqual([
      `/project/${SLUG}/pipeline`,
      `/pipeline/${added.id}/workflow`,
      `/workflow/${added.workflows[0]!.id}/job`,
    ]);
    expect((await ts.export()).builds).toHaveLength(before + added.workflows[0]!.jobs.length);
  });

  it('reads a pipeline again while a rerun may come, and numbers the rerun as attempt 2', async () => {
    const pipelines = kit.fake.projects[SLUG]!;
    const last = pipelines.at(-1)!;
    // The last pipeline failed an hour before the first sync; its workflow is rerun after it.
    const justAfter = new Date(Date.parse(last.created_at) + 3_600_000);
    const [first] = last.workflows;
    last.workflows = [
      { ...first!, status: 'failed', jobs: first!.jobs.map((j) => (j.name === 'integration' ? { ...j, status: 'failed' } : j)) },
    ];
    const clock = { now: justAfter };
    const ts = await workspace(() => clock.now);
    await ts.sync();
    last.workflows.push({
      ...first!,
      id: 'c0ffee00-0000-4000-8000-0000000000aa',
      status: 'success',
      created_at: new Date(justAfter.getTime() + 60_000).toISOString(),
      jobs: first!.jobs.map((j, i) => ({ ...j, id: `c0ffee00-0000-4000-8000-0000000001${String(i).padStart(2, '0')}`, status: 'success' })),
    });
    clock.now = new Date(justAfter.getTime() + 2 * 3_600_000);
    expect((await ts.sync()).ok).toBe(true);
    const integration = (await ts.export()).builds
      .filter((b) => b.commit === last.vcs!.revision && b.job === 'integration')
      .map((b) => [b.attempt, b.conclusion]);
    expect(integration).toEqual([
      [1, 'failure'],
      [2, 'success'],
    ]);
  });

  it('takes the repository from a Bitbucket slug without its bb/ prefix', async () => {
    kit.fake = new FakeCircleCi(circleciWorld('bb/acme/web', 3).projects);
    const ts = await workspace(() => NOW, ['bb/acme/web']);
    expect((await ts.sync()).ok).toBe(true);
    expect(new Set((await ts.export()).builds.map((b) => b.repository))).toEqual(new Set(['acme/web']));
  });

  it('refuses a bad configuration naming the field, and never shows the token', async () => {
    expect(() => circleci({ token: CIRCLECI_TOKEN, projects: ['acme/api'] })).toThrow('circleci.projects.0: expected a project slug');
    expect(() => circleci({ token: '', projects: [SLUG] })).toThrow('circleci.token:');
    expect(() => circleci({ token: CIRCLECI_TOKEN, projects: [SLUG], baseUrl: 'circleci.com' })).toThrow('circleci.baseUrl:');
    const connector = circleci({ token: 'wrong-token-123456', baseUrl: CIRCLECI, projects: [SLUG], sleep: async () => {} });
    const ts = await createTeamState({ database: ':memory:', connectors: [connector], clock: () => NOW });
    open.push(ts);
    const result = await ts.sync();
    const message = result.connectors[0]?.error?.message ?? '';
    expect(message).toContain('401');
    expect(message).toContain('connectors.circleci.token');
    expect(message).not.toContain('wrong-token-123456');
  });
});
