import { columns, text } from '../../kernel/store/row-decoder.js';
import type { StatementRunner } from '../audit/index.js';

const personRow = columns({ id: text });

/**
 * The person id behind `idOrLogin`: a person id, an account's external id or login (a Slack user id,
 * a GitHub login), or an email; `undefined` when nobody in the workspace matches.
 */
export async function resolvePerson(runner: StatementRunner, workspace: string, idOrLogin: string): Promise<string | undefined> {
  const result = await runner.execute({
    sql: `SELECT id FROM people WHERE workspace = ?1 AND id = ?2
          UNION ALL SELECT person_id FROM accounts WHERE workspace = ?1 AND (external_id = ?2 OR login = ?2)
          UNION ALL SELECT id FROM people WHERE workspace = ?1 AND email = lower(?2)
          LIMIT 1`,
    args: [workspace, idOrLogin],
  });
  return personRow.first(result.rows)?.id;
}

/**
 * Every person `name` may mean when case is ignored: the exact match of {@link resolvePerson} when there is one, else
 * each person whose id, account id or login, or email equals `name` in any (ASCII) case, or whose account of a
 * provider `name` spells as `<provider>:<id or login>` (`github:TFERREIRA`) does. Empty for nobody. The self-decision
 * check reads it: a provider's spelling of the requester is still the requester.
 */
export async function resolvePersonIgnoringCase(runner: StatementRunner, workspace: string, name: string): Promise<string[]> {
  const exact = await resolvePerson(runner, workspace, name);
  if (exact) return [exact];
  const colon = name.indexOf(':');
  const [provider, account] = colon > 0 ? [name.slice(0, colon), name.slice(colon + 1)] : ['', ''];
  const result = await runner.execute({
    sql: `SELECT id FROM people WHERE workspace = ?1 AND (lower(id) = lower(?2) OR email = lower(?2))
          UNION SELECT person_id FROM accounts WHERE workspace = ?1 AND (lower(external_id) = lower(?2) OR lower(login) = lower(?2))
          UNION SELECT person_id FROM accounts WHERE workspace = ?1 AND ?3 <> '' AND lower(provider) = lower(?3)
            AND (lower(external_id) = lower(?4) OR lower(login) = lower(?4))
          ORDER BY 1`,
    args: [workspace, name, provider, account],
  });
  return personRow.all(result.rows).map((row) => row.id);
}

/** True when `personId` is one of `approvers` (person ids) or a member of one of its `team:<id>` entries. */
export async function isListedApprover(
  runner: StatementRunner,
  workspace: string,
  personId: string,
  approvers: readonly string[],
): Promise<boolean> {
  if (approvers.includes(personId)) return true;
  const teams = approvers.filter((ref) => ref.startsWith('team:')).map((ref) => ref.slice('team:'.length));
  if (teams.length === 0) return false;
  const result = await runner.execute({
    sql: `SELECT 1 FROM memberships WHERE workspace = ? AND person_id = ? AND team_id IN (${teams.map(() => '?').join(', ')}) LIMIT 1`,
    args: [workspace, personId, ...teams],
  });
  return result.rows.length > 0;
}

/** Every known person id, for "did you mean" suggestions. */
export async function personIds(runner: StatementRunner, workspace: string): Promise<string[]> {
  const result = await runner.execute({ sql: 'SELECT id FROM people WHERE workspace = ? ORDER BY id', args: [workspace] });
  return personRow.all(result.rows).map((row) => row.id);
}
