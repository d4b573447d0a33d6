import type { AccountRef } from '@teamstate/core';
import type { GlUser } from '../client/gitlab-types.js';

/** Project and group access tokens act as bot users named `project_<id>_bot_<hash>` / `group_<id>_bot_<hash>`. */
const BOT_USERNAME = /^(project|group)_\d+_bot(_[0-9a-f]+)?$|^ghost$|-bot$|\[bot\]$/i;

/**
 * The account of a GitLab user, keyed by the user's numeric id (stable across renames), with the username as login and
 * the email when GitLab shows it (an administrator's token, or the user's public email): core links people by email,
 * then by configured usernames. Bots and access-token users are marked so core makes no people of them.
 */
export function accountOf(user: GlUser | null | undefined): AccountRef | undefined {
  if (!user?.username) return undefined;
  const account: AccountRef = { provider: 'gitlab', id: String(user.id), login: user.username };
  if (user.bot || BOT_USERNAME.test(user.username)) account.bot = true;
  if (user.name) account.name = user.name;
  const email = user.email || user.public_email;
  if (email) account.email = email;
  return account;
}

/** Resolves GitLab users to person ids, one `resolvePeople` call per batch. */
export class GitLabPeople {
  readonly #resolve: (accounts: readonly AccountRef[]) => Promise<(string | undefined)[]>;
  readonly #queued = new Map<string, AccountRef>();
  readonly #people = new Map<string, string | undefined>();

  constructor(resolve: (accounts: readonly AccountRef[]) => Promise<(string | undefined)[]>) {
    this.#resolve = resolve;
  }

  add(user: GlUser | null | undefined): void {
    const account = accountOf(user);
    if (!account || this.#people.has(account.id)) return;
    const queued = this.#queued.get(account.id);
    // The richest description wins (members carry the email, embedded users may not).
    if (!queued || (!queued.email && account.email)) this.#queued.set(account.id, account);
  }

  async resolve(): Promise<void> {
    const accounts = [...this.#queued.values()];
    this.#queued.clear();
    if (accounts.length === 0) return;
    const people = await this.#resolve(accounts);
    accounts.forEach((account, i) => this.#people.set(account.id, people[i]));
  }

  personOf(user: GlUser | null | undefined): string | undefined {
    return user ? this.#people.get(String(user.id)) : undefined;
  }
}
