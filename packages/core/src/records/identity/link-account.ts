import { NotFoundError } from '../../kernel/errors.js';
import type { Provider } from '../../kernel/model/common.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, nullable, text } from '../../kernel/store/row-decoder.js';
import { REFRESH_DERIVED } from '../store/derived-columns.js';

/** What `linkAccount` did. */
export interface LinkAccountResult {
  provider: Provider;
  id: string;
  login?: string;
  /** The person the account belongs to now. */
  person: string;
  /** The person it belonged to before, when that changed. */
  previousPerson?: string;
  /**
   * True when the previous person was left without accounts and was merged into `person`: their work
   * items, assignments, reviews and team memberships now point at `person`, and the empty person is gone.
   */
  merged: boolean;
}

const accountRows = columns({ login: nullable(text), person_id: text });

/**
 * Links an existing account to an existing person (an explicit identity decision, e.g. after
 * `teamstate people unmatched`). When the account's previous person has no other account left, that
 * person was only this account seen on its own: it is merged into the target, so nothing keeps pointing
 * at a person that no longer stands for anyone. One write transaction.
 * @throws NotFoundError when the person or the account does not exist in the workspace
 */
export async function linkAccount(
  store: Store,
  workspace: string,
  account: { provider: Provider; id: string },
  person: string,
): Promise<LinkAccountResult> {
  return store.write(async (tx) => {
    const q = async (sql: string, args: (string | null)[]) => (await tx.execute({ sql, args: [workspace, ...args] })).rows;
    const [target] = await q('SELECT id, email FROM people WHERE workspace = ? AND id = ?', [person]);
    if (!target) throw new NotFoundError('person', person);
    const row = accountRows.first(
      await q('SELECT login, person_id FROM accounts WHERE workspace = ? AND provider = ? AND external_id = ?', [
        account.provider,
        account.id,
      ]),
    );
    if (!row) throw new NotFoundError('account', `${account.provider}:${account.id}`);
    const login = row.login ?? undefined;
    const previous = row.person_id;
    const base = { provider: account.provider, id: account.id, ...(login === undefined ? {} : { login }), person };
    if (previous === person) return { ...base, merged: false };
    await q('UPDATE accounts SET person_id = ?2 WHERE workspace = ?1 AND provider = ?3 AND external_id = ?4', [
      person,
      account.provider,
      account.id,
    ]);
    const [left] = await q('SELECT 1 FROM accounts WHERE workspace = ? AND person_id = ? LIMIT 1', [previous]);
    if (left) return { ...base, previousPerson: previous, merged: false };
    // ?1 is the workspace, ?2 the target person, ?3 the person merged into it.
    const merge = (sql: string) => q(sql, [person, previous]);
    await merge('UPDATE work_items SET author_id = ?2 WHERE workspace = ?1 AND author_id = ?3');
    await merge('UPDATE reviews SET reviewer_id = ?2 WHERE workspace = ?1 AND reviewer_id = ?3');
    // The merged person's reviews of their own pull requests are no longer someone else's review.
    await q(
      REFRESH_DERIVED(
        'workspace = ?1 AND (author_id = ?2 OR id IN (SELECT work_item_id FROM reviews WHERE workspace = ?1 AND reviewer_id = ?2))',
      ),
      [person],
    );
    await merge(
      `INSERT OR IGNORE INTO work_item_assignees (workspace, work_item_id, person_id)
       SELECT workspace, work_item_id, ?2 FROM work_item_assignees WHERE workspace = ?1 AND person_id = ?3`,
    );
    await merge('DELETE FROM work_item_assignees WHERE workspace = ?1 AND person_id = ?3');
    await merge(
      `INSERT OR IGNORE INTO review_requests (workspace, work_item_id, person_id)
       SELECT workspace, work_item_id, ?2 FROM review_requests WHERE workspace = ?1 AND person_id = ?3`,
    );
    await merge('DELETE FROM review_requests WHERE workspace = ?1 AND person_id = ?3');
    await merge(
      `INSERT OR IGNORE INTO memberships (workspace, team_id, person_id)
       SELECT workspace, team_id, ?2 FROM memberships WHERE workspace = ?1 AND person_id = ?3`,
    );
    await merge('DELETE FROM memberships WHERE workspace = ?1 AND person_id = ?3');
    await merge(
      `INSERT OR IGNORE INTO team_leads (workspace, team_id, person_id)
       SELECT workspace, team_id, ?2 FROM team_leads WHERE workspace = ?1 AND person_id = ?3`,
    );
    await merge('DELETE FROM team_leads WHERE workspace = ?1 AND person_id = ?3');
    await merge(
      `UPDATE people SET email = (SELECT email FROM people WHERE workspace = ?1 AND id = ?3)
       WHERE workspace = ?1 AND id = ?2 AND email IS NULL`,
    );
    await merge('DELETE FROM people WHERE workspace = ?1 AND id = ?3');
    return { ...base, previousPerson: previous, merged: true };
  });
}
