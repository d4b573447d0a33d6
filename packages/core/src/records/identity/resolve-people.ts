import type { Provider } from '../../kernel/model/common.js';
import { isTimeZone } from '../../kernel/model/local-day.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, text } from '../../kernel/store/row-decoder.js';
import type { AccountRef } from '../../spec/connector.js';
import { accountKey, emailKey, erasedKeys, hasErasures, personKey } from './erasures.js';

export type { AccountRef };

const slug = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'person';

const personIdRows = columns({ person_id: text });
const idRows = columns({ id: text });

/**
 * Maps accounts to person ids, creating and linking as needed, in one write transaction:
 * 1. an account already linked keeps its person;
 * 2. else a person with the same email (case-insensitive);
 * 3. else an identity override: an account of the same provider whose id or login equals this
 *    account's login (what `people: [{ github: anag }]` in the config writes);
 * 4. else a new person, id from the login (an email's local part), email name or display name (made unique).
 * The account's profile `timeZone` fills the person's, unless one was declared (config, bundle).
 * An account with an explicit `person` is linked to it as given (how config overrides are written).
 * An account, email or person of someone erased (`ts.people.erase`) maps to their pseudonym and nothing is stored.
 * Returns one person id per input, `undefined` for bots. A person's other accounts are never touched.
 */
export async function resolvePeople(store: Store, workspace: string, refs: readonly AccountRef[]): Promise<(string | undefined)[]> {
  if (refs.length === 0) return [];
  return store.write(async (tx) => {
    const q = async (sql: string, args: (string | number | null)[]) => (await tx.execute({ sql, args: [workspace, ...args] })).rows;
    const result: (string | undefined)[] = [];
    const taken = new Set<string>();
    const erasures = await hasErasures(tx, workspace);
    for (const ref of refs) {
      if (ref.bot) {
        result.push(undefined);
        continue;
      }
      if (erasures) {
        const keys = [
          accountKey(ref.provider, ref.id),
          ...(ref.email ? [emailKey(ref.email)] : []),
          ...(ref.person ? [personKey(ref.person)] : []),
        ];
        const found = await erasedKeys(tx, workspace, keys);
        const pseudonym = keys.map((key) => found.get(key)).find((p) => p !== undefined);
        if (pseudonym) {
          result.push(pseudonym);
          continue;
        }
      }
      const email = ref.email?.toLowerCase();
      if (ref.person) {
        await q(
          `INSERT INTO accounts (workspace, provider, external_id, login, person_id) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (workspace, provider, external_id) DO UPDATE SET login = excluded.login, person_id = excluded.person_id
           WHERE accounts.login IS NOT excluded.login OR accounts.person_id IS NOT excluded.person_id`,
          [ref.provider, ref.id, ref.login ?? null, ref.person],
        );
        result.push(ref.person);
        continue;
      }
      const linked = personIdRows.first(
        await q('SELECT person_id FROM accounts WHERE workspace = ? AND provider = ? AND external_id = ?', [ref.provider, ref.id]),
      );
      let person = linked?.person_id;
      if (!person && email) {
        // Named index: without statistics the planner walks every person by id to honour ORDER BY id.
        const byEmail = idRows.first(
          await q('SELECT id FROM people INDEXED BY people_email_idx WHERE workspace = ? AND email = ? ORDER BY id LIMIT 1', [email]),
        );
        person = byEmail?.id;
      }
      if (!person && ref.login) {
        // The first match in key order (as the walk of the provider's accounts found it), from two seeks.
        const override = personIdRows.first(
          await q(
            `SELECT person_id FROM (SELECT external_id, person_id FROM accounts WHERE workspace = ?1 AND provider = ?2 AND external_id = ?3
             UNION ALL SELECT external_id, person_id FROM accounts INDEXED BY accounts_login_idx WHERE workspace = ?1 AND provider = ?2 AND login = ?3)
           ORDER BY external_id LIMIT 1`,
            [ref.provider, ref.login],
          ),
        );
        person = override?.person_id;
      }
      if (!person) {
        // A login that is an email (PagerDuty's) names the person by its local part, as an email does.
        const base = slug(ref.login?.split('@')[0] || email?.split('@')[0] || ref.name || `${ref.provider}-${ref.id}`);
        person = base;
        for (let n = 2; taken.has(person) || (await q('SELECT 1 FROM people WHERE workspace = ? AND id = ?', [person])).length > 0; n++)
          person = `${base}-${n}`;
        await q('INSERT INTO people (workspace, id, name, email) VALUES (?, ?, ?, ?)', [
          person,
          ref.name ?? ref.login ?? person,
          email ?? null,
        ]);
      } else if (email) {
        // ?1 is the workspace (prepended by q).
        await q('UPDATE people SET email = ?2 WHERE workspace = ?1 AND id = ?3 AND email IS NULL', [email, person]);
      }
      taken.add(person);
      if (isTimeZone(ref.timeZone)) {
        // A declared time zone (time_zone_source NULL) wins; one a provider gave follows that provider's profile.
        await q(
          `UPDATE people SET time_zone = ?2, time_zone_source = ?3 WHERE workspace = ?1 AND id = ?4
           AND (time_zone IS NULL OR time_zone_source IS NOT NULL) AND (time_zone IS NOT ?2 OR time_zone_source IS NOT ?3)`,
          [ref.timeZone, ref.provider, person],
        );
      }
      await q(
        `INSERT INTO accounts (workspace, provider, external_id, login, person_id) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (workspace, provider, external_id) DO UPDATE SET login = excluded.login WHERE accounts.login IS NOT excluded.login`,
        [ref.provider, ref.id, ref.login ?? null, person],
      );
      result.push(person);
    }
    return result;
  });
}

/** The person an account is linked to (e.g. the clicking Slack user), or `undefined`; never creates or links anything. */
export async function personForAccount(
  store: Store,
  workspace: string,
  provider: Provider,
  externalId: string,
): Promise<string | undefined> {
  const rows = await store.execute('SELECT person_id FROM accounts WHERE workspace = ? AND provider = ? AND external_id = ?', [
    workspace,
    provider,
    externalId,
  ]);
  return personIdRows.first(rows.rows)?.person_id;
}
