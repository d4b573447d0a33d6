import type { Provider } from '../../kernel/model/common.js';
import { columns, nullable, text, textOf } from '../../kernel/store/row-decoder.js';
import { sql } from '../../kernel/store/sql.js';
import type { StoreReader } from '../../kernel/store/store-reader.js';

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

const providerRows = columns({ provider: textOf<Provider>() });
const accountRows = columns({
  provider: textOf<Provider>(),
  external_id: text,
  login: nullable(text),
  person_id: text,
  name: text,
  email: nullable(text),
});

/**
 * Accounts not matched to anyone at another provider: their person has accounts at exactly one provider
 * while the workspace has accounts at two or more (`email` accounts do not count as a provider here).
 * With a single provider synced, nothing can be matched yet, so the list is empty.
 */
export async function unmatchedAccounts(db: StoreReader, query: { provider?: Provider } = {}): Promise<UnmatchedAccount[]> {
  const workspace = db.workspace;
  const present = (
    await db.all(
      providerRows,
      sql`SELECT DISTINCT provider FROM accounts WHERE workspace = ${workspace} AND provider <> 'email' ORDER BY provider`,
    )
  ).map((r) => r.provider);
  if (present.length < 2) return [];
  const rows = await db.all(
    accountRows,
    sql`SELECT a.provider, a.external_id, a.login, a.person_id, p.name, p.email
     FROM accounts a JOIN people p ON p.workspace = a.workspace AND p.id = a.person_id
     WHERE a.workspace = ${workspace} AND a.provider <> 'email'${query.provider ? sql` AND a.provider = ${query.provider}` : sql``}
       AND a.person_id IN (
         SELECT person_id FROM accounts WHERE workspace = ${workspace} AND provider <> 'email'
         GROUP BY person_id HAVING COUNT(DISTINCT provider) = 1)
     ORDER BY a.provider, p.name, a.external_id`,
  );
  return rows.map((r) => {
    const account: UnmatchedAccount = {
      provider: r.provider,
      id: r.external_id,
      person: r.person_id,
      name: r.name,
      missing: present.filter((p) => p !== r.provider),
    };
    if (r.login !== null) account.login = r.login;
    if (r.email !== null) account.email = r.email;
    return account;
  });
}
