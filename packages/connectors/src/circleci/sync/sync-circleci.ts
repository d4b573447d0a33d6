import type { Build, SyncContext } from '@teamstate/core';
import { ownershipRecords } from '../../upstream/ownership-records.js';
import type { CciJob, CciPipeline, CciWorkflow, CircleCiApi } from '../client/circleci-api.js';
import { mapPipelineJobs } from '../map/map-jobs.js';
import { type ResolvedCircleCiOptions, repositoryOf } from '../options.js';

const DAY = 24 * 3_600_000;
/** A project's first sync reads the pipelines of this many days back. */
export const BUILD_DAYS = 90;
/** A pipeline whose workflow failed or waits for an approval is read again this long after it was created: a rerun or the approved jobs may still come. */
const RERUN_MS = DAY;
/** A workflow still running this long after its pipeline was created is not waited for any more. */
const STALE_MS = 7 * DAY;

interface PipelinesCursor {
  /** Pipelines numbered up to this one are read and settled; the next run reads those above it. */
  after: number;
}

/** Whether a pipeline may still gain or change job runs: a workflow still going, or a failed one that may be rerun. */
function unsettled(pipeline: CciPipeline, workflows: readonly CciWorkflow[], now: number): boolean {
  const age = now - Date.parse(pipeline.created_at);
  if (age > STALE_MS) return false;
  if (workflows.some((w) => w.status === 'running' || w.status === 'failing')) return true;
  return age < RERUN_MS && workflows.some((w) => w.status === 'failed' || w.status === 'error' || w.status === 'on_hold');
}

/**
 * One sync run: for each project, its pipelines numbered above the cursor (newest first, a page per 20; on the first
 * sync those of the last {@link BUILD_DAYS} days), each with its workflows (reruns included) and their jobs, as builds.
 * The cursor stops below the oldest pipeline that may still change (a workflow running, or failed or on hold in the
 * pipeline's first day, since a rerun or an approval adds runs to the same pipeline; none after a week), so an
 * unchanged re-sync costs one request per project.
 */
export async function syncCircleCi(ctx: SyncContext, api: CircleCiApi, options: ResolvedCircleCiOptions): Promise<void> {
  const now = ctx.now().getTime();
  const repositories = options.projects.map(repositoryOf);
  const owners = await ownershipRecords(ctx.existing, repositories, options);
  if (owners.teams || owners.repositories) await ctx.emit(owners);
  for (const [index, slug] of options.projects.entries()) {
    const repository = repositoryOf(slug);
    const cursorKey = `pipelines:${slug.toLowerCase()}`;
    const stored = await ctx.getCursor(cursorKey);
    const cursor: PipelinesCursor | undefined = stored ? (JSON.parse(stored) as PipelinesCursor) : undefined;
    const since = now - BUILD_DAYS * DAY;
    ctx.progress({ phase: `pipelines of ${slug} (${index + 1} of ${options.projects.length})` });
    const fresh: CciPipeline[] = [];
    let top = cursor?.after ?? 0;
    for (let token: string | undefined, more = true; more; ) {
      const page = await api.pipelines(slug, token);
      const newer = page.items.filter((p) => (cursor ? p.number > cursor.after : Date.parse(p.created_at) >= since));
      fresh.push(...newer);
      top = Math.max(top, ...page.items.map((p) => p.number));
      more = newer.length === page.items.length && page.items.length > 0 && page.next_page_token !== null;
      token = page.next_page_token ?? undefined;
    }
    let after = top;
    let builds: Build[] = [];
    const flush = async (cursors?: Record<string, string>) => {
      if (builds.length === 0 && !cursors) return;
      await ctx.emit(builds.length ? { builds } : {}, cursors ? { cursors } : undefined);
      builds = [];
    };
    for (const pipeline of fresh) {
      const workflows = await api.workflows(pipeline.id);
      if (unsettled(pipeline, workflows, now)) after = Math.min(after, pipeline.number - 1);
      if (!pipeline.vcs?.revision) continue;
      const runs: { workflow: CciWorkflow; jobs: CciJob[] }[] = [];
      for (const workflow of workflows) runs.push({ workflow, jobs: await api.jobs(workflow.id) });
      builds.push(...mapPipelineJobs(repository, pipeline, runs));
      if (builds.length >= 500) await flush();
    }
    // The cursor is written last, with the final batch: an interrupted run reads these pipelines again.
    const moved = !cursor || after !== cursor.after;
    await flush(moved ? { [cursorKey]: JSON.stringify({ after } satisfies PipelinesCursor) } : undefined);
    ctx.progress({ phase: `pipelines of ${slug}`, items: fresh.length });
  }
  ctx.log.info(`circleci: ${options.projects.length} projects, ${api.stats.requests} requests`);
}
