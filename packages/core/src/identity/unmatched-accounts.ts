import type { Provider } from '../model/common.js';
import type { Execute } from '../store/existing-ids.js';

/** An account whose person has no account at any other provider of the workspace (a candidate for `teamstate people link`). */
export interface UnmatchedAccount {
  provider: Provider;
  /** The provider's id (GitHub user id, Jira accountId, Slack user id). */
  id: string;
  login?: string;
  /** The person created for (or matched to) this account alone. */
  person: string;
  name: string;
  email?: string;
  /** Providers the workspace has accounts at where this person has none, e.g. `['github', 'slack']`. */
  missing: Provider[];
}

/**
 * Accounts not matched to anyone at another provider: their person has accounts at exactly one provider
 * while the workspace has accounts at two or more (`email` accounts do not count as a provider here).
 * With a single provider synced, nothing can be matched yet, so the list is empty.
 */
export async function unmatchedAccounts(
  execute: Execute,
  workspace: string,
  query: { provider?: Provider } = {},
): Promise<UnmatchedAccount[]> {
  const present = (
    await execute("SELECT DISTINCT provider FROM accounts WHERE workspace = ? AND provider <> 'email' ORDER BY provider", [workspace])
  ).rows.map((r) => String(r.provider) as Provider);
  if (present.length < 2) return [];
  const rows = await execute(
    `SELECT a.provider, a.external_id, a.login, a.person_id, p.name, p.email
     FROM accounts a JOIN people p ON p.workspace = a.workspace AND p.id = a.person_id
     WHERE a.workspace = ?1 AND a.provider <> 'email'${query.provider ? ' AND a.provider = ?2' : ''}
       AND a.person_id IN (
         SELECT person_id FROM accounts WHERE workspace = ?1 AND provider <> 'email'
         GROUP BY person_id HAVING COUNT(DISTINCT provider) = 1)
     ORDER BY a.provider, p.name, a.external_id`,
    query.provider ? [workspace, query.provider] : [workspace],
  );
  return rows.rows.map((r) => {
    const account: UnmatchedAccount = {
      provider: String(r.provider) as Provider,
      id: String(r.external_id),
      person: String(r.person_id),
      name: String(r.name),
      missing: present.filter((p) => p !== String(r.provider)),
    };
    if (r.login !== null) account.login = String(r.login);
    if (r.email !== null) account.email = String(r.email);
    return account;
  });
}
