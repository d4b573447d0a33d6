import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The database used when no `--db`, `TEAMSTATE_DB` or config `database` names one: `.teamstate/teamstate.db` in the
 * nearest folder, from `cwd` up to the root of the project (the first folder holding `.git`), that holds a
 * `.teamstate/` folder; when none does, at that root, so a command run in a sub-folder of a clone reads and creates
 * the clone's database. Outside a project it is the one in `cwd`: a `.teamstate/` in a parent folder (a home
 * folder, `/tmp`) belongs to someone else. Always an absolute `file:` URL.
 */
export function defaultDatabase(cwd: string): string {
  const start = resolve(cwd);
  const root = projectRoot(start);
  if (root === undefined) return fileUrl(start);
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.teamstate'))) return fileUrl(dir);
    if (dir === root) return fileUrl(root);
  }
}

/** The nearest folder from `dir` up that holds `.git` (a folder, or a file in a worktree), or undefined. */
function projectRoot(dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, '.git'))) return at;
    if (dirname(at) === at) return undefined;
  }
}

const fileUrl = (dir: string) => `file:${join(dir, '.teamstate', 'teamstate.db')}`;
