// A deterministic fake-GitHub world for the benchmark: one repository with `pullRequests` PRs over two
// years (reviews, a label, an assignee, two commits with messages (every 10th with an AI trailer), ready events, the head commit's
// CI check suites; 1% with 30 reviews so follow-up
// queries happen at scale), a linear default branch with each merged PR's commits, a production
// deployment after every 10 merged PRs, and incident issues.
import { createHash } from 'node:crypto';
import type {
  FakeCheckRun,
  FakeCheckSuite,
  FakeDeployment,
  FakePullRequest,
  FakeRepository,
  FakeUser,
  FakeWorld,
} from '../test/github/fake-github.js';

const sha = (text: string) => createHash('sha1').update(text).digest('hex');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const HOUR = 3_600_000;

/** The benchmark's repository. */
export const BENCH_REPOSITORY = 'acme/big';

/** Builds the world; everything ends before `end`. */
export function benchWorld(pullRequests: number, end: Date): FakeWorld {
  const users: FakeUser[] = Array.from({ length: 40 }, (_, i) => ({
    __typename: 'User',
    login: `dev${String(i).padStart(2, '0')}`,
    databaseId: 10_000 + i,
    name: `Developer ${i}`,
    email: `dev${i}@acme.example`,
  }));
  const start = end.getTime() - 730 * 24 * HOUR;
  const step = (end.getTime() - start - 48 * HOUR) / pullRequests;
  const prs: FakePullRequest[] = [];
  const commits: FakeRepository['commits'] = [{ oid: sha('root') }];
  const deployments: FakeDeployment[] = [];
  let merged = 0;
  for (let n = 1; n <= pullRequests; n++) {
    const created = start + n * step;
    const author = users[n % users.length]!;
    const reviewer = users[(n * 7 + 3) % users.length]!;
    const second = users[(n * 11 + 5) % users.length]!;
    const kind = n % 20 === 0 ? 'CLOSED' : n % 20 === 1 && n > pullRequests - 400 ? 'OPEN' : 'MERGED';
    const mergedAt = kind === 'MERGED' ? created + 20 * HOUR : null;
    const closedAt = kind === 'OPEN' ? null : created + 20 * HOUR;
    const reviewCount = n % 100 === 0 ? 30 : 2;
    const reviews = Array.from({ length: reviewCount }, (_, i) => ({
      state: (i === reviewCount - 1 ? 'APPROVED' : 'COMMENTED') as 'APPROVED' | 'COMMENTED',
      submittedAt: iso(created + (2 + i * 0.3) * HOUR),
      author: i % 2 === 0 ? reviewer : second,
    }));
    const mergeOid = mergedAt ? sha(`merge-${n}`) : null;
    prs.push({
      __typename: 'PullRequest',
      id: `PR_kwDOBench${n}`,
      databaseId: 2_000_000 + n,
      number: n,
      title: `Change ${n}: improve the ledger (${['api', 'ledger', 'ui', 'infra'][n % 4]})`,
      body: `Change ${n}.\n\nThis pull request updates the ledger so that batches are written in one transaction.\n\n## Testing\n- unit tests\n- staging`,
      url: `https://github.com/${BENCH_REPOSITORY}/pull/${n}`,
      state: kind,
      isDraft: false,
      createdAt: iso(created),
      updatedAt: iso((closedAt ?? created + 30 * HOUR) + 5 * 60_000),
      mergedAt: mergedAt ? iso(mergedAt) : null,
      closedAt: closedAt ? iso(closedAt) : null,
      additions: 10 + ((n * 37) % 400),
      deletions: (n * 13) % 120,
      headRefOid: sha(`head-${n}`),
      baseRefName: 'main',
      headRefName: `change-${n}`,
      mergeable: 'MERGEABLE',
      mergeStateStatus: 'CLEAN',
      mergeCommit: mergeOid ? { oid: mergeOid } : null,
      author,
      labels: [{ name: ['backend', 'frontend', 'dependencies', 'tech-debt'][n % 4]! }],
      assignees: [author],
      reviews,
      // Two commits with messages and git identities (what AI detection reads); every 10th PR carries an agent's trailer.
      commits: [
        {
          commit: {
            authoredDate: iso(created - 3 * HOUR),
            message: `Change ${n}: first step\n\nMoves the ledger writes into one transaction.`,
          },
        },
        {
          commit: {
            authoredDate: iso(created - HOUR),
            message: `Change ${n}: tests\n\nCovers the batch writer.${n % 10 === 0 ? '\n\nCo-Authored-By: Claude <noreply@anthropic.com>' : ''}`,
          },
        },
      ],
      timelineItems: n % 5 === 0 ? [{ __typename: 'ReadyForReviewEvent', createdAt: iso(created + HOUR) }] : [],
      checkSuites: benchCheckSuites(n, created),
    });
    if (mergeOid) {
      commits.push({ oid: sha(`a-${n}`), pullRequest: n }, { oid: sha(`b-${n}`), pullRequest: n }, { oid: mergeOid, pullRequest: n });
      merged += 1;
      if (merged % 10 === 0) {
        const at = mergedAt! + HOUR;
        deployments.push({
          __typename: 'Deployment',
          id: `DE_kwDOBench${merged}`,
          databaseId: 5_000_000 + merged,
          environment: 'production',
          createdAt: iso(at),
          updatedAt: iso(at + 600_000),
          commitOid: mergeOid,
          state: 'ACTIVE',
          latestStatus: { state: 'SUCCESS', createdAt: iso(at + 600_000) },
          statuses: [
            { state: 'IN_PROGRESS', createdAt: iso(at + 60_000) },
            { state: 'SUCCESS', createdAt: iso(at + 600_000) },
          ],
        });
      }
    }
  }
  // The fake sorts on every request; lists already in order keep that cheap.
  prs.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
  const repository: FakeRepository = {
    nameWithOwner: BENCH_REPOSITORY,
    isArchived: false,
    pullRequests: prs,
    deployments,
    releases: [],
    issues: Array.from({ length: 20 }, (_, i) => ({
      __typename: 'Issue' as const,
      id: `I_kwDOBench${i}`,
      number: 100_000 + i,
      title: `Incident ${i}: elevated error rate`,
      url: `https://github.com/${BENCH_REPOSITORY}/issues/${100_000 + i}`,
      state: 'CLOSED' as const,
      createdAt: iso(start + i * 30 * 24 * HOUR),
      updatedAt: iso(start + i * 30 * 24 * HOUR + 3 * HOUR),
      closedAt: iso(start + i * 30 * 24 * HOUR + 3 * HOUR),
      labels: [{ name: 'incident' }, { name: 'sev2' }],
    })),
    commits,
  };
  return { organizations: [], repositories: [repository] };
}

/**
 * The head commit's CI: a GitHub Actions run of `CI` with `lint` and `test` (every 12th PR's `test` failed and passed
 * on a rerun, every 25th failed), and every 4th PR a CircleCI check: 2-4 builds a pull request.
 */
function benchCheckSuites(n: number, created: number): FakeCheckSuite[] {
  const run = (name: string, id: number, start: number, minutes: number, conclusion: FakeCheckRun['conclusion']): FakeCheckRun => ({
    id: `CR_kwDOBench${n}x${id}`,
    name,
    status: 'COMPLETED',
    conclusion,
    startedAt: iso(start),
    completedAt: iso(start + minutes * 60_000),
  });
  const at = created - 50 * 60_000;
  const test =
    n % 12 === 0
      ? [run('test', 2, at, 9, 'FAILURE'), run('test', 3, at + 20 * 60_000, 8, 'SUCCESS')]
      : [run('test', 2, at, 8 + (n % 5), n % 25 === 0 ? 'FAILURE' : 'SUCCESS')];
  const suites: FakeCheckSuite[] = [
    {
      id: `CS_kwDOBench${n}a`,
      status: 'COMPLETED',
      conclusion: test.at(-1)!.conclusion,
      createdAt: iso(at),
      updatedAt: iso(at + 30 * 60_000),
      app: { name: 'GitHub Actions' },
      workflowRun: { id: `WFR_kwLOBench${n}`, runNumber: n, workflow: { name: 'CI' } },
      checkRuns: [run('lint', 1, at, 2, 'SUCCESS'), ...test],
    },
  ];
  if (n % 4 === 0)
    suites.push({
      id: `CS_kwDOBench${n}b`,
      status: 'COMPLETED',
      conclusion: 'SUCCESS',
      createdAt: iso(at),
      updatedAt: iso(at + 6 * 60_000),
      app: { name: 'CircleCI Checks' },
      workflowRun: null,
      checkRuns: [run('build', 4, at, 6, 'SUCCESS')],
    });
  return suites;
}
