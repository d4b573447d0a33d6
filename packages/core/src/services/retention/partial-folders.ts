import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

// A retention run writes its folder under a hidden name, `.<name>.<pid>.partial`, and renames it into place once its
// manifest is written (docs/daily-reports.md#retention). What a stopped process left under that name is never needed.

/** The run folders this process is writing now: never taken for an interrupted run's. */
const writing = new Set<string>();

const PARTIAL = /^\.(.+)\.(\d+)\.partial$/;

/** The hidden folder a run of this process writes `folder` (`<parent>/<name>`) in, marked as being written until `done`. */
export function partialFolder(parent: string, name: string): { path: string; done(): void } {
  const path = join(parent, `.${name}.${process.pid}.partial`);
  writing.add(path);
  return { path, done: () => writing.delete(path) };
}

/** Whether process `pid` is alive (`kill(pid, 0)` asks without signalling). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes folders and what they hold; returns those still there after (a folder that could not be removed). */
export async function removeFolders(folders: readonly string[]): Promise<string[]> {
  const left: string[] = [];
  for (const folder of folders) {
    await rm(folder, { recursive: true, force: true }).catch(() => {});
    const there = await stat(folder).then(
      () => true,
      (error: NodeJS.ErrnoException) => error.code !== 'ENOENT' && error.code !== 'ENOTDIR',
    );
    if (there) left.push(folder);
  }
  return left;
}

/**
 * Removes the folders that runs stopped while writing (killed, or the machine stopped) left under `parent`: never
 * needed, since nothing was deleted after them, and they hold people's data. A folder of a live process is its run's.
 */
export async function removeInterrupted(parent: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const match = PARTIAL.exec(name);
    if (!match) continue;
    const pid = Number(match[2]);
    const path = join(parent, name);
    if (pid === process.pid ? !writing.has(path) : !alive(pid)) await removeFolders([path]);
  }
}
