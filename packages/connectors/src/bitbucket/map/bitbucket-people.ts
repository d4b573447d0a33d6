import type { AccountRef } from '@teamstate/core';
import type { BbUser } from '../client/bitbucket-types.js';

/** The key of a user: the Atlassian `account_id` (the same across workspaces), else the `{uuid}`. */
const keyOf = (user: BbUser) => user.account_id ?? user.uuid;

/** The account of a Bitbucket user: apps and teams are marked as bots so core makes no people of them. */
export function accountOf(user: BbUser | null | undefined): AccountRef | undefined {
  if (!user?.uuid) return undefined;
  const account: AccountRef = { provider: 'bitbucket', id: keyOf(user) };
  if (user.nickname) account.login = user.nickname;
  if (user.display_name) account.name = user.display_name;
  if (user.type === 'app_user' || user.type === 'team') account.bot = true;
  return account;
}

/** Resolves Bitbucket users to person ids, one `resolvePeople` call per batch. */
export class BitbucketPeople {
  readonly #resolve: (accounts: readonly AccountRef[]) => Promise<(string | undefined)[]>;
  readonly #queued = new Map<string, AccountRef>();
  readonly #people = new Map<string, string | undefined>();

  constructor(resolve: (accounts: readonly AccountRef[]) => Promise<(string | undefined)[]>) {
    this.#resolve = resolve;
  }

  add(user: BbUser | null | undefined): void {
    const account = accountOf(user);
    if (account && !this.#people.has(account.id)) this.#queued.set(account.id, account);
  }

  async resolve(): Promise<void> {
    const accounts = [...this.#queued.values()];
    this.#queued.clear();
    if (accounts.length === 0) return;
    const people = await this.#resolve(accounts);
    accounts.forEach((account, i) => this.#people.set(account.id, people[i]));
  }

  personOf(user: BbUser | null | undefined): string | undefined {
    return user?.uuid ? this.#people.get(keyOf(user)) : undefined;
  }
}
