import { columns, text } from '../../kernel/store/row-decoder.js';
import type { Execute } from './existing-ids.js';

const headRows = columns({ sha: text, id: text });

/** The shortest abbreviation of a commit hash taken as naming it (git's own default). */
const MIN_ABBREVIATION = 7;

/**
 * Work items of `repository` whose head commit is one of `shas`, as sha → work item id (the first by id when two
 * share a head). Hashes compare case-insensitively, and a stored hash abbreviated to at least
 * {@link MIN_ABBREVIATION} characters (as Bitbucket lists a pull request's head) matches the full hash it begins.
 * Looked up 200 at a time.
 */
export async function workItemsByHead(
  execute: Execute,
  workspace: string,
  repository: string,
  shas: readonly string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const wanted = [...new Set(shas.filter((sha) => sha.length >= MIN_ABBREVIATION))];
  for (let start = 0; start < wanted.length; start += 200) {
    const chunk = wanted.slice(start, start + 200);
    const rows = await execute(
      `SELECT j.value AS sha, w.id AS id FROM json_each(?) AS j
       JOIN work_items AS w ON w.workspace = ? AND w.repository_id = ? AND length(w.head_sha) >= ${MIN_ABBREVIATION}
         AND lower(w.head_sha) = lower(substr(j.value, 1, length(w.head_sha)))
       ORDER BY w.id DESC`,
      [JSON.stringify(chunk), workspace, repository],
    );
    // Descending, so the first id of each sha is written last.
    for (const row of headRows.all(rows.rows)) found.set(row.sha, row.id);
  }
  return found;
}
