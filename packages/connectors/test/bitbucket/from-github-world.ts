// The same delivery history as Bitbucket Cloud serves it: a fake-GitHub world turned into REST 2.0 records (pull
// requests with their activity feed and commits, each check suite of a head commit a pipeline, each deployment a
// deployment to an environment of the same name, `production` of type Production). The mirrored-data test serves one
// world both ways.
import { createHash } from 'node:crypto';
import type { BbActivity, BbDeployment, BbPipeline, BbUser } from '@teamstate/connectors/bitbucket';
import { setupServer } from 'msw/node';
import { type FakeDeployment, FakeGitHub, type FakeUser, type FakeWorld, fakeGitHubHandlers } from '../github/fake-github.js';
import { type FakeBbRepository, FakeBitbucket, type FakeBitbucketWorld, fakeBitbucketHandlers } from './fake-bitbucket.js';

const userOf = (user: FakeUser): BbUser => ({
  uuid: `{00000000-0000-4000-8000-${String(user.databaseId).padStart(12, '0')}}`,
  account_id: `5b10a2844c20165700ede${user.databaseId}`,
  nickname: user.login,
  display_name: user.name ?? user.login,
  type: user.__typename === 'Bot' ? 'app_user' : 'user',
});

const uuid = (seed: string) => {
  const h = createHash('sha1').update(seed).digest('hex');
  return `{${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}}`;
};

function deploymentOf(d: FakeDeployment, environment: string): BbDeployment {
  const statuses = [...d.statuses, ...(d.latestStatus ? [d.latestStatus] : [])].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const terminal = statuses.filter((s) => ['SUCCESS', 'FAILURE', 'ERROR'].includes(s.state)).at(-1);
  const started = statuses.find((s) => s.state === 'IN_PROGRESS')?.createdAt ?? d.createdAt;
  return {
    uuid: uuid(`deployment-${d.databaseId}`),
    number: d.databaseId,
    environment: { uuid: environment },
    state: terminal
      ? {
          name: 'COMPLETED',
          status: { name: terminal.state === 'SUCCESS' ? 'SUCCESSFUL' : terminal.state === 'FAILURE' ? 'FAILED' : 'STOPPED' },
          started_on: started,
          completed_on: terminal.createdAt,
        }
      : { name: 'IN_PROGRESS', started_on: started },
    release: { commit: { hash: d.commitOid }, created_on: d.createdAt },
    last_update_time: terminal?.createdAt ?? d.updatedAt,
  };
}

/**
 * The Bitbucket side of a GitHub world: each repository `owner/name` a repository of workspace `owner`, each pull
 * request a pull request (approvals and changes requested as activity, comment reviews as comments, the merge or
 * decline as an update), each check suite a pipeline on its head commit, each deployment a deployment.
 */
export function bitbucketWorldFromGitHub(world: FakeWorld): FakeBitbucketWorld {
  const members = new Map<number, BbUser>();
  const workspace = world.repositories[0]?.nameWithOwner.split('/')[0] ?? 'acme';
  const repositories: FakeBbRepository[] = world.repositories.map((repository) => {
    const [, slug = ''] = repository.nameWithOwner.split('/');
    let build = 0;
    const pipelines: BbPipeline[] = [];
    const pullRequests = repository.pullRequests.map((pr) => {
      const author = pr.author ? userOf(pr.author) : null;
      for (const user of [pr.author, ...pr.reviews.map((r) => r.author)])
        if (user && user.__typename === 'User') members.set(user.databaseId, userOf(user));
      const activity: BbActivity[] = pr.reviews.flatMap((review): BbActivity[] => {
        if (!review.author || !review.submittedAt) return [];
        const user = userOf(review.author);
        if (review.state === 'APPROVED') return [{ approval: { date: review.submittedAt, user }, pull_request: { id: pr.number } }];
        if (review.state === 'CHANGES_REQUESTED')
          return [{ changes_requested: { date: review.submittedAt, user }, pull_request: { id: pr.number } }];
        if (review.state === 'COMMENTED')
          return [
            {
              comment: { id: pr.databaseId * 10, created_on: review.submittedAt, user, content: { raw: 'Looks fine' } },
              pull_request: { id: pr.number },
            },
          ];
        return [];
      });
      if (pr.state === 'MERGED' && pr.mergedAt)
        activity.push({ update: { state: 'MERGED', date: pr.mergedAt, author }, pull_request: { id: pr.number } });
      if (pr.state === 'CLOSED' && pr.closedAt)
        activity.push({ update: { state: 'DECLINED', date: pr.closedAt, author }, pull_request: { id: pr.number } });
      // Bitbucket lists the activity newest first.
      activity.sort((a, b) => dateOf(b).localeCompare(dateOf(a)));
      for (const suite of pr.checkSuites ?? []) {
        const runs = suite.checkRuns;
        const failed = runs.some((r) => r.conclusion === 'FAILURE' || r.conclusion === 'TIMED_OUT');
        pipelines.push({
          uuid: uuid(`pipeline-${suite.id}`),
          build_number: ++build,
          created_on: suite.createdAt,
          completed_on: suite.updatedAt,
          state: { name: 'COMPLETED', result: { name: failed ? 'FAILED' : 'SUCCESSFUL' } },
          target: {
            type: 'pipeline_pullrequest_target',
            ref_name: pr.headRefName,
            commit: { hash: pr.headRefOid },
            pullrequest: { id: pr.number },
          },
        });
      }
      return {
        id: pr.number,
        title: pr.title,
        description: pr.body,
        state: pr.state === 'MERGED' ? ('MERGED' as const) : pr.state === 'OPEN' ? ('OPEN' as const) : ('DECLINED' as const),
        draft: pr.isDraft,
        author,
        // Bitbucket's updated_on moves with every activity; the merge or decline is the last here.
        created_on: pr.createdAt,
        updated_on: pr.updatedAt,
        source: { branch: { name: pr.headRefName }, commit: { hash: pr.headRefOid } },
        destination: { branch: { name: pr.baseRefName } },
        merge_commit: pr.mergeCommit ? { hash: pr.mergeCommit.oid } : null,
        links: { html: { href: `https://bitbucket.org/${repository.nameWithOwner}/pull-requests/${pr.number}` } },
        activity,
        commits: pr.commits
          .map(({ commit }, i) => ({
            hash: i === pr.commits.length - 1 ? pr.headRefOid : createHash('sha1').update(`${pr.headRefOid}:${i}`).digest('hex'),
            date: commit.authoredDate,
            message: commit.message ?? `Commit ${i + 1}`,
          }))
          .reverse(),
      };
    });
    const environments = [...new Set(repository.deployments.map((d) => d.environment))].map((name) => ({
      uuid: uuid(`${repository.nameWithOwner}-${name}`),
      name: name === 'production' ? 'Production' : name,
      environment_type: { name: name === 'production' ? 'Production' : 'Staging' },
    }));
    // The main branch newest first; a merge commit says which pull request it merged, as Bitbucket's do.
    const merged = new Map(repository.pullRequests.map((pr) => [pr.number, pr]));
    const commits = repository.commits
      .map(({ oid, pullRequest }) => {
        const pr = pullRequest === undefined ? undefined : merged.get(pullRequest);
        return pr
          ? {
              hash: oid,
              date: pr.mergedAt ?? pr.updatedAt,
              message: `Merged in ${pr.headRefName} (pull request #${pr.number})\n\n${pr.title}`,
            }
          : { hash: oid, date: repository.pullRequests[0]?.createdAt ?? '2026-01-01T00:00:00Z', message: 'Initial commit' };
      })
      .reverse();
    const envOf = (name: string) => uuid(`${repository.nameWithOwner}-${name}`);
    return {
      uuid: uuid(repository.nameWithOwner),
      slug,
      full_name: repository.nameWithOwner,
      name: slug,
      mainbranch: { name: 'main' },
      pullRequests,
      pipelines,
      environments,
      deployments: repository.deployments.map((d) => deploymentOf(d, envOf(d.environment))),
      commits,
    };
  });
  return { workspace, members: [...members.values()], repositories };
}

function dateOf(entry: BbActivity): string {
  return entry.update?.date ?? entry.approval?.date ?? entry.changes_requested?.date ?? entry.comment?.created_on ?? '';
}

/** One history served both ways at the network boundary: the fake GitHub at api.github.com, the fake Bitbucket at its API root. */
export function serveMirrored(world: FakeWorld, now: () => Date) {
  const github = new FakeGitHub(world, { now });
  const bitbucket = new FakeBitbucket(bitbucketWorldFromGitHub(world), { now });
  const server = setupServer(...fakeGitHubHandlers(() => github, 'https://api.github.com'), ...fakeBitbucketHandlers(() => bitbucket));
  return { github, bitbucket, server };
}
