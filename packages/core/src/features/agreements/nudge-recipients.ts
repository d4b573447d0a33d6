import type { Store } from '../../kernel/store/open-store.js';
import { columns, nullable, text } from '../../kernel/store/row-decoder.js';
import { type Candidate, type NudgeRecipient, pair } from './nudges.js';

const personRow = columns({ id: text, time_zone: nullable(text), email: nullable(text), slack: nullable(text) });

/** Team (or work item) → people, from a two-column read. */
export async function pairs(store: Pick<Store, 'execute'>, text: string, args: (string | number)[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const { a, b } of pair.all((await store.execute(text, args)).rows)) {
    const list = out.get(a);
    if (list) list.push(b);
    else out.set(a, [b]);
  }
  return out;
}

/**
 * The people each signal's `author`, `assignee` and `reviewers` are (by fingerprint): of a work item, its author, its
 * assignees, and who was asked to review it or reviewed it (but its author; the evidence's `reviewers` too); of a
 * person, that person.
 */
export async function recipientsFor(
  store: Pick<Store, 'execute'>,
  workspace: string,
  signals: readonly Candidate[],
  wanted: ReadonlySet<NudgeRecipient>,
): Promise<Record<'author' | 'assignee' | 'reviewers', Map<string, string[]>>> {
  const out = { author: new Map<string, string[]>(), assignee: new Map<string, string[]>(), reviewers: new Map<string, string[]>() };
  const items = signals.filter((s) => s.subject_type === 'work_item');
  const ids = JSON.stringify(items.map((s) => s.subject_id));
  const authors =
    wanted.has('author') || wanted.has('reviewers')
      ? await pairs(
          store,
          // By id, from the list (a plan on the author index would read every authored work item).
          'SELECT w.id AS a, w.author_id AS b FROM json_each(?) j CROSS JOIN work_items w WHERE w.workspace = ? AND w.id = j.value AND w.author_id IS NOT NULL',
          [ids, workspace],
        )
      : new Map<string, string[]>();
  const assignees = wanted.has('assignee')
    ? await pairs(
        store,
        'SELECT work_item_id AS a, person_id AS b FROM work_item_assignees WHERE workspace = ? AND work_item_id IN (SELECT value FROM json_each(?))',
        [workspace, ids],
      )
    : new Map<string, string[]>();
  const reviewers = wanted.has('reviewers')
    ? await pairs(
        store,
        `SELECT work_item_id AS a, person_id AS b FROM review_requests WHERE workspace = ?1 AND work_item_id IN (SELECT value FROM json_each(?2))
         UNION SELECT work_item_id, reviewer_id FROM reviews WHERE workspace = ?1 AND work_item_id IN (SELECT value FROM json_each(?2))`,
        [workspace, ids],
      )
    : new Map<string, string[]>();
  for (const signal of signals) {
    if (signal.subject_type === 'person') {
      for (const list of Object.values(out)) list.set(signal.fingerprint, [signal.subject_id]);
      continue;
    }
    const evidence = JSON.parse(signal.evidence) as Record<string, unknown>;
    const author = authors.get(signal.subject_id) ?? (typeof evidence.author === 'string' ? [evidence.author] : []);
    out.author.set(signal.fingerprint, author);
    out.assignee.set(signal.fingerprint, assignees.get(signal.subject_id) ?? []);
    const named = Array.isArray(evidence.reviewers) ? evidence.reviewers.filter((r): r is string => typeof r === 'string') : [];
    out.reviewers.set(
      signal.fingerprint,
      [...new Set([...(reviewers.get(signal.subject_id) ?? []), ...named])].filter((r) => !author.includes(r)),
    );
  }
  return out;
}

/** Each person's time zone, email address and Slack user id (one read; accounts by person, not every Slack account for each). */
export async function profilesOf(store: Pick<Store, 'execute'>, workspace: string, ids: readonly string[]) {
  const { rows } = await store.execute(
    `SELECT p.id, p.time_zone, p.email,
       (SELECT a.external_id FROM accounts a WHERE a.workspace = p.workspace AND a.person_id = p.id AND +a.provider = 'slack' ORDER BY a.external_id LIMIT 1) AS slack
     FROM people p WHERE p.workspace = ? AND p.id IN (SELECT value FROM json_each(?))`,
    [workspace, JSON.stringify(ids)],
  );
  return new Map(
    personRow
      .all(rows)
      .map((r) => [r.id, { timeZone: r.time_zone ?? undefined, email: r.email ?? undefined, slack: r.slack ?? undefined }]),
  );
}
