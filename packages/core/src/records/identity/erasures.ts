import { createHash } from 'node:crypto';
import type { InValue, ResultSet, Transaction } from '../../kernel/store/driver.js';
import { columns, nullable, optional, text } from '../../kernel/store/row-decoder.js';

/** What the erasure lookups read with: a transaction, or a store's reads (`{ execute: (s) => store.execute(s.sql, s.args) }`). */
export interface ErasureReads {
  execute(statement: { sql: string; args: InValue[] }): Promise<Pick<ResultSet, 'rows'>>;
}

/**
 * The sha256 (hex) an erased identifier is remembered by: `person:<id>`, `account:<provider>:<id>`, `email:<lower-case>`,
 * `handle:<lower-case>` (an account's login or id, of any provider: what a knowledge document names its author by).
 */
export const erasureKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** The identifiers of an account or person that an erasure remembers, as keys. */
export const personKey = (id: string) => `person:${id}`;
export const accountKey = (provider: string, id: string) => `account:${provider}:${id}`;
export const emailKey = (email: string) => `email:${email.toLowerCase()}`;
export const handleKey = (handle: string) => `handle:${handle.toLowerCase()}`;

/**
 * The pseudonym of an erased person a free-text reference names (a knowledge document's author: a person id, an email,
 * or an account's login or id), or `undefined`.
 */
export async function erasedReference(tx: ErasureReads, workspace: string, reference: string): Promise<string | undefined> {
  const keys = [personKey(reference), emailKey(reference), handleKey(reference)];
  const found = await erasedKeys(tx, workspace, keys);
  return keys.map((key) => found.get(key)).find((pseudonym) => pseudonym !== undefined);
}

const erasureRows = columns({ key_hash: text, pseudonym: text });
const identityRows = columns({ name: text, email: nullable(text) });
const accountRows = columns({ provider: text, external_id: text, login: optional(text) });

/**
 * Looks up identifiers among the erased: key → pseudonym for those that belong to an erased person. One query; a
 * workspace that never erased anyone answers from an empty index.
 */
export async function erasedKeys(tx: ErasureReads, workspace: string, keys: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (keys.length === 0) return found;
  const byHash = new Map<string, string[]>();
  for (const key of new Set(keys)) byHash.set(erasureKey(key), [...(byHash.get(erasureKey(key)) ?? []), key]);
  const { rows } = await tx.execute({
    sql: 'SELECT key_hash, pseudonym FROM erasures WHERE workspace = ? AND key_hash IN (SELECT value FROM json_each(?))',
    args: [workspace, JSON.stringify([...byHash.keys()])],
  });
  for (const row of erasureRows.all(rows)) for (const key of byHash.get(row.key_hash) ?? []) found.set(key, row.pseudonym);
  return found;
}

/** Whether the workspace has erased anyone (the fast path of imports and syncs). */
export async function hasErasures(tx: ErasureReads, workspace: string): Promise<boolean> {
  const { rows } = await tx.execute({ sql: 'SELECT 1 FROM erasures WHERE workspace = ? LIMIT 1', args: [workspace] });
  return rows.length > 0;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A bundle (or sync batch) with erased people kept out: a person whose id, account or email was erased is left out
 * of `people` (their identity does not come back), their reports, AI usage, survey answers and AI feedback are left out, and
 * every reference to them (team
 * members, authors, assignees, reviewers) names their pseudonym, so their activity stays with it. Runs before
 * validation, on the document as given: only string ids are replaced, nothing else is touched.
 */
export async function withoutErased(tx: Pick<Transaction, 'execute'>, workspace: string, input: Json): Promise<Json> {
  if (!(await hasErasures(tx, workspace))) return input;
  const list = (name: string): unknown[] => (Array.isArray(input[name]) ? (input[name] as unknown[]) : []);
  const keys: string[] = [];
  const refs = new Set<string>();
  const ref = (value: unknown) => typeof value === 'string' && refs.add(value);
  for (const person of list('people').filter(isObject)) {
    ref(person.id);
    if (typeof person.email === 'string') keys.push(emailKey(person.email));
    if (Array.isArray(person.accounts))
      for (const account of person.accounts.filter(isObject))
        if (typeof account.provider === 'string' && typeof account.id === 'string') keys.push(accountKey(account.provider, account.id));
  }
  for (const team of list('teams').filter(isObject))
    for (const key of ['members', 'leads']) if (Array.isArray(team[key])) team[key].forEach(ref);
  for (const item of list('workItems').filter(isObject)) {
    ref(item.author);
    if (Array.isArray(item.assignees)) item.assignees.forEach(ref);
    if (Array.isArray(item.reviews)) for (const review of item.reviews.filter(isObject)) ref(review.reviewer);
  }
  for (const report of list('reports').filter(isObject)) ref(report.person);
  for (const usage of list('aiUsage').filter(isObject)) ref(usage.person);
  for (const answer of list('surveyResponses').filter(isObject)) ref(answer.person);
  for (const feedback of list('aiFeedback').filter(isObject)) ref(feedback.person);
  for (const risk of list('risks').filter(isObject)) ref(risk.owner);
  for (const absence of list('absences').filter(isObject)) ref(absence.person);
  for (const oncall of list('oncalls').filter(isObject)) ref(oncall.person);
  const found = await erasedKeys(tx, workspace, [...keys, ...[...refs].map(personKey)]);
  if (found.size === 0) return input;
  // Person id → pseudonym: by id, or (a person brought back under another id) by an account or email.
  const erased = new Map<string, string>();
  for (const id of refs) {
    const pseudonym = found.get(personKey(id));
    if (pseudonym) erased.set(id, pseudonym);
  }
  for (const person of list('people').filter(isObject)) {
    if (typeof person.id !== 'string' || erased.has(person.id)) continue;
    const accounts = Array.isArray(person.accounts) ? person.accounts.filter(isObject) : [];
    const pseudonym =
      (typeof person.email === 'string' ? found.get(emailKey(person.email)) : undefined) ??
      accounts.map((a) => found.get(accountKey(String(a.provider), String(a.id)))).find((p) => p !== undefined);
    if (pseudonym) erased.set(person.id, pseudonym);
  }
  if (erased.size === 0) return input;
  const map = (value: unknown) => (typeof value === 'string' ? (erased.get(value) ?? value) : value);
  const mapList = (values: unknown) => (Array.isArray(values) ? [...new Set(values.map(map))] : values);
  const out: Json = { ...input };
  if (Array.isArray(input.people)) out.people = input.people.filter((p) => !(isObject(p) && typeof p.id === 'string' && erased.has(p.id)));
  if (Array.isArray(input.teams))
    out.teams = input.teams.map((t) =>
      isObject(t)
        ? { ...t, ...('members' in t ? { members: mapList(t.members) } : {}), ...('leads' in t ? { leads: mapList(t.leads) } : {}) }
        : t,
    );
  if (Array.isArray(input.workItems))
    out.workItems = input.workItems.map((item) => {
      if (!isObject(item)) return item;
      const copy: Json = { ...item };
      if ('author' in item) copy.author = map(item.author);
      if ('assignees' in item) copy.assignees = mapList(item.assignees);
      if (Array.isArray(item.reviews)) copy.reviews = item.reviews.map((r) => (isObject(r) ? { ...r, reviewer: map(r.reviewer) } : r));
      return copy;
    });
  if (Array.isArray(input.reports))
    out.reports = input.reports.filter((r) => !(isObject(r) && typeof r.person === 'string' && erased.has(r.person)));
  if (Array.isArray(input.aiUsage))
    out.aiUsage = input.aiUsage.filter((u) => !(isObject(u) && typeof u.person === 'string' && erased.has(u.person)));
  if (Array.isArray(input.surveyResponses))
    out.surveyResponses = input.surveyResponses.filter((a) => !(isObject(a) && typeof a.person === 'string' && erased.has(a.person)));
  if (Array.isArray(input.aiFeedback))
    out.aiFeedback = input.aiFeedback.filter((f) => !(isObject(f) && typeof f.person === 'string' && erased.has(f.person)));
  // A risk is the team's: it stays, owned by the erased person's pseudonym.
  if (Array.isArray(input.risks)) out.risks = input.risks.map((r) => (isObject(r) && 'owner' in r ? { ...r, owner: map(r.owner) } : r));
  if (Array.isArray(input.absences))
    out.absences = input.absences.filter((a) => !(isObject(a) && typeof a.person === 'string' && erased.has(a.person)));
  if (Array.isArray(input.oncalls))
    out.oncalls = input.oncalls.filter((o) => !(isObject(o) && typeof o.person === 'string' && erased.has(o.person)));
  return out;
}

/** What {@link eraseIdentity} did to the shared records. */
export interface ErasedIdentity {
  /** The person's name before (signals may name them), when they had one. */
  name?: string;
  /** References renamed to the pseudonym: work items authored, assignments, reviews, team memberships. */
  renamed: { workItems: number; assignments: number; reviews: number; memberships: number };
  /** Accounts removed. */
  accounts: number;
  /**
   * Every string that named them, as stored: their id, email, and their accounts' logins and ids (a knowledge document's
   * author, a webhook delivery's body may hold any).
   */
  identifiers: string[];
}

/**
 * The shared records' part of erasing a person, inside the erase transaction: the sha256 of their person id, account
 * ids and email is remembered under `pseudonym` (a later sync or import maps them to it), the pseudonym becomes a
 * person, their activity (work items authored, assignments, reviews, memberships) moves to it and their accounts go.
 * The person's own row stays until {@link removePerson}, so features can still read it.
 */
export async function eraseIdentity(
  tx: Transaction,
  workspace: string,
  person: string,
  pseudonym: string,
  now: number,
): Promise<ErasedIdentity> {
  const run = async (sql: string, args: (string | number | null)[]) => (await tx.execute({ sql, args })).rowsAffected;
  const row = identityRows.first(
    (await tx.execute({ sql: 'SELECT name, email FROM people WHERE workspace = ? AND id = ?', args: [workspace, person] })).rows,
  );
  const accounts = accountRows.all(
    (
      await tx.execute({
        sql: 'SELECT provider, external_id, login FROM accounts WHERE workspace = ? AND person_id = ?',
        args: [workspace, person],
      })
    ).rows,
  );
  const handles = [...new Set(accounts.flatMap((a) => [a.external_id, ...(a.login ? [a.login] : [])]))];
  const keys = [
    personKey(person),
    ...accounts.map((a) => accountKey(a.provider, a.external_id)),
    ...(row?.email ? [emailKey(row.email)] : []),
    ...handles.map(handleKey),
  ];
  for (const key of keys)
    await run('INSERT INTO erasures (workspace, key_hash, pseudonym, erased_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING', [
      workspace,
      erasureKey(key),
      pseudonym,
      now,
    ]);
  await run('INSERT INTO people (workspace, id, name) VALUES (?, ?, ?)', [workspace, pseudonym, pseudonym]);
  const moved = [pseudonym, workspace, person];
  const renamed = {
    workItems: await run('UPDATE work_items SET author_id = ? WHERE workspace = ? AND author_id = ?', moved),
    assignments: await run('UPDATE work_item_assignees SET person_id = ? WHERE workspace = ? AND person_id = ?', moved),
    reviews: await run('UPDATE reviews SET reviewer_id = ? WHERE workspace = ? AND reviewer_id = ?', moved),
    memberships: await run('UPDATE memberships SET person_id = ? WHERE workspace = ? AND person_id = ?', moved),
  };
  // An erased person is asked to review nothing (a request is not history worth keeping under a pseudonym).
  await run('DELETE FROM review_requests WHERE workspace = ? AND person_id = ?', [workspace, person]);
  // An erased person leads nobody: their pseudonym must not read anyone's reports.
  await run('DELETE FROM team_leads WHERE workspace = ? AND person_id = ?', [workspace, person]);
  return {
    ...(row?.name ? { name: row.name } : {}),
    renamed,
    accounts: await run('DELETE FROM accounts WHERE workspace = ? AND person_id = ?', [workspace, person]),
    identifiers: [...new Set([person, ...(row?.email ? [row.email] : []), ...handles])],
  };
}

/** Whether `person` is the pseudonym of someone erased before (erasing it again is refused). */
export async function isPseudonym(tx: Pick<Transaction, 'execute'>, workspace: string, person: string): Promise<boolean> {
  const { rows } = await tx.execute({
    sql: 'SELECT 1 FROM erasures WHERE workspace = ? AND pseudonym = ? LIMIT 1',
    args: [workspace, person],
  });
  return rows.length > 0;
}

/** Removes an erased person's own row, last of the erase transaction. */
export async function removePerson(tx: Transaction, workspace: string, person: string): Promise<void> {
  await tx.execute({ sql: 'DELETE FROM people WHERE workspace = ? AND id = ?', args: [workspace, person] });
}
