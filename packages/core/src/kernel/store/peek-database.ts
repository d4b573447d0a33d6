// `@teamstate/core/peek`: a look into a local database file without the facade, for `teamstate mcp`'s start-up, which
// answers initialize and tools/list before the rest of teamstate loads. Only the driver's local client loads here.
import { createClient } from '@libsql/client/sqlite3';

/** What `teamstate mcp` needs to know of a database before it loads the rest. */
export interface DatabasePeek {
  /** The workspace has a team or a person (it is known, and not empty). */
  readonly filled: boolean;
  /** The demo organisation was synced into it (`teamstate demo`): the demo connector's actions can be proposed. */
  readonly demo: boolean;
  /** The workspace has an approved policy version (which decides the modes propose_action's description lists). */
  readonly policy: boolean;
}

/**
 * Reads whether `workspace` in the database file at `path` has a team or a person, whether it is a demo workspace, and
 * whether it has an approved policy.
 * Undefined when the file cannot be read as a teamstate database: the caller opens it the ordinary way, which says why.
 */
export async function peekDatabase(path: string, workspace: string): Promise<DatabasePeek | undefined> {
  let client: ReturnType<typeof createClient> | undefined;
  try {
    client = createClient({ url: `file:${path}` });
    const { rows } = await client.execute({
      sql: `SELECT (EXISTS (SELECT 1 FROM teams WHERE workspace = ?1) OR EXISTS (SELECT 1 FROM people WHERE workspace = ?1)) AS filled,
                   EXISTS (SELECT 1 FROM sync_cursors WHERE connector = 'demo') AS demo,
                   EXISTS (SELECT 1 FROM policy_versions WHERE workspace = ?1) AS policy`,
      args: [workspace],
    });
    const row = rows[0];
    return { filled: Number(row?.filled) === 1, demo: Number(row?.demo) === 1, policy: Number(row?.policy) === 1 };
  } catch {
    return undefined;
  } finally {
    client?.close();
  }
}
