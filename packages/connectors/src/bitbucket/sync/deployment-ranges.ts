import type { Deployment, SyncContext } from '@teamstate/core';
import type { BitbucketApi } from '../client/bitbucket-api.js';
import type { BbCommit } from '../client/bitbucket-types.js';
import { pullRequestId } from '../map/map-pull-request.js';

/** Commits read per range at most: a longer range leaves the deployment's pull requests unknown (mapped by time). */
const MAX_COMMITS = 500;
/** Bitbucket's merge and squash commits name their pull request: `Merged in fix-42 (pull request #42)`. */
const MERGED_IN = /\(pull request #(\d+)\)/;
/** Bitbucket abbreviates the commit hashes it embeds in a pull request to 12 characters. */
const short = (hash: string) => hash.slice(0, 12).toLowerCase();

/** Pull requests by the commits that merged them (merge commit, and head for a fast-forward), as read by a sync. */
export class MergedCommits {
  readonly #byCommit = new Map<string, string>();

  /** Remembers a merged pull request's merge commit and head. */
  add(id: string, ...hashes: (string | undefined)[]): void {
    for (const hash of hashes) if (hash) this.#byCommit.set(short(hash), id);
  }

  /** The pull request a commit of the main branch merged: by its message's marker, else by its hash. */
  pullRequestOf(commit: BbCommit, repository: string): string | undefined {
    const marker = MERGED_IN.exec(commit.message ?? '')?.[1];
    return marker ? pullRequestId(repository, Number(marker)) : this.#byCommit.get(short(commit.hash));
  }
}

/** A deployment with its environment's id (ranges run between deployments of one environment). */
export interface RangedDeployment {
  deployment: Deployment;
  environment: string;
}

/** What the deployments' cursor remembers between runs. */
export interface SettledDeployments {
  /** The latest finish time of a finished deployment stored: older finished ones are stored already. */
  settled?: string;
  /** Deployments still running when last stored (their ids): stored again when they finish. */
  running?: string[];
}

/**
 * Picks the deployments to store (those finished after `settled`, or running, or running before) and gives each
 * successful one its pull requests: those merged into its commit range, from the previous successful deployment of its
 * environment (by finish time, over the whole list) to its own commit. The first of an environment, a range of more
 * than {@link MAX_COMMITS} commits or a commit that is gone gets no list, so metrics map it by time; a redeploy of the
 * same commit ships nothing. A commit names its pull request by its message's marker, else as the merge commit or head
 * of one this sync read, else as the head of one stored before (a fast-forward merge). Only pull requests the store
 * knows are listed. Returns them with the next cursor value.
 */
export async function deploymentsToStore(
  ctx: SyncContext,
  api: BitbucketApi,
  slug: string,
  repository: string,
  all: readonly RangedDeployment[],
  merges: MergedCommits,
  cursor: SettledDeployments,
): Promise<{ deployments: Deployment[]; next: SettledDeployments }> {
  const sorted = [...all].sort((a, b) => a.deployment.finishedAt.localeCompare(b.deployment.finishedAt));
  const lastSuccess = new Map<string, { sha: string; at: string }>();
  const running = new Set(cursor.running ?? []);
  const fresh: { deployment: Deployment; range?: { head: string; base: string } }[] = [];
  for (const { deployment, environment } of sorted) {
    let range: { head: string; base: string } | undefined;
    if (deployment.status === 'success' && deployment.sha) {
      const previous = lastSuccess.get(environment);
      if (!previous || previous.at < deployment.finishedAt) {
        if (previous) range = { head: deployment.sha, base: previous.sha };
        lastSuccess.set(environment, { sha: deployment.sha, at: deployment.finishedAt });
      }
    }
    const store =
      !cursor.settled || deployment.status === 'in_progress' || running.has(deployment.id) || deployment.finishedAt > cursor.settled;
    if (store) fresh.push({ deployment, ...(range ? { range } : {}) });
  }
  const ranges = new Map<Deployment, BbCommit[]>();
  for (const { deployment, range } of fresh) {
    if (!range) continue;
    const commits = range.head === range.base ? [] : await api.commitRange(slug, range.head, range.base, MAX_COMMITS);
    if (commits) ranges.set(deployment, commits);
  }
  // A pull request merged by fast-forward has no merge commit: its head is on the branch. One this sync did not read
  // (stored by an earlier one) is found by its stored head commit.
  const unmatched = [...ranges.values()].flat().filter((commit) => !merges.pullRequestOf(commit, repository));
  const stored = unmatched.length
    ? await ctx.workItemsByHead(
        repository,
        unmatched.map((c) => c.hash),
      )
    : new Map<string, string>();
  const lists = new Map<Deployment, string[]>();
  for (const [deployment, commits] of ranges) {
    const ids = commits.flatMap((commit) => merges.pullRequestOf(commit, repository) ?? stored.get(commit.hash) ?? []);
    lists.set(deployment, [...new Set(ids)]);
  }
  const known = await ctx.existing('work item', [...new Set([...lists.values()].flat())]);
  for (const [deployment, ids] of lists) deployment.pullRequests = ids.filter((id) => known.has(id)).sort();
  const finished = all.filter((d) => d.deployment.status !== 'in_progress').map((d) => d.deployment.finishedAt);
  const settled = [cursor.settled, ...finished]
    .filter((t): t is string => t !== undefined)
    .sort()
    .at(-1);
  const next: SettledDeployments = {
    ...(settled ? { settled } : {}),
    running: all.filter((d) => d.deployment.status === 'in_progress').map((d) => d.deployment.id),
  };
  return { deployments: fresh.map((f) => f.deployment), next };
}
