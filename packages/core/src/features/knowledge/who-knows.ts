import { TeamStateError } from '../../kernel/errors.js';
import type { InValue } from '../../kernel/store/driver.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, nullable, text } from '../../kernel/store/row-decoder.js';
import { urlColumn } from '../../records/store/work-item-url.js';
import { codeownerEvidence } from './codeowner-evidence.js';
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
/** What `whoKnows` reads through: the store, the clock, and the teams whose documents the reader may see. */
export interface WhoKnowsDeps {
  store: Store;
  workspace: string;
  clock: () => Date;
  viewerTeams?: readonly string[];
}

/** Each person's evidence so far, each piece with its weight, and their score (the weights' sum). */
type Found = Map<string, { score: number; evidence: (WhoKnowsEvidence & { weight: number })[] }>;

/** Adds a piece of evidence for a person, weighed by its kind, how well it matches (0–1) and its age. */
type AddEvidence = (person: string, evidence: WhoKnowsEvidence, atMs: number, match: number) => void;

/** How well a document matches: by its rank among the search's documents. */
const matchOf = (position: number) => 1 / (1 + position / 4);

/**
 * People ranked by evidence on a topic: authors of the documents that match it, authors and reviewers of pull
 * requests and assignees of resolved issues whose title, labels or repository match it. Each piece of evidence
 * weighs by its kind, how well it matches (the share of the topic's words) and its age (halved every 180 days).
 */
export async function whoKnows(deps: WhoKnowsDeps, rawTopic: unknown, options: WhoKnowsOptions = {}): Promise<WhoKnowsPerson[]> {
  const topic = checkKnowledgeQuery(rawTopic).trim();
  const limit = options.limit ?? 5;
  if (!Number.isInteger(limit) || limit < 1 || limit > 20)
    throw new TeamStateError('invalid_argument', `limit: expected a whole number from 1 to 20, got ${JSON.stringify(options.limit)}`);
  const now = deps.clock().getTime();
  const terms = contentTerms(topic);
  const found: Found = new Map();
  const add: AddEvidence = (person, evidence, atMs, match) => {
    const age = Math.max(0, (now - atMs) / DAY);
    const weight = KIND_WEIGHT[evidence.kind] * match * 0.5 ** (age / HALF_LIFE_DAYS);
    const entry = found.get(person) ?? { score: 0, evidence: [] };
    entry.score += weight;
    entry.evidence.push({ ...evidence, weight });
    found.set(person, entry);
  };
  const folders = await documentEvidence(deps, topic, options, add);
  if (terms.length > 0) await workItemEvidence(deps, terms, folders, add);
  if (found.size === 0) return [];
  countEachRuleOnce(found);
  return rankPeople(deps, found, options.team, limit);
}

/**
 * Documents: their authors, resolved to people by id, account login or email, and the CODEOWNERS of their paths.
 * Returns the folders of those that live in a repository, whose pull requests count as evidence too.
 */
async function documentEvidence(
  deps: WhoKnowsDeps,
  topic: string,
  options: WhoKnowsOptions,
  add: AddEvidence,
): Promise<Map<string, { repository: string; folder: string }>> {
  const { store, workspace } = deps;
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
  if (uris.length === 0) return folders;
  for (const owned of await codeownerEvidence(store, workspace, uris))
    add(owned.person, owned.evidence, owned.atMs, matchOf(owned.position));
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
  return folders;
}

/**
 * Work items whose title, labels, components, repository or changed paths hold the topic's words, and pull requests
 * that changed files in the folder of a matching document (a full match): their authors, reviewers, and the
 * assignees of resolved issues.
 */
async function workItemEvidence(
  deps: WhoKnowsDeps,
  terms: readonly string[],
  folders: ReadonlyMap<string, { repository: string; folder: string }>,
  add: AddEvidence,
): Promise<void> {
  const rows = await matchingWorkItems(deps, terms, folders);
  const { reviews, assignees } = await reviewersAndAssignees(
    deps,
    rows.map((row) => row.id),
  );
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

/** The {@link WORK_ITEMS} work items that hold the most of the topic's words (or a matching document's folder), newest first. */
async function matchingWorkItems(
  deps: WhoKnowsDeps,
  terms: readonly string[],
  folders: ReadonlyMap<string, { repository: string; folder: string }>,
) {
  const haystack =
    "lower(w.title || ' ' || COALESCE(w.labels, '') || ' ' || COALESCE(w.repository_id, '') || ' ' || COALESCE(w.paths, '') || ' ' || COALESCE(w.components, ''))";
  const args: InValue[] = [deps.workspace];
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
  const items = await deps.store.execute(
    `SELECT * FROM (
       SELECT w.id, w.key, w.title, w.kind, ${urlColumn('w')} AS url, w.author_id, w.merged_at, w.resolved_at, w.created_at, ${matches.join(' + ')} AS hits
       FROM work_items w WHERE w.workspace = ?1
     ) WHERE hits > 0 ORDER BY hits DESC, COALESCE(merged_at, resolved_at, created_at) DESC LIMIT ?${args.length}`,
    args,
  );
  return matchedWorkItem.all(items.rows);
}

/** The reviewers (with their last review) and assignees of work items, 200 items a read. */
async function reviewersAndAssignees(deps: WhoKnowsDeps, ids: readonly string[]) {
  const { store, workspace } = deps;
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
  return { reviews, assignees };
}

/** One person owning several matching documents through the same CODEOWNERS rule: that rule counts once. */
function countEachRuleOnce(found: Found): void {
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
}

/** The people with evidence whom the workspace knows (of `team`, when given), best first, with their best evidence. */
async function rankPeople(deps: WhoKnowsDeps, found: Found, team: string | undefined, limit: number): Promise<WhoKnowsPerson[]> {
  const { store, workspace } = deps;
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
    if (team !== undefined) {
      const m = await store.execute(
        `SELECT person_id FROM memberships WHERE workspace = ? AND team_id = ? AND person_id IN (${slice.map(() => '?').join(', ')})`,
        [workspace, team, ...slice],
      );
      for (const row of member.all(m.rows)) teamMembers.add(row.person_id);
    }
  }
  return [...found.entries()]
    .flatMap(([id, entry]) => {
      const name = people.get(id);
      return name !== undefined && (team === undefined || teamMembers.has(id)) ? [{ id, name, entry }] : [];
    })
    .map(({ id, name, entry }) => ({
      person: { id, name },
      score: Number(entry.score.toFixed(4)),
      evidence: entry.evidence
        .sort((a, b) => b.weight - a.weight)
        .slice(0, 5)
        .map(({ weight: _, ...evidence }) => evidence),
    }))
    .sort((a, b) => b.score - a.score || a.person.id.localeCompare(b.person.id))
    .slice(0, limit);
}
