// A fake of the CircleCI API v2 at the network boundary (msw): project pipelines (newest first, 20 a page with
// `next_page_token`), a pipeline's workflows and a workflow's jobs, built from the payloads in
// __fixtures__/circleci; `Circle-Token` checked; a request log. `circleciWorld` plants a month of pipelines with
// flaky jobs (failed, then passed on a rerun of the workflow), real failures and runs that decide nothing.
import { readFileSync } from 'node:fs';
import type { CciJob, CciPipeline, CciWorkflow } from '@teamstate/connectors/circleci';
import { HttpResponse, http } from 'msw';

export const CIRCLECI = 'https://circleci.acme.test';
export const CIRCLECI_TOKEN = 'CCIPAT_TestTokenDoNotLog_0123456789';

const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`../__fixtures__/circleci/${name}`, import.meta.url), 'utf8')) as T;

/** A workflow with its jobs. */
export interface FakeWorkflow extends CciWorkflow {
  jobs: CciJob[];
}
/** A pipeline with its workflows (a rerun is one more workflow of the same name). */
export interface FakePipeline extends CciPipeline {
  workflows: FakeWorkflow[];
}

/** The fake; `projects` maps a project slug to its pipelines. */
export class FakeCircleCi {
  readonly requests: { path: string; search: URLSearchParams }[] = [];
  constructor(readonly projects: Record<string, FakePipeline[]>) {}

  handle(request: Request): Response {
    const url = new URL(request.url);
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/v2/, ''));
    this.requests.push({ path, search: url.searchParams });
    if (request.headers.get('circle-token') !== CIRCLECI_TOKEN)
      return HttpResponse.json({ message: 'Invalid token provided.' }, { status: 401 });
    const pipelines = /^\/project\/(.+)\/pipeline$/.exec(path);
    if (pipelines) {
      const list = this.projects[pipelines[1]!];
      if (!list) return HttpResponse.json({ message: 'Project not found' }, { status: 404 });
      const sorted = [...list].sort((a, b) => b.number - a.number).map(({ workflows: _w, ...p }) => p);
      return this.#page(sorted, url, 20);
    }
    const workflows = /^\/pipeline\/([^/]+)\/workflow$/.exec(path);
    if (workflows) {
      const pipeline = Object.values(this.projects)
        .flat()
        .find((p) => p.id === workflows[1]);
      if (!pipeline) return HttpResponse.json({ message: 'Pipeline not found' }, { status: 404 });
      return this.#page(
        [...pipeline.workflows].sort((a, b) => b.created_at.localeCompare(a.created_at)).map(({ jobs: _j, ...w }) => w),
        url,
        20,
      );
    }
    const jobs = /^\/workflow\/([^/]+)\/job$/.exec(path);
    if (jobs) {
      const workflow = Object.values(this.projects)
        .flat()
        .flatMap((p) => p.workflows)
        .find((w) => w.id === jobs[1]);
      return workflow ? this.#page(workflow.jobs, url, 20) : HttpResponse.json({ message: 'Workflow not found' }, { status: 404 });
    }
    return HttpResponse.json({ message: 'Not found' }, { status: 404 });
  }

  #page<T>(items: T[], url: URL, size: number): Response {
    const start = Number(url.searchParams.get('page-token') ?? 0);
    const slice = items.slice(start, start + size);
    return HttpResponse.json({ items: slice, next_page_token: start + size < items.length ? String(start + size) : null });
  }
}

/** msw handlers serving `fake()` at `origin`. */
export function fakeCircleCiHandlers(fake: () => FakeCircleCi, origin = CIRCLECI) {
  return [http.all(`${origin}/api/v2/*`, ({ request }) => fake().handle(request))];
}

/** A small deterministic generator (mulberry32). */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const iso = (ms: number) => new Date(ms).toISOString();
const uuid = (n: number, salt: number) => `${salt.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** What a world holds: its pipelines, the jobs planted as flaky, and each job run's status. */
export interface PlantedWorld {
  projects: Record<string, FakePipeline[]>;
  flaky: string[];
  runs: { job: string; status: string; stoppedAt: string | null }[];
}

/**
 * March 2026 of `slug`: `count` pipelines, each a `build-and-test` workflow (lint, test, integration, e2e, then an
 * approval `hold` and `deploy`). `integration` and `e2e` are flaky (they fail, then pass when the workflow is rerun);
 * `test` sometimes fails for real (a rerun fails too), `lint` sometimes times out or hits an infrastructure failure
 * (no rerun); some workflows are canceled, and `deploy` waits on hold or is not run.
 */
export function circleciWorld(slug: string, count: number, seed = 7): PlantedWorld {
  const next = random(seed);
  const pipelineTemplate = fixture<CciPipeline>('pipeline.json');
  const workflowTemplate = fixture<CciWorkflow>('workflow.json');
  const jobTemplate = fixture<CciJob>('job.json');
  let serial = 0;
  let jobNumber = 20_000;
  const runs: PlantedWorld['runs'] = [];
  const pipelines: FakePipeline[] = [];
  const start = Date.parse('2026-03-01T08:00:00Z');
  for (let n = 1; n <= count; n++) {
    const created = start + Math.floor(((n - 1) * 27 * 24 * 60) / count) * 60_000 + Math.floor(next() * 30) * 60_000;
    const pipelineId = uuid(n, 0x11);
    const revision = `${n.toString(16)}`.padStart(8, '0').repeat(5);
    const workflow = (attempt: number, at: number, statuses: Record<string, string>): FakeWorkflow => {
      let clock = at + 30_000;
      const jobs: CciJob[] = Object.entries(statuses).map(([name, status]) => {
        const ran = !['not_run', 'on_hold', 'blocked'].includes(status);
        const started = ran ? clock : null;
        const minutes = 2 + Math.floor(next() * 9);
        const stopped = ran ? clock + minutes * 60_000 : null;
        if (stopped) clock = stopped + 10_000;
        const job: CciJob = {
          ...jobTemplate,
          id: uuid(++serial, 0x33),
          name,
          type: name === 'hold' ? 'approval' : 'build',
          status,
          started_at: started === null ? null : iso(started),
          stopped_at: stopped === null ? null : iso(stopped),
          ...(name === 'hold' ? {} : { job_number: ++jobNumber }),
        };
        runs.push({ job: name, status, stoppedAt: job.stopped_at });
        return job;
      });
      const failed = jobs.some((j) => ['failed', 'infrastructure_fail', 'timedout'].includes(j.status));
      const held = jobs.some((j) => j.status === 'on_hold');
      const canceled = jobs.some((j) => j.status === 'canceled');
      return {
        ...workflowTemplate,
        id: uuid(n * 10 + attempt, 0x22),
        pipeline_id: pipelineId,
        pipeline_number: n,
        status: canceled ? 'canceled' : failed ? 'failed' : held ? 'on_hold' : 'success',
        created_at: iso(at),
        stopped_at: held ? null : iso(clock),
        jobs,
      };
    };
    const roll = next();
    const flakyJob = roll < 0.12 ? 'integration' : roll < 0.22 ? 'e2e' : undefined;
    const testFails = next() < 0.1;
    const lintRoll = next();
    const lint = lintRoll < 0.05 ? 'timedout' : lintRoll < 0.1 ? 'infrastructure_fail' : 'success';
    const canceled = next() < 0.05;
    const first: Record<string, string> = {
      lint,
      test: testFails ? 'failed' : 'success',
      integration: flakyJob === 'integration' ? 'failed' : 'success',
      e2e: canceled ? 'canceled' : flakyJob === 'e2e' ? 'failed' : 'success',
    };
    const failedFirst = Object.values(first).some((s) => s !== 'success');
    first.hold = failedFirst ? 'not_run' : 'on_hold';
    first.deploy = failedFirst ? 'not_run' : 'blocked';
    const workflows = [workflow(1, created + 60_000, first)];
    // A flaky failure is rerun and passes; a real test failure is rerun and fails again.
    if ((flakyJob || testFails) && !canceled && lint === 'success') {
      const again: Record<string, string> = {
        lint: 'success',
        test: testFails ? 'failed' : 'success',
        integration: 'success',
        e2e: 'success',
      };
      again.hold = testFails ? 'not_run' : 'on_hold';
      again.deploy = testFails ? 'not_run' : 'blocked';
      workflows.push(workflow(2, created + 40 * 60_000, again));
    }
    pipelines.push({
      ...pipelineTemplate,
      id: pipelineId,
      number: n,
      project_slug: slug,
      created_at: iso(created),
      updated_at: iso(created + 1_000),
      vcs: { ...pipelineTemplate.vcs, revision, branch: `change-${n}` },
      workflows,
    });
  }
  return { projects: { [slug]: pipelines }, flaky: ['e2e', 'integration'], runs };
}
