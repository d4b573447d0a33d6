import { z } from 'zod';
import type { JiraApi } from '../client/jira-api.js';
import { JiraRequestError } from '../client/jira-request-error.js';

/** An issue key such as `PAY-17`. */
export const issueKeySchema = z
  .string({ error: 'expected an issue key such as "PAY-17"' })
  .regex(/^[A-Z][A-Z0-9_]*-[1-9]\d*$/, { error: 'expected an issue key such as "PAY-17" (project key, dash, number)' });

/** The issue property (and comment property) under which teamstate records which approval made a change. */
export const TEAMSTATE_PROPERTY = 'teamstate';

/** What executors get: the API (created on first use, waits with a timer). */
export type ApiProvider = () => Promise<JiraApi>;

/** Runs `fn`; a 404 from Jira becomes `undefined` (the issue does not exist or the account may not see it). */
export async function unlessNotFound<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof JiraRequestError && error.statusCode === 404) return undefined;
    throw error;
  }
}

/** The current status name of an issue, or `undefined` when it does not exist. */
export async function currentStatus(api: JiraApi, key: string): Promise<string | undefined> {
  const issue = await unlessNotFound(() => api.getIssue(key, ['status']));
  const name = issue?.fields?.status?.name;
  return typeof name === 'string' ? name : undefined;
}

/** Case-insensitive equality of status names (`Done` and `done` are the same status to a person). */
export const sameName = (a: string | undefined, b: string | undefined): boolean =>
  a !== undefined && b !== undefined && a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;
