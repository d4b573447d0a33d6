import type { SyncContext } from '@teamstate/core';

/** Owner and name of `owner/name`. */
export function splitRepository(repository: string): { owner: string; name: string } {
  const [owner = '', name = ''] = repository.split('/');
  return { owner, name };
}

/** The resources that keep a cursor per repository. */
export type CursorResource = 'pulls' | 'deployments' | 'releases' | 'workflow_runs' | 'incidents';

/** `pulls:acme/api`: a cursor key per resource and repository (GitHub names are case-insensitive). */
export function cursorKey(resource: CursorResource, repository: string): string {
  return `${resource}:${repository.toLowerCase()}`;
}

/** Pull requests: the newest `updatedAt` fully synced, and a run in progress (resumed after a crash). */
export interface PullRequestsCursor {
  watermark?: string;
  /** A run in progress: where it resumes, and the pull requests read but still waiting for their follow-ups. */
  run?: { target?: string; after: string | null; waiting?: number[] };
}

/** A deployment that was still running when last synced. */
export interface PendingDeployment {
  /** GraphQL node id (source `deployments`) or run id (source `workflow_runs`). */
  id: string;
  status: string;
  createdAt: string;
}

/** The last successful deployment of an environment: the base of the next one's commit range. */
export interface LastSuccess {
  sha: string;
  /** When it finished. */
  at: string;
}

/** Deployments, releases and workflow runs: newest creation synced, still-running ones, last success per environment. */
export interface DeliveryCursor {
  watermark?: string;
  pending?: PendingDeployment[];
  lastSuccess?: Record<string, LastSuccess>;
  /** ETag of the first page (workflow runs, a REST list). */
  etag?: string;
}

/** Incidents: the newest `updatedAt` synced. */
export interface IncidentsCursor {
  watermark?: string;
}

/** Reads a JSON cursor; a cursor that cannot be read is logged and treated as absent (a full re-sync). */
export async function readCursor<T extends object>(ctx: SyncContext, key: string): Promise<T | undefined> {
  const value = await ctx.getCursor(key);
  if (value === undefined) return undefined;
  try {
    const parsed = JSON.parse(value) as unknown;
    if (parsed && typeof parsed === 'object') return parsed as T;
  } catch {}
  ctx.log.warn(`github: cursor ${key} is not readable; syncing that resource from the start`);
  return undefined;
}
