import type { AccountRef } from '@teamstate/core';
import type { JiraUser } from './jira-api.js';

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

/**
 * Resolves users to person ids through core (existing link, email, config override, new person), each
 * account once. Returns a lookup by account id (`undefined` for bots).
 */
export async function resolveUsers(
  users: readonly (JiraUser | undefined)[],
  resolvePeople: (accounts: readonly AccountRef[]) => Promise<(string | undefined)[]>,
): Promise<Map<string, string | undefined>> {
  const unique = new Map<string, JiraUser>();
  for (const user of users) if (user && !unique.has(user.accountId)) unique.set(user.accountId, user);
  const list = [...unique.values()];
  const people = list.length === 0 ? [] : await resolvePeople(list.map(accountRef));
  return new Map(list.map((user, i) => [user.accountId, people[i]]));
}
