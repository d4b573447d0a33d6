import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Store } from '../../kernel/store/open-store.js';
import { createAuditLedger } from '../audit/index.js';
import { removeInterrupted } from './partial-folders.js';
import { parseManifest } from './retention-archive.js';

/** A retention archive that holds someone's data: its manifest, and the data files that do (none: it could not be read). */
export interface ArchiveHolding {
  manifest: string;
  files: string[];
}

/** Whom {@link archivesHolding} looks for: the strings that name them. */
export interface ArchiveNeedles {
  /** Exact values (a person id, a login, an account id): found as JSON strings, `"ana"`. */
  identifiers: readonly string[];
  /** Words found anywhere in a line, ignoring case (a name, an email, in a report's text or a delivery's body). */
  words: readonly string[];
}

/**
 * The retention archives of the workspace that hold any of `needles` (docs/daily-reports.md#retention): the run folders
 * under the archive folder, and those the audit ledger's `retention.run` entries name elsewhere (written under an
 * earlier `retention.archive`). Every line of every data file is read (gzip, streamed). A folder whose manifest or
 * files cannot be read is listed too (an archive folder that cannot be listed, as its own "manifest"): nothing says it
 * does not hold them. A folder that is gone is not. What interrupted runs left (`.partial` folders of processes gone)
 * is removed first: never needed.
 */
export async function archivesHolding(
  deps: { store: Store; workspace: string; archive: string },
  needles: ArchiveNeedles,
): Promise<ArchiveHolding[]> {
  const quoted = needles.identifiers.map((id) => JSON.stringify(id));
  // As JSON writes them inside a string (a quote or a backslash escaped), lower-cased.
  const words = needles.words.filter((word) => word.trim().length >= 4).map((word) => JSON.stringify(word.toLowerCase()).slice(1, -1));
  const holds = (line: string) =>
    quoted.some((needle) => line.includes(needle)) || (words.length > 0 && words.some((w) => line.toLowerCase().includes(w)));
  await removeInterrupted(join(deps.archive, deps.workspace));
  const { folders, unreadable } = await runFolders(deps);
  const found: ArchiveHolding[] = unreadable ? [{ manifest: unreadable, files: [] }] : [];
  for (const folder of folders) {
    const manifestPath = join(folder, 'manifest.json');
    let text: string;
    try {
      text = await readFile(manifestPath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      found.push({ manifest: manifestPath, files: [] });
      continue;
    }
    let files: string[];
    try {
      files = parseManifest(text, manifestPath).files.map((file) => file.path);
    } catch {
      found.push({ manifest: manifestPath, files: [] });
      continue;
    }
    const holding: string[] = [];
    for (const file of files) if (await fileHolds(join(folder, file), holds)) holding.push(file);
    if (holding.length > 0) found.push({ manifest: manifestPath, files: holding });
  }
  return found;
}

/** Whether a gzip JSON Lines file has a line that `holds`; a file that cannot be read counts as holding. */
async function fileHolds(path: string, holds: (line: string) => boolean): Promise<boolean> {
  const input = createReadStream(path);
  const lines = createInterface({ input: input.pipe(createGunzip()), crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const line of lines) if (holds(line)) return true;
    return false;
  } catch {
    return true;
  } finally {
    lines.close();
    input.destroy();
  }
}

/** The run folders: those under `<archive>/<workspace>/`, then those the ledger records elsewhere, each once. */
async function runFolders(deps: { store: Store; workspace: string; archive: string }): Promise<{ folders: string[]; unreadable?: string }> {
  const root = join(deps.archive, deps.workspace);
  const folders = new Set<string>();
  let unreadable: string | undefined;
  try {
    // A run's folder being written is hidden (`.<name>.partial`) until complete.
    for (const entry of await readdir(root, { withFileTypes: true }))
      if (entry.isDirectory() && !entry.name.startsWith('.')) folders.add(join(root, entry.name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') unreadable = root;
  }
  const ledger = createAuditLedger(deps.store, deps.workspace);
  for (let afterSeq = 0; ; ) {
    const page = await ledger.list({ type: 'retention.run', afterSeq, limit: 1000 });
    for (const event of page) {
      const folder = event.data.folder;
      if (typeof folder === 'string' && folder !== '') folders.add(resolve(folder));
    }
    if (page.length < 1000) break;
    afterSeq = page.at(-1)!.seq;
  }
  return { folders: [...folders].sort(), ...(unreadable ? { unreadable } : {}) };
}
