import type { Build } from '@teamstate/core';
import {
  type CheckConclusionState,
  type CheckRunNode,
  type CheckStatusState,
  nodesOf,
  type PullRequestNode,
} from '../client/graphql-types.js';
import { pullRequestId } from './map-pull-request.js';

/** The build id of a check run (by its node id): `gh-check-acme/api-CR_kwDOKx1A0s8AAAAFW1Nd6Q`. */
export function checkRunBuildId(repository: string, checkRunId: string): string {
  return `gh-check-${repository}-${checkRunId}`;
}

const STATUSES: Record<CheckStatusState, Build['status']> = {
  REQUESTED: 'queued',
  QUEUED: 'queued',
  WAITING: 'queued',
  PENDING: 'queued',
  IN_PROGRESS: 'in_progress',
  COMPLETED: 'completed',
};

const CONCLUSIONS: Record<CheckConclusionState, NonNullable<Build['conclusion']>> = {
  SUCCESS: 'success',
  FAILURE: 'failure',
  TIMED_OUT: 'timed_out',
  CANCELLED: 'cancelled',
  // GitHub marks a check run stale when it was left incomplete for 14 days: it never finished.
  STALE: 'cancelled',
  SKIPPED: 'skipped',
  NEUTRAL: 'neutral',
  ACTION_REQUIRED: 'action_required',
  STARTUP_FAILURE: 'error',
};

interface Run {
  run: CheckRunNode;
  workflow: string;
  /** The workflow run (or, for another CI app, the check suite) the job belongs to. */
  group: string;
}

/**
 * The builds of a pull request's head commit: every check run (a job) of every check suite, as one build each. A
 * rerun of a job is another check run of the same workflow run with the same name: the runs of one job are numbered
 * by their start, so the first is attempt 1 and each rerun the next. A suite without check runs ran nothing.
 */
export function mapBuilds(node: PullRequestNode, repository: string): Build[] {
  const head = nodesOf(node.headCommit)[0]?.commit;
  if (!head) return [];
  const runs: Run[] = [];
  for (const suite of nodesOf(head.checkSuites)) {
    const workflow = suite.workflowRun?.workflow.name ?? suite.app?.name ?? 'checks';
    const group = suite.workflowRun ? `run:${suite.workflowRun.id}` : `suite:${suite.id}`;
    for (const run of nodesOf(suite.checkRuns)) runs.push({ run, workflow, group });
  }
  const byJob = new Map<string, Run[]>();
  for (const entry of runs) {
    const key = `${entry.group}\u0000${entry.run.name}`;
    byJob.set(key, [...(byJob.get(key) ?? []), entry]);
  }
  const builds: Build[] = [];
  for (const attempts of byJob.values()) {
    attempts.sort((a, b) => (a.run.startedAt ?? '\uffff').localeCompare(b.run.startedAt ?? '\uffff') || a.run.id.localeCompare(b.run.id));
    attempts.forEach(({ run, workflow }, i) => {
      const status = STATUSES[run.status];
      const build: Build = {
        id: checkRunBuildId(repository, run.id),
        repository,
        workflow,
        job: run.name,
        commit: head.oid,
        pullRequest: pullRequestId(repository, node.number),
        status,
        attempt: i + 1,
      };
      if (status === 'completed') build.conclusion = CONCLUSIONS[run.conclusion ?? 'NEUTRAL'];
      if (run.startedAt) build.startedAt = run.startedAt;
      if (status === 'completed' && run.completedAt) build.completedAt = run.completedAt;
      builds.push(build);
    });
  }
  return builds.sort((a, b) => a.id.localeCompare(b.id));
}
