import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { core, folderOf, packages, tableOwners, WRITE } from './helpers/table-owners.js';

// A table is written only by the folder that owns it: records/ for the tables of records/schema.ts, services/<name>/
// and features/<name>/ for those of their schema.ts. This reads every source file of every package and finds the statements that write
// (INSERT, REPLACE, UPDATE, DELETE) and the bulk writer's calls (upsertRows, replaceChildRows with a table spec), and
// names each one that writes a table of another folder.

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === '__fixtures__' ? [] : sourceFiles(path);
    // Not src/fresh-schema.generated.ts: a copy of what the migrations create, each checked in its owner's migrations.
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.generated.ts') ? [path] : [];
  });
}

interface Write {
  file: string;
  line: number;
  table: string;
}

/** The writes of one file: SQL statements naming their table, and bulk-writer calls naming a table spec. */
function writesOf(path: string, text: string): { writes: Write[]; unresolved: Write[] } {
  const writes: Write[] = [];
  const unresolved: Write[] = [];
  const lineAt = (index: number) => text.slice(0, index).split('\n').length;
  // A table named by a constant of the file: `const table = 'x'`, `const table = temporary ? 'temp.x' : 'x'`, or a
  // loop over a list of names, `for (const table of ['a', 'b'])` or over a `const TABLES = [...]` of the file; each
  // name it can take is checked.
  const strings = (source: string) => [...source.matchAll(/['`](?:temp\.)?(\w+)['`]/g)].map(([, value]) => value!);
  const constants = new Map<string, string[]>([
    ...[...text.matchAll(/const (\w+) = ([^;\n]*['`][^;\n]*);/g)].map(([, name, value]) => [name!, strings(value!)] as const),
    ...[...text.matchAll(/const (\w+) = \[([^\]]*)\]/g)].map(([, name, list]) => [name!, strings(list!)] as const),
    ...[...text.matchAll(/for \(const (\w+) of \[([^\]]*)\]\)/g)].map(([, name, list]) => [name!, strings(list!)] as const),
  ]);
  // A loop over such a list: `for (const table of TABLES)`.
  for (const [, name, list] of text.matchAll(/for \(const (\w+) of (\w+)\)/g))
    if (constants.has(list!)) constants.set(name!, constants.get(list!)!);
  for (const match of text.matchAll(WRITE)) {
    const [statement, target] = match;
    if (statement.startsWith('UPDATE') && match[2] === undefined) continue; // prose or an upsert's DO UPDATE
    const at = { file: relative(packages, path), line: lineAt(match.index) };
    const names = target!.startsWith('${') ? constants.get(target!.slice(2, -1).trim()) : [target!];
    if (names === undefined || names.length === 0) unresolved.push({ ...at, table: target! });
    else for (const table of names) writes.push({ ...at, table });
  }
  return { writes, unresolved };
}

/** Where the bulk writer is handed a table spec imported from another folder. */
function foreignSpecs(path: string, text: string): { file: string; line: number; spec: string; from: string }[] {
  const imports = new Map<string, string>();
  for (const [, names, from] of text.matchAll(/import (?:type )?\{([^}]*)\} from '(\.[^']+)'/g))
    for (const part of names!.split(',')) {
      const [imported, local] = part
        .replace(/^\s*type\s+/, '')
        .split(/\s+as\s+/)
        .map((s) => s.trim());
      if (imported) imports.set(local ?? imported, resolve(dirname(path), from!));
    }
  const found = [];
  for (const match of text.matchAll(/\b(?:upsertRows|replaceChildRows|insertIgnoring|toRow)\(\s*(?:\w+,\s*)?([\w]+)/g)) {
    const source = imports.get(match[1]!);
    if (source === undefined || folderOf(source) === folderOf(path) || folderOf(source) === 'kernel') continue;
    found.push({
      file: relative(packages, path),
      line: text.slice(0, match.index).split('\n').length,
      spec: match[1]!,
      from: folderOf(source),
    });
  }
  return found;
}

const files = readdirSync(packages).flatMap((name) => {
  try {
    return sourceFiles(join(packages, name, 'src'));
  } catch {
    return [];
  }
});
describe('write ownership', () => {
  const owned = tableOwners();

  it('writes a table only from the folder that owns it', () => {
    const problems: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const { writes } = writesOf(file, text);
      for (const write of writes) {
        const owner = owned.get(write.table);
        if (owner === undefined) continue; // not a table of the store (a temporary table, a table in prose)
        if (owner !== folderOf(file)) problems.push(`${write.file}:${write.line} writes ${write.table}, which ${owner}/ owns`);
      }
      for (const use of foreignSpecs(file, text))
        problems.push(`${use.file}:${use.line} writes with ${use.spec}, a table spec of ${use.from}/`);
    }
    expect(problems).toEqual([]);
  });

  it('names its table in every write outside the bulk writer', () => {
    // The kernel's bulk writer writes the table spec it is given; everywhere else a table is named in the statement
    // or by a constant of the same file, so the check above can see it.
    const problems = files
      .filter((file) => folderOf(file) !== 'kernel')
      .flatMap((file) => writesOf(file, readFileSync(file, 'utf8')).unresolved)
      .map((write) => `${write.file}:${write.line} writes ${write.table}`);
    expect(problems).toEqual([]);
  });

  it('finds the writes it is meant to find', () => {
    const sample = [
      "await tx.execute('INSERT INTO reports (id) VALUES (?)')",
      'await tx.execute(`UPDATE approvals SET status = ?`)',
      "await run('DELETE FROM signals WHERE workspace = ?')",
      `const TABLE = 'tokens';\nawait run(\`INSERT OR IGNORE INTO \${TABLE} VALUES (?)\`)`,
      `await run(\`DELETE FROM \${table} WHERE workspace = ?\`)`,
      `for (const child of ['reviews', 'transitions']) await run(\`DELETE FROM \${child} WHERE id = ?\`)`,
      `const TABLES = [\n  'teams',\n  'people',\n] as const;\nfor (const name of TABLES) await run(\`DELETE FROM \${name}\`)`,
      "sql: 'INSERT INTO x (a) VALUES (1) ON CONFLICT DO UPDATE SET a = 2'",
    ].join('\n');
    const { writes, unresolved } = writesOf(join(core, 'records/example.ts'), sample);
    expect(writes.map((w) => w.table)).toEqual([
      'reports',
      'approvals',
      'signals',
      'tokens',
      'reviews',
      'transitions',
      'teams',
      'people',
      'x',
    ]);
    expect(unresolved.map((w) => w.table)).toEqual([`\${table}`]);
    expect(folderOf(join(core, 'features/reports/reports-api.ts'))).toBe('features/reports');
    expect(folderOf(join(packages, 'cli/src/commands/demo.ts'))).toBe('packages/cli');
    const spec = "import { reportSpecs } from '../reports/index.js';\nawait upsertRows(tx, reportSpecs.reports, rows);";
    expect(foreignSpecs(join(core, 'features/retention/run.ts'), spec)).toEqual([
      { file: 'core/src/features/retention/run.ts', line: 2, spec: 'reportSpecs', from: 'features/reports' },
    ]);
  });
});
