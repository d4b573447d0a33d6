import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, type RowDecoder, text } from '../../kernel/store/row-decoder.js';
import { type CodeownersRule, codeownersRuleFor } from './codeowners.js';

/** A document in a repository, whose path a CODEOWNERS rule may own. */
const repositoryDocument = columns({ uri: text, title: text, repository: text, path: text });
const codeownersFile = columns({ repository: text, uri: text, rules: text, updated_at: integer });
/** A CODEOWNERS owner (lower-cased login, email or team slug) and a person it names. */
const ownerPerson = columns({ owner: text, person_id: text });
const ownerTeamMember = columns({ team: text, person_id: text });

/** Evidence that a person owns a document's path: the CODEOWNERS rule's URL (`…/CODEOWNERS#L4`) and line. */
export interface CodeownerEvidence {
  kind: 'codeowner';
  /** The document whose path the person owns. */
  title: string;
  ref: string;
  /** When the CODEOWNERS file was last updated (ISO 8601, UTC). */
  at: string;
  /** The CODEOWNERS line that owns the document's path (`/docs/runbooks/ @alice @acme/payments`). */
  rule: string;
}

/**
 * CODEOWNERS evidence for documents (given best first): for each document with a repository and path, the last
 * rule of its repository's CODEOWNERS matching the path, and the people it names: `@login` through their GitHub
 * account, an email through the person's email, `@org/team` through the members of the workspace's team with that
 * slug (a team the workspace does not know is skipped).
 */
export async function codeownerEvidence(
  store: Store,
  workspace: string,
  uris: readonly string[],
): Promise<{ person: string; evidence: CodeownerEvidence; atMs: number; position: number }[]> {
  const marks = uris.map(() => '?').join(', ');
  const found = await store.execute(
    `SELECT uri, title, repository, path FROM knowledge_documents
     WHERE workspace = ? AND uri IN (${marks}) AND repository IS NOT NULL AND path IS NOT NULL`,
    [workspace, ...uris],
  );
  const documents = repositoryDocument.all(found.rows);
  if (documents.length === 0) return [];
  const repositories = [...new Set(documents.map((row) => row.repository.toLowerCase()))];
  const files = await store.execute(
    `SELECT lower(repository) AS repository, uri, rules, updated_at FROM knowledge_codeowners
     WHERE workspace = ? AND lower(repository) IN (${repositories.map(() => '?').join(', ')})`,
    [workspace, ...repositories],
  );
  if (files.rows.length === 0) return [];
  const fileOf = new Map(
    codeownersFile
      .all(files.rows)
      .map((row) => [row.repository, { uri: row.uri, rules: JSON.parse(row.rules) as CodeownersRule[], at: row.updated_at }]),
  );
  const rank = new Map(uris.map((uri, i) => [uri, i]));
  const owned: { owner: string; uri: string; title: string; rule: CodeownersRule; file: { uri: string; at: number } }[] = [];
  for (const row of documents) {
    const file = fileOf.get(row.repository.toLowerCase());
    const rule = file && codeownersRuleFor(file.rules, row.path);
    if (!file || !rule) continue;
    for (const owner of rule.owners) owned.push({ owner, uri: row.uri, title: row.title, rule, file });
  }
  const people = await ownersToPeople(store, workspace, [...new Set(owned.map((entry) => entry.owner))]);
  return owned.flatMap((entry) =>
    (people.get(entry.owner.toLowerCase()) ?? []).map((person) => ({
      person,
      evidence: {
        kind: 'codeowner' as const,
        title: entry.title,
        ref: `${entry.file.uri}#L${entry.rule.line}`,
        at: new Date(entry.file.at).toISOString(),
        rule: `${entry.rule.pattern} ${entry.rule.owners.join(' ')}`,
      },
      atMs: entry.file.at,
      position: rank.get(entry.uri) ?? uris.length,
    })),
  );
}

/** The people behind CODEOWNERS owners (lower-cased keys): GitHub logins, emails, and team members. */
async function ownersToPeople(store: Store, workspace: string, owners: readonly string[]): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  const push = (owner: string, person: string) => {
    const list = found.get(owner) ?? [];
    if (!list.includes(person)) list.push(person);
    found.set(owner, list);
  };
  const logins = owners.filter((owner) => /^@[^/]+$/.test(owner)).map((owner) => owner.slice(1).toLowerCase());
  const emails = owners.filter((owner) => !owner.startsWith('@')).map((owner) => owner.toLowerCase());
  const teams = owners.filter((owner) => /^@[^/]+\/.+$/.test(owner)).map((owner) => owner.split('/')[1]!.toLowerCase());
  const query = async <T>(rows: RowDecoder<T>, sql: string, values: readonly string[]) =>
    values.length === 0
      ? []
      : rows.all((await store.execute(sql.replace('(?)', `(${values.map(() => '?').join(', ')})`), [workspace, ...values])).rows);
  for (const row of await query(
    ownerPerson,
    `SELECT lower(login) AS owner, person_id FROM accounts WHERE workspace = ? AND provider = 'github' AND lower(login) IN (?)`,
    logins,
  ))
    push(`@${row.owner}`, row.person_id);
  for (const row of await query(
    ownerPerson,
    'SELECT lower(email) AS owner, id AS person_id FROM people WHERE workspace = ? AND lower(email) IN (?)',
    emails,
  ))
    push(row.owner, row.person_id);
  for (const row of await query(
    ownerTeamMember,
    'SELECT lower(team_id) AS team, person_id FROM memberships WHERE workspace = ? AND lower(team_id) IN (?)',
    teams,
  ))
    for (const owner of owners)
      if (owner.includes('/') && owner.split('/')[1]!.toLowerCase() === row.team) push(owner.toLowerCase(), row.person_id);
  return found;
}
