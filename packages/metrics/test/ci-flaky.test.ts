import { type BuildInput, createTeamState, type SignalSettings } from '@teamstate/core';
import { describe, expect, it } from 'vitest';
import { ciFlaky } from '../src/signals/index.js';

// ci.flaky (issue 54): a job that failed and then passed on a rerun of the same commit, grouped by repository, workflow
// and job; never a job whose failures are real (a rerun fails again, or a new commit fixes it).

const NOW = '2026-03-31T12:00:00Z';
const base = {
  format: 'teamstate.bundle/v1',
  teams: [
    { id: 'pay', name: 'Payments' },
    { id: 'web', name: 'Web' },
  ],
  repositories: [
    { id: 'acme/api', team: 'pay' },
    { id: 'acme/web', team: 'web' },
  ],
} as const;

async function detect(builds: BuildInput[], settings?: SignalSettings) {
  const ts = await createTeamState({ database: ':memory:', signals: [ciFlaky], signalSettings: settings, clock: () => new Date(NOW) });
  await ts.import({ ...base, builds });
  await ts.signals.refresh();
  const found = await ts.signals.list();
  await ts.close();
  return found;
}

/** Runs of one job on one commit, one per conclusion in order (attempt 1, 2, …), 10 minutes apart from `start`. */
function attempts(
  repository: string,
  workflow: string,
  job: string | undefined,
  commit: string,
  start: number,
  conclusions: string[],
): BuildInput[] {
  return conclusions.map((conclusion, i) => ({
    id: `${repository}-${workflow}-${job ?? ''}-${commit}-${i + 1}`,
    repository,
    workflow,
    ...(job ? { job } : {}),
    commit,
    status: 'completed',
    conclusion: conclusion as BuildInput['conclusion'],
    startedAt: new Date(start + i * 600_000).toISOString(),
    completedAt: new Date(start + i * 600_000 + 300_000).toISOString(),
    attempt: i + 1,
  }));
}

const day = (d: number) => Date.parse(`2026-03-${String(d).padStart(2, '0')}T09:00:00Z`);

describe('ci.flaky', () => {
  it('names a job that failed then passed on a rerun of the same commit twice, with the commits as evidence', async () => {
    const builds = [
      ...attempts('acme/api', 'CI', 'test', 'c1', day(10), ['failure', 'success']),
      ...attempts('acme/api', 'CI', 'test', 'c2', day(12), ['success']),
      ...attempts('acme/api', 'CI', 'test', 'c3', day(14), ['timed_out', 'cancelled', 'success']),
      // The same job name in another workflow is another job.
      ...attempts('acme/api', 'Nightly', 'test', 'c3', day(14), ['failure', 'success']),
    ];
    const found = await detect(builds);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      kind: 'ci.flaky',
      severity: 'warning',
      team: 'pay',
      subject: { type: 'repository', id: 'acme/api' },
      title: 'CI job CI / test in acme/api failed then passed on a rerun of the same commit 2 times in 30 days',
      evidence: {
        repository: 'acme/api',
        workflow: 'CI',
        job: 'test',
        flakyCommits: 2,
        commitsRun: 3,
        commits: ['c1', 'c3'],
        since: '2026-03-10T09:05:00.000Z',
      },
    });
    // With a threshold of one, the nightly job is flaky too.
    expect((await detect(builds, { thresholds: { 'ci.flaky': { minFlakes: 1 } } })).map((s) => s.evidence.workflow)).toEqual([
      'CI',
      'Nightly',
    ]);
  });

  it('leaves out real failures: a rerun that fails again, a fix in a new commit, a pass before the failure, and old flakes', async () => {
    const builds = [
      ...attempts('acme/api', 'CI', 'test', 'c1', day(10), ['failure', 'failure']),
      ...attempts('acme/api', 'CI', 'test', 'c2', day(11), ['success']),
      ...attempts('acme/api', 'CI', 'lint', 'c3', day(12), ['failure']),
      ...attempts('acme/api', 'CI', 'lint', 'c4', day(13), ['success']),
      // A pass and then a failure of a later attempt (a rerun broke it) is no flake either.
      ...attempts('acme/web', 'CI', 'e2e', 'c5', day(14), ['success', 'failure']),
      ...attempts('acme/web', 'CI', 'e2e', 'c6', day(15), ['success', 'failure']),
      // Flakes older than 30 days.
      ...attempts('acme/web', 'CI', 'unit', 'c7', Date.parse('2026-02-10T09:00:00Z'), ['failure', 'success']),
      ...attempts('acme/web', 'CI', 'unit', 'c8', Date.parse('2026-02-11T09:00:00Z'), ['failure', 'success']),
    ];
    expect(await detect(builds)).toEqual([]);
  });

  it('finds planted flaky jobs among deterministic failures with recall and precision of at least 0.9', async () => {
    let seed = 2026;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const planted = new Set<string>();
    const builds: BuildInput[] = [];
    for (let j = 0; j < 40; j++) {
      const repository = j % 2 === 0 ? 'acme/api' : 'acme/web';
      const workflow = j % 3 === 0 ? 'Release' : 'CI';
      const job = `job-${j}`;
      const flaky = j % 4 === 0;
      if (flaky) planted.add(`${repository}|${workflow}|${job}`);
      for (let c = 0; c < 25; c++) {
        const commit = `${job}-commit-${c}`;
        const start = day(2) + c * 26 * 3_600_000 + Math.floor(random() * 3_600_000);
        const roll = random();
        let conclusions: string[];
        if (flaky && roll < 0.25) conclusions = random() < 0.3 ? ['failure', 'failure', 'success'] : ['failure', 'success'];
        // Deterministic failures (flaky jobs have real ones too): a rerun fails again, or nobody reruns and the next commit fixes it.
        else if (roll < 0.45)
          conclusions = random() < 0.5 ? ['failure', 'failure'] : random() < 0.5 ? ['failure'] : ['timed_out', 'failure'];
        else if (roll < 0.5) conclusions = ['cancelled', 'success'];
        else conclusions = ['success'];
        builds.push(...attempts(repository, workflow, job, commit, start, conclusions));
      }
    }
    const found = await detect(builds);
    const flagged = new Set(found.map((s) => `${s.evidence.repository}|${s.evidence.workflow}|${s.evidence.job}`));
    const hits = [...flagged].filter((key) => planted.has(key)).length;
    expect(planted.size).toBe(10);
    expect(hits / planted.size).toBeGreaterThanOrEqual(0.9);
    expect(hits / flagged.size).toBeGreaterThanOrEqual(0.9);
  });
});
