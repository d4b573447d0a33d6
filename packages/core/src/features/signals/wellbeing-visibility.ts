import type { Store } from '../../kernel/store/open-store.js';
import { columns, text } from '../../kernel/store/row-decoder.js';
import type { PolicyDocument } from '../approvals/index.js';

/** Who sees person-level wellbeing signals (the policy's `privacy.wellbeing`, default `leads`). */
export type WellbeingPrivacy = 'team' | 'leads' | 'person';

/** The policy's `privacy.wellbeing`, or the default `leads`. */
export const wellbeingPrivacy = (policy: PolicyDocument): WellbeingPrivacy => policy.privacy?.wellbeing ?? 'leads';

const membership = columns({ team_id: text });
const member = columns({ person_id: text });

/**
 * The people whose person-level wellbeing signals `viewer` may see:
 * - `person`: only themself;
 * - `team`: themself and everyone who shares a team with them;
 * - `leads` (default): themself, and, when they are an approver in the policy (named in any `approvers` list, or a
 *   member of a `team:<id>` named there), everyone who shares a team with them: their team's approvers.
 * A viewer who is not a known person sees nobody's.
 */
export async function visiblePeople(
  store: Pick<Store, 'execute'>,
  workspace: string,
  policy: PolicyDocument,
  viewer: string,
): Promise<string[]> {
  const privacy = wellbeingPrivacy(policy);
  const known = await store.execute('SELECT 1 FROM people WHERE workspace = ? AND id = ?', [workspace, viewer]);
  if (known.rows.length === 0) return [];
  if (privacy === 'person') return [viewer];
  const teams = membership
    .all((await store.execute('SELECT team_id FROM memberships WHERE workspace = ? AND person_id = ?', [workspace, viewer])).rows)
    .map((row) => row.team_id);
  if (privacy === 'leads') {
    const approvers = Object.values(policy.approvers ?? {}).flatMap((list) => list ?? []);
    const isApprover = approvers.some((ref) => ref === viewer || (ref.startsWith('team:') && teams.includes(ref.slice('team:'.length))));
    if (!isApprover) return [viewer];
  }
  const { rows } = await store.execute(
    'SELECT DISTINCT person_id FROM memberships WHERE workspace = ? AND team_id IN (SELECT value FROM json_each(?))',
    [workspace, JSON.stringify(teams)],
  );
  return [...new Set([viewer, ...member.all(rows).map((row) => row.person_id)])].sort();
}
