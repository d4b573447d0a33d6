import type { AccountRef } from '@teamstate/core';
import type { JiraUser } from '../client/jira-api.js';

/**
 * A user field of an issue (assignee, reporter) as a {@link JiraUser}: Cloud's `accountId`, or a Data
 * Center user's `key`. `undefined` for an empty field.
 */
export function userOf(value: unknown): JiraUser | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const u = value as {
    accountId?: unknown;
    key?: unknown;
    name?: unknown;
    displayName?: unknown;
    emailAddress?: unknown;
    accountType?: unknown;
    active?: unknown;
  };
  const accountId = typeof u.accountId === 'string' ? u.accountId : typeof u.key === 'string' ? u.key : undefined;
  if (!accountId) return undefined;
  return {
    accountId,
    ...(typeof u.displayName === 'string' ? { displayName: u.displayName } : typeof u.name === 'string' ? { displayName: u.name } : {}),
    ...(typeof u.emailAddress === 'string' && u.emailAddress.includes('@') ? { emailAddress: u.emailAddress } : {}),
    ...(typeof u.accountType === 'string' ? { accountType: u.accountType } : {}),
    ...(typeof u.active === 'boolean' ? { active: u.active } : {}),
  };
}

/**
 * A Jira user as an account for identity resolution. Integrations (`app`) and service desk customers
 * (`customer`) are not people of the team: they are marked as bots, which resolve to no person.
 */
export function accountRef(user: JiraUser): AccountRef {
  return {
    provider: 'jira',
    id: user.accountId,
    ...(user.displayName ? { login: user.displayName, name: user.displayName } : {}),
    ...(user.emailAddress ? { email: user.emailAddress } : {}),
    bot: user.accountType === 'app' || user.accountType === 'customer',
  };
}

/** Person ids of accounts already resolved in this run, keyed by what resolution depends on. */
export type ResolvedUsers = Map<string, { seen: string; person: string | undefined }>;

/**
 * Resolves users to person ids through core (existing link, email, config override, new person), each
 * account once. With `cache` (one per sync run), an account resolved earlier in the run with the same
 * name, email and type is not resolved again: most pages mention the same few dozen people. Returns a
 * lookup by account id (`undefined` for bots).
 */
export async function resolveUsers(
  users: readonly (JiraUser | undefined)[],
  resolvePeople: (accounts: readonly AccountRef[]) => Promise<(string | undefined)[]>,
  cache: ResolvedUsers = new Map(),
): Promise<Map<string, string | undefined>> {
  const seen = (user: JiraUser) => `${user.displayName ?? ''}\u0000${user.emailAddress ?? ''}\u0000${user.accountType ?? ''}`;
  const unique = new Map<string, JiraUser>();
  for (const user of users) if (user && !unique.has(user.accountId)) unique.set(user.accountId, user);
  const stale = [...unique.values()].filter((user) => cache.get(user.accountId)?.seen !== seen(user));
  const people = stale.length === 0 ? [] : await resolvePeople(stale.map(accountRef));
  stale.forEach((user, i) => cache.set(user.accountId, { seen: seen(user), person: people[i] }));
  return new Map([...unique.keys()].map((id) => [id, cache.get(id)?.person]));
}
