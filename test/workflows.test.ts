import { describe, expect, it } from 'vitest';
import { manifest, parseYaml, readRepositoryFile } from './repository.js';

/** The parts of a GitHub Actions workflow these tests read. */
interface Workflow {
  on: Record<string, { branches?: string[] } | null>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}
interface Job {
  'runs-on': string;
  container?: string | { image: string };
  permissions?: Record<string, string>;
  strategy?: { matrix?: Record<string, unknown[]> };
  steps: Step[];
}
interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string | number | boolean>;
}

/** A GitHub Actions expression as the YAML spells it: `expression('matrix.node')` is "$" + "{{ matrix.node }}". */
const expression = (inner: string) => `$\{{ ${inner} }}`;
const workflow = (name: string) => parseYaml(readRepositoryFile(`.github/workflows/${name}`)) as Workflow;
const onlyJob = (w: Workflow) => {
  const jobs = Object.values(w.jobs);
  expect(jobs).toHaveLength(1);
  return jobs[0]!;
};
/** The `pnpm …` commands a job runs, in order. */
const pnpmRuns = (job: Job) => job.steps.flatMap((step) => (step.run?.startsWith('pnpm ') ? [step.run.trim()] : []));
/** The commands .ci/run runs through its `step` function, in order. */
const ciRunSteps = () => [...readRepositoryFile('.ci/run').matchAll(/^step (.+)$/gm)].map((m) => m[1]!.trim());
const pnpmSetup = (job: Job) => job.steps.find((step) => step.uses?.startsWith('pnpm/action-setup@'));

describe('.github/workflows/ci.yml', () => {
  const ci = workflow('ci.yml');
  const job = onlyJob(ci);

  it('runs on every push to main and every pull request', () => {
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
    expect(ci.on.push?.branches).toEqual(['main']);
    expect(ci.permissions).toEqual({ contents: 'read' });
  });

  it('runs on Node.js 22 and 24, in Debian on an Ubuntu runner', () => {
    expect(job['runs-on']).toBe('ubuntu-latest');
    expect(job.strategy?.matrix?.node).toEqual([22, 24]);
    expect(job.container).toBe(`node:${expression('matrix.node')}-bookworm`);
  });

  it('runs the same steps as .ci/run, in the same order, with pnpm at the packageManager version', () => {
    expect(ciRunSteps()).toEqual([
      'pnpm install --frozen-lockfile',
      'pnpm build',
      'pnpm typecheck',
      'pnpm lint',
      'pnpm test',
      'pnpm --filter @teamstate/mcp-server conformance',
    ]);
    expect(pnpmRuns(job)).toEqual(ciRunSteps());
    // No version given: the action reads package.json's packageManager, the version .ci/run installs too.
    expect(pnpmSetup(job)).toBeDefined();
    expect(pnpmSetup(job)?.with?.version).toBeUndefined();
    expect(readRepositoryFile('.ci/run')).toContain(`PNPM_VERSION=${manifest('').packageManager?.replace(/^pnpm@/, '')}\n`);
    const steps = job.steps.map((step) => step.run ?? step.uses ?? '');
    expect(steps.findIndex((step) => step.startsWith('pnpm/action-setup@'))).toBeLessThan(steps.indexOf('pnpm install --frozen-lockfile'));
  });

  it("installs Debian's chromium before the tests, for the dashboard's browser test", () => {
    const steps = job.steps.map((step) => step.run ?? '');
    const chromium = steps.findIndex((run) => /apt-get install .*\bchromium$/.test(run));
    expect(chromium).toBeGreaterThanOrEqual(0);
    expect(chromium).toBeLessThan(steps.indexOf('pnpm test'));
    expect(readRepositoryFile('examples/dashboard/test/dashboard.browser.test.ts')).toContain("const CHROMIUM = '/usr/bin/chromium';");
  });

  it('checks out the whole history, which `changeset status` compares with main', () => {
    expect(job.steps[0]).toEqual({ uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } });
  });
});

describe('.github/workflows/release.yml', () => {
  const release = workflow('release.yml');
  const job = onlyJob(release);
  const changesets = job.steps.find((step) => step.uses?.startsWith('changesets/action@'));

  it('runs on every push to main, allowed to push the version branch, open its pull request and sign provenance', () => {
    expect(Object.keys(release.on)).toEqual(['push']);
    expect(release.on.push?.branches).toEqual(['main']);
    expect({ ...release.permissions, ...job.permissions }).toEqual({ contents: 'write', 'pull-requests': 'write', 'id-token': 'write' });
  });

  it('builds the packages, then lets changesets/action open the version pull request or publish with provenance', () => {
    expect(pnpmSetup(job)?.with?.version).toBeUndefined();
    const setupNode = job.steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
    expect(Number(setupNode?.with?.['node-version'])).toBeGreaterThanOrEqual(22);
    expect(pnpmRuns(job)).toEqual(['pnpm install --frozen-lockfile', 'pnpm build', 'pnpm publint']);
    expect(changesets).toBeDefined();
    expect(job.steps.indexOf(changesets!)).toBe(job.steps.length - 1);
    expect(changesets?.with).toMatchObject({ version: 'pnpm changeset version', publish: 'pnpm changeset publish' });
    expect(changesets?.env).toEqual({
      GITHUB_TOKEN: expression('secrets.GITHUB_TOKEN'),
      NPM_TOKEN: expression('secrets.NPM_TOKEN'),
      NPM_CONFIG_PROVENANCE: true,
    });
  });
});
