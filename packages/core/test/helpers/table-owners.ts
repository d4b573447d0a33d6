import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Which folder of core owns a table: records/ for the tables of records/schema.ts (declared in records/schema/), services/<name>/ and
// features/<name>/ for those of their schema.ts. write-ownership.test.ts holds every write of the sources to it,
// migrations.test.ts every migration, and scripts/split-migrations.ts files each migration's statements by it.

/** The packages/ folder of the repository. */
export const packages = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** packages/core/src. */
export const core = join(packages, 'core/src');

/** The folder a core file belongs to: `records`, `services/<name>`, `features/<name>`, `kernel`…; outside core, its package. */
export function folderOf(path: string): string {
  const inCore = relative(core, path);
  if (inCore.startsWith('..')) return `packages/${relative(packages, path).split('/')[0]}`;
  const [top, name] = inCore.split('/');
  return (top === 'features' || top === 'services') && name !== undefined && !name.endsWith('.ts') ? `${top}/${name}` : top!;
}

/** The schema.ts of records and of every service and feature that has one. */
export function schemaFiles(): string[] {
  return [
    join(core, 'records/schema.ts'),
    ...['services', 'features'].flatMap((layer) =>
      readdirSync(join(core, layer), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => join(core, layer, entry.name, 'schema.ts')),
    ),
  ].filter((file) => {
    try {
      readFileSync(file);
      return true;
    } catch {
      return false;
    }
  });
}

/** Table → the folder whose schema.ts declares it (or names it on an `// owned-tables:` line, for tables drizzle does not declare). */
export function tableOwners(): Map<string, string> {
  const owned = new Map<string, string>();
  // records/schema.ts re-exports the files of records/schema/, where its tables are declared.
  const records = readdirSync(join(core, 'records/schema')).map((file) => join(core, 'records/schema', file));
  for (const schema of [...schemaFiles(), ...records]) {
    const text = readFileSync(schema, 'utf8');
    for (const [, table] of text.matchAll(/sqliteTable\(\s*'(\w+)'/g)) owned.set(table!, folderOf(schema));
    // Tables drizzle does not declare (full-text and vector indexes, kept by triggers or created at run time).
    for (const [, list] of text.matchAll(/^\/\/ owned-tables: ([\w, ]+)$/gm))
      for (const table of list!.split(/,\s*/)) owned.set(table, folderOf(schema));
  }
  return owned;
}

/**
 * A statement that writes rows, and its table: INSERT (OR …) INTO, REPLACE INTO, DELETE FROM, UPDATE (OR …) — the
 * second group (` SET`) tells an UPDATE of a table from prose or an upsert's `DO UPDATE`.
 */
export const WRITE =
  /\b(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|DELETE\s+FROM|UPDATE(?:\s+OR\s+\w+)?)\s+[`"[]?(\$\{\s*[\w.]+\s*\}|\w+)[`"\]]?(\s+SET\b)?/g;
