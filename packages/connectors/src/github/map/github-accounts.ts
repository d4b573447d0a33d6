import type { AccountRef } from '@teamstate/core';
import type { ActorNode } from '../client/graphql-types.js';

/** A GitHub user as GraphQL (`databaseId`) or REST and webhooks (`id`, `type`) describe it. */
export type GitHubUser = ActorNode | { login: string; id: number; type?: string; name?: string | null; email?: string | null };

/**
 * The account of a GitHub user, keyed by the user's numeric id (stable across renames); bots and apps
 * are marked so core does not make people of them. `undefined` for a deleted user ("ghost").
 */
export function accountOf(user: GitHubUser | null | undefined): AccountRef | undefined {
  if (!user?.login) return undefined;
  const numericId = 'databaseId' in user ? user.databaseId : 'id' in user ? user.id : undefined;
  const type = '__typename' in user ? user.__typename : 'type' in user ? user.type : undefined;
  const account: AccountRef = {
    provider: 'github',
    id: numericId === undefined || numericId === null ? user.login : String(numericId),
    login: user.login,
  };
  if (type === 'Bot' || /\[bot\]$/i.test(user.login)) account.bot = true;
  if (user.name) account.name = user.name;
  if (user.email) account.email = user.email;
  return account;
}

/** Resolves accounts to person ids with one `resolvePeople` call per batch. */
export class PeopleLookup {
  readonly #resolve: (accounts: readonly AccountRef[]) => Promise<(string | undefined)[]>;
  readonly #accounts = new Map<string, AccountRef>();
  #people = new Map<string, string | undefined>();

  constructor(resolve: (accounts: readonly AccountRef[]) => Promise<(string | undefined)[]>) {
    this.#resolve = resolve;
  }

  /** Queues a user for the next `resolve()`. */
  add(user: GitHubUser | null | undefined): void {
    const account = accountOf(user);
    if (!account || this.#accounts.has(account.id) || this.#people.has(account.id)) return;
    // The richest description wins (GraphQL users carry name and email, review authors may not).
    this.#accounts.set(account.id, account);
  }

  /** Resolves every queued account (one transaction in core). */
  async resolve(): Promise<void> {
    const accounts = [...this.#accounts.values()];
    this.#accounts.clear();
    if (accounts.length === 0) return;
    const people = await this.#resolve(accounts);
    accounts.forEach((account, i) => this.#people.set(account.id, people[i]));
  }

  /** The person id of a resolved user; `undefined` for bots, ghosts and users not resolved. */
  personOf(user: GitHubUser | null | undefined): string | undefined {
    const account = accountOf(user);
    return account ? this.#people.get(account.id) : undefined;
  }
}
