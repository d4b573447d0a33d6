import { TeamStateError } from '../../kernel/errors.js';
import type { InValue } from '../../kernel/store/driver.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, nullable, type RowDecoder, text } from '../../kernel/store/row-decoder.js';
import { type CodeownersRule, codeownersRuleFor } from './codeowners.js';
import { checkKnowledgeQuery, contentTerms } from './knowledge-query.js';
import { searchKnowledge } from './search-knowledge.js';

/** Filters of `ts.knowledge.whoKnows()`. */
export interface WhoKnowsOptions {
  /** Only members of this team (and only documents this team may see count as evidence). */
  team?: string;
  /** Only documents these teams may see count as evidence (`[]`: only everyone's); what the MCP server passes for its caller. */
  teams?: readonly string[];
  /** How many people, 1–20 (default 5). */
  limit?: number;
}

/** One piece of evidence that a person knows a topic. */
export interface WhoKnowsEvidence {
  kind: 'document' | 'codeowner' | 'pr_authored' | 'pr_reviewed' | 'issue_resolved';
  /** The document title (for `codeowner`, the document whose path the person owns), or the work item's key and title. */
  title: string;
  /** The document's uri, the CODEOWNERS rule's URL (`…/CODEOWNERS#L4`), or the work item's URL or key. */
  ref: string;
  /** When (ISO 8601, UTC): the document's last update, the CODEOWNERS file's, the merge or review, the resolution. */
  at: string;
  /** For `codeowner`: the CODEOWNERS line that owns the document's path (`/docs/runbooks/ @alice @acme/payments`). */
  rule?: string;
}

/** A person who likely knows a topic, with the evidence. */
export interface WhoKnowsPerson {
  person: { id: string; name: string };
  /** Evidence weighed by kind and recency (higher is better); comparable within one answer only. */
  score: number;
  /** The strongest evidence first, at most 5. */
  evidence: WhoKnowsEvidence[];
}

const DAY = 86_400_000;
/** Evidence loses half its weight every this many days. */
const HALF_LIFE_DAYS = 180;
const KIND_WEIGHT: Record<WhoKnowsEvidence['kind'], number> = {
  document: 3,
  codeowner: 2,
  pr_authored: 2,
  pr_reviewed: 1.5,
  issue_resolved: 1.5,
};
/** Work items matching in title, labels or repository, looked at per topic. */
const WORK_ITEMS = 300;

/** Text for a `LIKE` pattern with `ESCAPE '\\'`: its wildcards are plain characters. */
const escapeLike = (text: string) => text.replaceAll('\\', '\\\\').replaceAll('%', '\\%').replaceAll('_', '\\_');

/** A term as a `LIKE` pattern on a word's start (`retr` stems: retry, retries, retried). */
function stem(term: string): string {
  return `%${escapeLike(term.length > 4 ? term.replace(/(ies|es|s|ing|ed|y)$/, '') : term)}%`;
}

/** Folders that hold docs rather than code: a document in `services/payouts/docs/adr/` speaks of `services/payouts/`. */
const DOC_FOLDERS = new Set(['doc', 'docs', 'documentation', 'adr', 'adrs', 'decisions', 'runbooks', '.github']);

/**
 * The code folder a repository document speaks of: its folder without trailing doc folders; none for a document at
 * the repository's root (or only in doc folders), which speaks of the whole repository.
 */
function codeFolderOf(path: string): string | undefined {
  const parts = path.split('/').slice(0, -1);
  while (parts.length > 0 && DOC_FOLDERS.has(parts.at(-1)!.toLowerCase())) parts.pop();
  return parts.length > 0 ? parts.join('/') : undefined;
}

/** A document a topic matched, with its author resolved to a person (NULL: nobody the workspace knows). */
const documentAuthor = columns({
  uri: text,
  title: text,
  updated_at: integer,
  repository: nullable(text),
  path: nullable(text),
  person: nullable(text),
});
/** A work item a topic matched, with how many of its words (or a document's folder) it holds. */
const matchedWorkItem = columns({
  id: text,
  key: text,
  title: text,
  kind: text,
  url: nullable(text),
  author_id: nullable(text),
  merged_at: nullable(integer),
  resolved_at: nullable(integer),
  created_at: integer,
  hits: integer,
});
const itemReviewer = columns({ work_item_id: text, reviewer_id: text, at: integer });
const itemAssignee = columns({ work_item_id: text, person_id: text });
const personName = columns({ id: text, name: text });
const member = columns({ person_id: text });
/** A document in a repository, whose path a CODEOWNERS rule may own. */
const repositoryDocument = columns({ uri: text, title: text, repository: text, path: text });
const codeownersFile = columns({ repository: text, uri: text, rules: text, updated_at: integer });
/** A CODEOWNERS owner (lower-cased login, email or team slug) and a person it names. */
const ownerPerson = columns({ owner: text, person_id: text });
const ownerTeamMember = columns({ team: text, person_id: text });

/**
 * People ranked by evidence on a topic: authors of the documents that match it, authors and reviewers of pull
 * requests and assignees of resolved issues whose title, labels or repository match it. Each piece of evidence
 * weighs by its kind, how well it matches (the share of the topic's words) and its age (halved every 180 days).
 */
export async function whoKnows(
  deps: { store: Store; workspace: string; clock: () => Date; viewerTeams?: readonly string[] },
  rawTopic: unknown,
  options: WhoKnowsOptions = {},
): Promise<WhoKnowsPerson[]> {
  const { store, workspace } = deps;
  const topic = checkKnowledgeQuery(rawTopic).trim();
  const limit = options.limit ?? 5;
  if (!Number.isInteger(limit) || limit < 1 || limit > 20)
    throw new TeamStateError('invalid_argument', `limit: expected a whole number from 1 to 20, got ${JSON.stringify(options.limit)}`);
  const now = deps.clock().getTime();
  const terms = contentTerms(topic);
  const found = new Map<string, { score: number; evidence: (WhoKnowsEvidence & { weight: number })[] }>();
  const add = (person: string, evidence: WhoKnowsEvidence, atMs: number, match: number) => {
    const age = Math.max(0, (now - atMs) / DAY);
    const weight = KIND_WEIGHT[evidence.kind] * match * 0.5 ** (age / HALF_LIFE_DAYS);
    const entry = found.get(person) ?? { score: 0, evidence: [] };
    entry.score += weight;
    entry.evidence.push({ ...evidence, weight });
    found.set(person, entry);
  };

  // Documents: their authors, resolved to people by id, account login or email; and the folders of those that live in
  // a repository, whose pull requests count as evidence below.
  const passages = await searchKnowledge(
    store,
    workspace,
    topic,
    {
      limit: 20,
      ...(options.team === undefined ? {} : { team: options.team }),
      ...(options.teams === undefined ? {} : { teams: options.teams }),
    },
    undefined,
    deps.viewerTeams,
  );
  const uris = [...new Set(passages.map((passage) => passage.document.uri))];
  const folders = new Map<string, { repository: string; folder: string }>();
  const matchOf = (position: number) => 1 / (1 + position / 4);
  if (uris.length > 0)
    for (const owned of await codeownerEvidence(store, workspace, uris))
      add(owned.person, owned.evidence, owned.atMs, matchOf(owned.position));
  if (uris.length > 0) {
    const { rows } = await store.execute(
      `SELECT d.uri, d.title, d.updated_at, d.repository, d.path, COALESCE(p.id, a.person_id, pe.id) AS person
       FROM knowledge_documents d
       LEFT JOIN people p ON p.workspace = d.workspace AND p.id = d.author
       LEFT JOIN accounts a ON a.workspace = d.workspace AND (a.login = d.author OR a.external_id = d.author) AND a.person_id IS NOT NULL
       LEFT JOIN people pe ON pe.workspace = d.workspace AND lower(pe.email) = lower(d.author)
       WHERE d.workspace = ? AND d.uri IN (${uris.map(() => '?').join(', ')})`,
      [workspace, ...uris],
    );
    const rank = new Map(uris.map((uri, i) => [uri, i]));
    for (const row of documentAuthor.all(rows)) {
      const folder = row.repository === null || row.path === null ? undefined : codeFolderOf(row.path);
      if (row.repository !== null && folder) folders.set(`${row.repository}\u0000${folder}`, { repository: row.repository, folder });
      if (row.person === null) continue;
      const position = rank.get(row.uri) ?? uris.length;
      add(
        row.person,
        { kind: 'document', title: row.title, ref: row.uri, at: new Date(row.updated_at).toISOString() },
        row.updated_at,
        matchOf(position),
      );
    }
  }

  // Work items whose title, labels, components, repository or changed paths hold the topic's words, and pull requests that changed
  // files in the folder of a matching document (a full match).
  if (terms.length > 0) {
    const haystack =
      "lower(w.title || ' ' || COALESCE(w.labels, '') || ' ' || COALESCE(w.repository_id, '') || ' ' || COALESCE(w.paths, '') || ' ' || COALESCE(w.components, ''))";
    const args: InValue[] = [workspace];
    const matches = terms.map((term) => {
      args.push(stem(term));
      return `(CASE WHEN ${haystack} LIKE ?${args.length} ESCAPE '\\' THEN 1 ELSE 0 END)`;
    });
    for (const { repository, folder } of folders.values()) {
      args.push(repository, `%"${escapeLike(folder)}/%`);
      matches.push(
        `(CASE WHEN w.repository_id = ?${args.length - 1} AND w.paths LIKE ?${args.length} ESCAPE '\\' THEN ${terms.length} ELSE 0 END)`,
      );
    }
    args.push(WORK_ITEMS);
    const items = await store.execute(
      `SELECT * FROM (
         SELECT w.id, w.key, w.title, w.kind, w.url, w.author_id, w.merged_at, w.resolved_at, w.created_at, ${matches.join(' + ')} AS hits
         FROM work_items w WHERE w.workspace = ?1
       ) WHERE hits > 0 ORDER BY hits DESC, COALESCE(merged_at, resolved_at, created_at) DESC LIMIT ?${args.length}`,
      args,
    );
    const rows = matchedWorkItem.all(items.rows);
    const ids = rows.map((row) => row.id);
    const reviews = new Map<string, { reviewer: string; at: number }[]>();
    const assignees = new Map<string, string[]>();
    for (let i = 0; i < ids.length; i += 200) {
      const slice = ids.slice(i, i + 200);
      const marks = slice.map(() => '?').join(', ');
      const r = await store.execute(
        `SELECT work_item_id, reviewer_id, MAX(submitted_at) AS at FROM reviews WHERE workspace = ? AND work_item_id IN (${marks}) GROUP BY work_item_id, reviewer_id`,
        [workspace, ...slice],
      );
      for (const row of itemReviewer.all(r.rows))
        reviews.set(row.work_item_id, [...(reviews.get(row.work_item_id) ?? []), { reviewer: row.reviewer_id, at: row.at }]);
      const a = await store.execute(
        `SELECT work_item_id, person_id FROM work_item_assignees WHERE workspace = ? AND work_item_id IN (${marks})`,
        [workspace, ...slice],
      );
      for (const row of itemAssignee.all(a.rows))
        assignees.set(row.work_item_id, [...(assignees.get(row.work_item_id) ?? []), row.person_id]);
    }
    for (const row of rows) {
      const match = Math.min(1, row.hits / terms.length);
      const title = `${row.key} ${row.title}`;
      const ref = row.url ?? row.key;
      if (row.kind === 'pull_request') {
        const at = row.merged_at ?? row.created_at;
        if (row.author_id !== null) add(row.author_id, { kind: 'pr_authored', title, ref, at: new Date(at).toISOString() }, at, match);
        for (const review of reviews.get(row.id) ?? [])
          if (review.reviewer !== row.author_id)
            add(review.reviewer, { kind: 'pr_reviewed', title, ref, at: new Date(review.at).toISOString() }, review.at, match);
      } else if (row.resolved_at !== null) {
        const at = row.resolved_at;
        for (const person of assignees.get(row.id) ?? [])
          add(person, { kind: 'issue_resolved', title, ref, at: new Date(at).toISOString() }, at, match);
      }
    }
  }

  if (found.size === 0) return [];
  // One person owning several matching documents through the same CODEOWNERS rule: that rule counts once.
  for (const entry of found.values()) {
    const rules = new Set<string>();
    entry.evidence.sort((a, b) => b.weight - a.weight);
    entry.evidence = entry.evidence.filter((evidence) => {
      if (evidence.kind !== 'codeowner') return true;
      if (rules.has(evidence.ref)) {
        entry.score -= evidence.weight;
        return false;
      }
      rules.add(evidence.ref);
      return true;
    });
  }
  const ids = [...found.keys()];
  const people = new Map<string, string>();
  const teamMembers = new Set<string>();
  for (let i = 0; i < ids.length; i += 200) {
    const slice = ids.slice(i, i + 200);
    const { rows } = await store.execute(`SELECT id, name FROM people WHERE workspace = ? AND id IN (${slice.map(() => '?').join(', ')})`, [
      workspace,
      ...slice,
    ]);
    for (const row of personName.all(rows)) people.set(row.id, row.name);
    if (options.team !== undefined) {
      const m = await store.execute(
        `SELECT person_id FROM memberships WHERE workspace = ? AND team_id = ? AND person_id IN (${slice.map(() => '?').join(', ')})`,
        [workspace, options.team, ...slice],
      );
      for (const row of member.all(m.rows)) teamMembers.add(row.person_id);
    }
  }
  return [...found.entries()]
    .filter(([id]) => people.has(id) && (options.team === undefined || teamMembers.has(id)))
    .map(([id, entry]) => ({
      person: { id, name: people.get(id)! },
      score: Number(entry.score.toFixed(4)),
      evidence: entry.evidence
        .sort((a, b) => b.weight - a.weight)
        .slice(0, 5)
        .map(({ weight: _, ...evidence }) => evidence),
    }))
    .sort((a, b) => b.score - a.score || a.person.id.localeCompare(b.person.id))
    .slice(0, limit);
}

/**
 * CODEOWNERS evidence for documents (given best first): for each document with a repository and path, the last
 * rule of its repository's CODEOWNERS matching the path, and the people it names: `@login` through their GitHub
 * account, an email through the person's email, `@org/team` through the members of the workspace's team with that
 * slug (a team the workspace does not know is skipped).
 */
async function codeownerEvidence(
  store: Store,
  workspace: string,
  uris: readonly string[],
): Promise<{ person: string; evidence: WhoKnowsEvidence; atMs: number; position: number }[]> {
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
