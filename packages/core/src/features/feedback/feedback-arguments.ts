import { closest } from '../../kernel/model/suggest.js';
import type { InValue } from '../../kernel/store/driver.js';
import { columns, text } from '../../kernel/store/row-decoder.js';
import { invalid } from '../../records/arguments.js';

/** `repository: "acme/web" is not tracked by this workspace …`: names the tracked ones and how to track it. */
export function untracked(repository: string, tracked: readonly string[]) {
  const suggestion = closest(repository, tracked);
  return invalid(
    `repository: "${repository}" is not tracked by this workspace${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; ${
      tracked.length <= 20 ? `tracked: ${tracked.join(', ') || '(none)'}; ` : ''
    }sync it (connectors.github.repositories) or import it in a bundle first`,
  );
}

const repositoryId = columns({ id: text });

/** Checks a repository is tracked (synced or imported), or throws {@link untracked}. */
export async function checkTracked(
  execute: (sql: string, args: InValue[]) => Promise<{ rows: readonly object[] }>,
  workspace: string,
  repository: unknown,
): Promise<string> {
  if (typeof repository !== 'string' || !/^[^/\s]+\/[^/\s]+$/.test(repository))
    throw invalid(`repository: expected "owner/name", e.g. "acme/api", got ${JSON.stringify(repository)}`);
  if ((await execute('SELECT 1 FROM repositories WHERE workspace = ? AND id = ?', [workspace, repository])).rows.length > 0)
    return repository;
  const { rows } = await execute('SELECT id FROM repositories WHERE workspace = ? ORDER BY id', [workspace]);
  throw untracked(
    repository,
    repositoryId.all(rows).map((row) => row.id),
  );
}
