import { columns, text } from '../../kernel/store/row-decoder.js';
import type { Execute } from './existing-ids.js';

const headRows = columns({ id: text, sha: text });

/** The shortest abbreviation of a commit hash taken as naming it (git's own default). */
const MIN_ABBREVIATION = 7;

/**
 * Work items of `repository` whose head commit is one of `shas`, as sha → work item id (the first by id when two
 * share a head). Hashes compare case-insensitively, and a stored hash abbreviated to at least
 * {@link MIN_ABBREVIATION} characters (as Bitbucket lists a pull request's head) matches the full hash it begins.
 * The repository's heads are read once (no index holds them) and matched here by their first characters, so a long
 * range of commits costs one read, not one per commit.
 */
export async function workItemsByHead(
  execute: Execute,
  workspace: string,
  repository: string,
  shas: readonly string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const wanted = [...new Set(shas.filter((sha) => sha.length >= MIN_ABBREVIATION))];
  if (wanted.length === 0) return found;
  const { rows } = await execute(
    `SELECT id, lower(head_sha) AS sha FROM work_items
     WHERE workspace = ? AND repository_id = ? AND length(head_sha) >= ${MIN_ABBREVIATION} ORDER BY id`,
    [workspace, repository],
  );
  const byPrefix = new Map<string, { id: string; sha: string }[]>();
  for (const row of headRows.all(rows)) {
    const prefix = row.sha.slice(0, MIN_ABBREVIATION);
    const heads = byPrefix.get(prefix);
    if (heads) heads.push(row);
    else byPrefix.set(prefix, [row]);
  }
  for (const sha of wanted) {
    const lower = sha.toLowerCase();
    const head = byPrefix.get(lower.slice(0, MIN_ABBREVIATION))?.find((candidate) => lower.startsWith(candidate.sha));
    if (head) found.set(sha, head.id);
  }
  return found;
}
