import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { TeamStateError } from '../errors.js';

/** How many replica files one configured `url` may fan out to (processes on one machine using it at once). */
const MAX_SLOTS = 16;

/** A replica file this process holds, and how to let it go. */
export interface ReplicaFile {
  path: string;
  release(): void;
}

/** The lock that marks a replica file as in use by a process. */
const lockOf = (path: string) => `${path}-teamstate.lock`;

/** The n-th file for a configured replica path: `replica.db`, `replica-2.db`, `replica-3.db` … */
function slot(path: string, n: number): string {
  if (n === 1) return path;
  const ext = extname(path);
  return join(dirname(path), `${basename(path, ext)}-${n}${ext}`);
}

/** The locks this process holds now. */
const heldHere = new Set<string>();

// A lock whose process is gone (crashed, killed) is stale; `kill(pid, 0)` asks without signalling. A lock with this
// process's own pid that this process does not hold was left by an earlier process with the same pid (a container's
// process is often pid 1 at every start).
function held(lock: string): boolean {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(lock, 'utf8'), 10);
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return heldHere.has(lock);
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims a replica file for this process: the configured one, or, while other processes use it, the next free
 * sibling (`replica-2.db` …). Each embedded replica keeps its own record of how far it has synced, so two processes
 * must never share one file; a sibling is a full replica of its own, filled on first use.
 */
export function claimReplicaFile(path: string): ReplicaFile {
  for (let n = 1; n <= MAX_SLOTS; n++) {
    const candidate = slot(path, n);
    const lock = lockOf(candidate);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        writeFileSync(lock, process.pid.toString(), { flag: 'wx', mode: 0o600 });
        heldHere.add(lock);
        return {
          path: candidate,
          release: () => {
            heldHere.delete(lock);
            rmSync(lock, { force: true });
          },
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        if (held(lock)) break;
        rmSync(lock, { force: true });
      }
    }
  }
  throw new TeamStateError(
    'invalid_config',
    `database.url: ${MAX_SLOTS} processes on this machine already use replicas of ${path}; stop some, or give this one its own url`,
  );
}

/**
 * Records which primary a replica file copies (`<file>-teamstate.json`), and refuses a file that copies another one:
 * libSQL would open it without a word, and its reads would show the other primary's data while writes go to this one.
 * @param primary the primary's URL without credentials.
 * @returns records `primary` for the file, once it has opened as a replica.
 */
export function checkReplicaPrimary(path: string, primary: string): () => void {
  const record = `${path}-teamstate.json`;
  if (existsSync(record)) {
    let recorded: unknown;
    try {
      recorded = (JSON.parse(readFileSync(record, 'utf8')) as { syncUrl?: unknown }).syncUrl;
    } catch {
      recorded = undefined;
    }
    if (recorded === primary) return () => {};
    throw new TeamStateError(
      'invalid_config',
      `database.url: ${path} is a replica of ${typeof recorded === 'string' ? recorded : 'another primary'}, not of ${primary}; delete it (and its -wal, -shm, -info, -client_wal_index and -teamstate.json files: it is only a copy) or give this primary another url`,
    );
  }
  return () => writeFileSync(record, `${JSON.stringify({ syncUrl: primary })}\n`, { mode: 0o600 });
}
