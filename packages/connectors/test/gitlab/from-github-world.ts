// The same delivery history as GitLab serves it: a fake-GitHub world (pull requests with reviews and their head
// commit's check runs, deployments with statuses) turned into GitLab REST v4 records (merge requests with notes,
// merge request pipelines' jobs, deployments with environments). The mirrored-data test and `pnpm bench gitlab` serve
// one world both ways.
import { createHash } from 'node:crypto';
import type { GlDeployment, GlJob, GlUser } from '@teamstate/connectors/gitlab';
import { setupServer } from 'msw/node';
import {
  type FakeCheckRun,
  type FakeDeployment,
  FakeGitHub,
  type FakeUser,
  type FakeWorld,
  fakeGitHubHandlers,
} from '../github/fake-github.js';
import { FakeGitLab, type FakeGitLabWorld, type FakeMergeRequest, type FakeProject, fakeGitLabHandlers, GITLAB } from './fake-gitlab.js';

const userOf = (user: FakeUser): GlUser => ({
  id: user.databaseId,
  username: user.login,
  ...(user.name ? { name: user.name } : {}),
  state: 'active',
  ...(user.email ? { public_email: user.email } : {}),
  ...(user.__typename === 'Bot' ? { bot: true } : {}),
});

const JOB_STATUS: Record<NonNullable<FakeCheckRun['conclusion']>, GlJob['status']> = {
  SUCCESS: 'success',
  FAILURE: 'failed',
  TIMED_OUT: 'failed',
  CANCELLED: 'canceled',
  STALE: 'canceled',
  SKIPPED: 'skipped',
  NEUTRAL: 'success',
  ACTION_REQUIRED: 'manual',
  STARTUP_FAILURE: 'failed',
};

function deploymentOf(d: FakeDeployment, project: number): GlDeployment {
  const statuses = [...d.statuses, ...(d.latestStatus ? [d.latestStatus] : [])].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const terminal = statuses.filter((s) => ['SUCCESS', 'FAILURE', 'ERROR'].includes(s.state)).at(-1);
  const inactive = statuses.find((s) => s.state === 'INACTIVE');
  const status: GlDeployment['status'] = terminal
    ? terminal.state === 'SUCCESS'
      ? 'success'
      : terminal.state === 'FAILURE'
        ? 'failed'
        : 'canceled'
    : inactive
      ? 'success'
      : 'running';
  const finished = terminal?.createdAt ?? inactive?.createdAt ?? null;
  const started = statuses.find((s) => s.state === 'IN_PROGRESS')?.createdAt ?? d.createdAt;
  return {
    id: d.databaseId,
    iid: d.databaseId,
    ref: 'main',
    sha: d.commitOid,
    created_at: d.createdAt,
    updated_at: finished ?? statuses.at(-1)?.createdAt ?? d.updatedAt,
    finished_at: finished,
    status,
    environment: { id: project * 100 + (d.environment === 'production' ? 1 : 2), name: d.environment },
    deployable: { id: d.databaseId + 1, status, started_at: started, finished_at: finished },
  };
}

/**
 * The GitLab side of a GitHub world: each repository `owner/name` a project of group `owner`, each pull request a merge
 * request (approvals as `approved this merge request` system notes, other reviews as comments, a ready-for-review event
 * as a `marked this merge request as **ready**` system note, the commits as its commits), each check suite of a
 * head commit a merge request pipeline with one job per check run, each deployment a deployment to an environment of
 * the same name (`production` of tier production).
 */
export function gitlabWorldFromGitHub(world: FakeWorld): FakeGitLabWorld {
  const members = new Map<number, GlUser>();
  const note = (() => {
    let id = 10_000_000;
    return () => ++id;
  })();
  let jobId = 50_000_000;
  let pipelineId = 40_000_000;
  const projects: FakeProject[] = world.repositories.map((repository, index) => {
    const projectId = 1000 + index;
    const path = repository.nameWithOwner;
    const runs: { run: FakeCheckRun; pipeline: number; sha: string; iid: number }[] = [];
    const mergeRequests: FakeMergeRequest[] = repository.pullRequests.map((pr) => {
      const author = pr.author ? userOf(pr.author) : null;
      for (const user of [pr.author, ...pr.assignees, ...pr.reviews.map((r) => r.author)])
        if (user && user.__typename === 'User') members.set(user.databaseId, userOf(user));
      for (const suite of pr.checkSuites ?? []) {
        const pipeline = ++pipelineId;
        for (const run of suite.checkRuns) runs.push({ run, pipeline, sha: pr.headRefOid, iid: pr.number });
      }
      return {
        id: pr.databaseId,
        iid: pr.number,
        project_id: projectId,
        title: pr.title,
        description: pr.body,
        state: pr.state === 'MERGED' ? 'merged' : pr.state === 'OPEN' ? 'opened' : 'closed',
        created_at: pr.createdAt,
        updated_at: pr.updatedAt,
        merged_at: pr.mergedAt,
        closed_at: pr.state === 'CLOSED' ? pr.closedAt : null,
        author,
        assignees: pr.assignees.map(userOf),
        reviewers: [],
        labels: pr.labels.map((l) => l.name),
        draft: pr.isDraft,
        sha: pr.headRefOid,
        merge_commit_sha: pr.mergeCommit?.oid ?? null,
        source_branch: pr.headRefName,
        target_branch: pr.baseRefName,
        web_url: `https://gitlab.acme.test/${path}/-/merge_requests/${pr.number}`,
        detailed_merge_status: pr.state === 'OPEN' ? 'mergeable' : 'not_open',
        // GitLab lists a merge request's commits newest first; the fake serves them so from this oldest-first list.
        commits: pr.commits.map(({ commit }, i) => ({
          id: i === pr.commits.length - 1 ? pr.headRefOid : createHash('sha1').update(`${pr.headRefOid}:${i}`).digest('hex'),
          title: commit.message ?? `Commit ${i + 1}`,
          message: commit.message ?? `Commit ${i + 1}`,
          authored_date: commit.authoredDate,
          committed_date: commit.authoredDate,
        })),
        notes: [
          // Marking a draft ready for review leaves a system note.
          ...pr.timelineItems.map((item) => ({
            id: note(),
            body: 'marked this merge request as **ready**',
            author: author ?? { id: 0, username: 'ghost' },
            created_at: item.createdAt,
            system: true,
            noteable_type: 'MergeRequest',
            noteable_iid: pr.number,
          })),
          ...pr.reviews.flatMap((review) =>
            review.author && review.submittedAt && review.state !== 'PENDING' && review.state !== 'DISMISSED'
              ? [
                  {
                    id: note(),
                    body: review.state === 'APPROVED' ? 'approved this merge request' : `Review of !${pr.number}`,
                    author: userOf(review.author),
                    created_at: review.submittedAt,
                    system: review.state === 'APPROVED',
                    noteable_type: 'MergeRequest',
                    noteable_iid: pr.number,
                  },
                ]
              : [],
          ),
        ].sort((a, b) => a.created_at.localeCompare(b.created_at)),
        diffs: (pr.files ?? []).map((file) => ({
          old_path: file.path,
          new_path: file.path,
          new_file: file.changeType === 'ADDED',
          renamed_file: file.changeType === 'RENAMED',
          deleted_file: file.changeType === 'DELETED',
        })),
      };
    });
    // GitLab numbers jobs as they are created: the earlier run of a job has the lower id.
    runs.sort((a, b) => (a.run.startedAt ?? '').localeCompare(b.run.startedAt ?? '') || a.pipeline - b.pipeline);
    const jobs: GlJob[] = runs.map(({ run, pipeline, sha, iid }) => {
      const status: GlJob['status'] =
        run.status === 'COMPLETED' ? JOB_STATUS[run.conclusion ?? 'NEUTRAL'] : run.status === 'IN_PROGRESS' ? 'running' : 'pending';
      const ref = `refs/merge-requests/${iid}/head`;
      return {
        id: ++jobId,
        name: run.name,
        stage: 'test',
        status,
        ref,
        created_at: run.startedAt ?? '',
        started_at: run.startedAt,
        finished_at: run.status === 'COMPLETED' ? run.completedAt : null,
        ...(run.conclusion === 'TIMED_OUT' ? { failure_reason: 'job_execution_timeout' } : {}),
        pipeline: { id: pipeline, project_id: projectId, ref, sha, status: 'success', source: 'merge_request_event' },
      };
    });
    const deployments = repository.deployments.map((d) => deploymentOf(d, projectId));
    const activity = [
      ...mergeRequests.map((mr) => mr.updated_at),
      ...deployments.map((d) => d.updated_at),
      ...jobs.map((j) => j.finished_at ?? j.created_at),
    ].sort();
    return {
      id: projectId,
      path_with_namespace: path,
      name: path.split('/').at(-1)!,
      default_branch: 'main',
      archived: repository.isArchived,
      last_activity_at: activity.at(-1) ?? '2026-01-01T00:00:00Z',
      web_url: `https://gitlab.acme.test/${path}`,
      members: [],
      mergeRequests,
      jobs,
      deployments,
      environments: [...new Set(repository.deployments.map((d) => d.environment))].map((name) => ({
        id: projectId * 100 + (name === 'production' ? 1 : 2),
        name,
        tier: name === 'production' ? 'production' : 'staging',
      })),
    };
  });
  const groups = [...new Set(world.repositories.map((r) => r.nameWithOwner.split('/')[0]!))];
  return {
    groups: groups.map((full_path, i) => ({
      id: 7 + i,
      full_path,
      members: [...members.values()].map((u) => ({ ...u, access_level: 30 })),
    })),
    projects,
  };
}

/** One history served both ways at the network boundary: the fake GitHub at api.github.com, the fake GitLab at {@link GITLAB}. */
export function serveMirrored(world: FakeWorld, now: () => Date) {
  const github = new FakeGitHub(world, { now });
  const gitlab = new FakeGitLab(gitlabWorldFromGitHub(world), { now });
  const server = setupServer(...fakeGitHubHandlers(() => github, 'https://api.github.com'), ...fakeGitLabHandlers(() => gitlab));
  return { github, gitlab, server };
}
