// Files each migration drizzle-kit writes (packages/core/drizzle/NNNN_tag.sql, from the schema or hand-written with
// `drizzle-kit generate --custom`) under the folders of core that own its tables, and embeds every folder's migrations
// in code. A table's owner is the folder whose schema.ts declares it (records/, services/<name>/, features/<name>/;
// packages/core/test/helpers/table-owners.ts): each statement goes to the owner of the table it creates, alters,
// indexes or fills (a trigger to the owner of the table it writes, an INSERT … SELECT to the owner of the table written),
// into <owner>/migrations/NNNN_tag.sql under the journal's tag, and <owner>/migrations/index.ts embeds those files.
// A part that reads another owner's tables names the migrations it needs on its first line
// (`-- depends on: records/0009_reports`). The journal and drizzle-kit's snapshots stay in drizzle/meta, where
// drizzle-kit reads them to write the next migration. Run by `pnpm --filter @teamstate/core db:generate`; fails, and
// writes nothing, when a statement's table has no owner.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MigrationPart } from '../packages/core/src/kernel/store/migrate.js';
import { orderMigrations } from '../packages/core/src/order-migrations.js';
import { core, tableOwners } from '../packages/core/test/helpers/table-owners.js';

const drizzleFolder = join(core, '..', 'drizzle');
const BREAKPOINT = '--> statement-breakpoint';
const DEPENDS = /^-- depends on: ([^\n]*)\n/;

/** One owner's part of one journal entry, as its file holds it. */
interface OwnedPart extends MigrationPart {
  readonly statements: string[];
  /** The other owners' migrations it reads tables of, `owner/tag`, in journal order. */
  dependsOn: string[];
}

/** The statements of a migration file, as drizzle-kit separates them. */
export function statementsOf(text: string): string[] {
  return text
    .replace(DEPENDS, '')
    .split(BREAKPOINT)
    .map((statement) => statement.trim())
    .filter(Boolean);
}

/** The text of a part's file. */
function partText(part: OwnedPart): string {
  const header = part.dependsOn.length > 0 ? `-- depends on: ${part.dependsOn.join(', ')}\n` : '';
  return `${header}${part.statements.join(`\n${BREAKPOINT}\n`)}\n`;
}

/** A statement without comments, string literals (left empty) or identifier quotes, its spaces collapsed. */
function bareSql(statement: string): string {
  let out = '';
  for (let i = 0; i < statement.length; i++) {
    const char = statement[i]!;
    if (char === "'") {
      let end = i + 1;
      while (end < statement.length && !(statement[end] === "'" && statement[end + 1] !== "'")) end += statement[end] === "'" ? 2 : 1;
      out += "''";
      i = end;
    } else if (statement.startsWith('--', i)) {
      const end = statement.indexOf('\n', i);
      i = end < 0 ? statement.length : end;
      out += ' ';
    } else if (statement.startsWith('/*', i)) {
      const end = statement.indexOf('*/', i);
      i = end < 0 ? statement.length : end + 1;
      out += ' ';
    } else out += char === '`' || char === '"' ? '' : char;
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** What the migrations before a statement left: where its DROP INDEX and DROP TRIGGER find their owner. */
interface History {
  /** Index → the table it is on. */
  indexes: Map<string, string>;
  /** Trigger → the owner whose part created it. */
  triggers: Map<string, string>;
  /** Table → the owner whose part created it (for a table no schema.ts declares any more, dropped since). */
  created: Map<string, string>;
  /** Table → the latest part that created, altered, indexed or filled it: `owner/tag`. */
  lastWrite: Map<string, string>;
}

/** What one statement does: the tables it creates, alters, indexes or fills, the ones it reads, and the owner a DROP TRIGGER has. */
interface Effects {
  writes: string[];
  reads: string[];
  /** The owner of what it changes when no table says it (a dropped trigger). */
  owner?: string;
  index?: { name: string; table: string };
  trigger?: string;
}

const DML = /\b(?:INSERT(?: OR \w+)? INTO|REPLACE INTO|DELETE FROM|UPDATE(?: OR \w+)?) (\w+)( SET\b)?/gi;

/** The tables a statement's INSERT, REPLACE, DELETE and UPDATE write (a trigger's body included). */
function filled(sql: string): string[] {
  return [...sql.matchAll(DML)].filter(([match, , set]) => !/^UPDATE/i.test(match) || set !== undefined).map(([, table]) => table!);
}

/** What each kind of statement changes, by the pattern its text (without comments and quotes) starts with. */
const STATEMENTS: {
  pattern: RegExp;
  effects: (m: RegExpExecArray, sql: string, history: History, where: string) => Omit<Effects, 'reads'>;
}[] = [
  { pattern: /^CREATE (?:VIRTUAL )?TABLE (?:IF NOT EXISTS )?(\w+)/i, effects: (m) => ({ writes: [m[1]!] }) },
  {
    pattern: /^CREATE (?:UNIQUE )?INDEX (?:IF NOT EXISTS )?(\w+) ON (\w+)/i,
    effects: (m) => ({ writes: [m[2]!], index: { name: m[1]!, table: m[2]! } }),
  },
  {
    pattern: /^DROP INDEX (?:IF EXISTS )?(\w+)/i,
    effects: (m, _sql, history, where) => {
      const table = history.indexes.get(m[1]!);
      if (table === undefined) throw new Error(`${where}: DROP INDEX ${m[1]}, which no earlier migration creates`);
      return { writes: [table] };
    },
  },
  { pattern: /^(?:ALTER|DROP) TABLE (?:IF EXISTS )?(\w+)/i, effects: (m) => ({ writes: [m[1]!] }) },
  {
    // A trigger belongs with the table its body writes (a derived table, an index it keeps), not the one it is on.
    pattern: /^CREATE (?:TEMP |TEMPORARY )?TRIGGER (?:IF NOT EXISTS )?(\w+) .*? ON (\w+)/i,
    effects: (m, sql) => {
      const writes = filled(sql.slice(sql.search(/\bBEGIN\b/i)));
      return { writes: writes.length > 0 ? writes : [m[2]!], trigger: m[1]! };
    },
  },
  {
    pattern: /^DROP TRIGGER (?:IF EXISTS )?(\w+)/i,
    effects: (m, _sql, history, where) => {
      const owner = history.triggers.get(m[1]!);
      if (owner === undefined) throw new Error(`${where}: DROP TRIGGER ${m[1]}, which no earlier migration creates`);
      return { writes: [], owner };
    },
  },
  // A statement that fills rows belongs with the table it writes, whatever it reads them from.
  { pattern: /^(?:INSERT|REPLACE|UPDATE|DELETE|WITH)\b/i, effects: (_m, sql) => ({ writes: filled(sql).slice(0, 1) }) },
];

function effectsOf(statement: string, history: History, known: Known, where: string): Effects {
  const sql = bareSql(statement);
  let changes: Omit<Effects, 'reads'> = { writes: [] };
  for (const { pattern, effects } of STATEMENTS) {
    const m = pattern.exec(sql);
    if (m) {
      changes = effects(m, sql, history, where);
      break;
    }
  }
  const tables = new Set(changes.writes);
  // Every other table it names (not after a dot: `w.id` is a column): a trigger's table, a SELECT's, a join's.
  const named = new Set([...sql.matchAll(/(?<![.\w])\w+\b/g)].map(([name]) => name));
  return { ...changes, reads: [...named].filter((name) => known(name) && !tables.has(name)) };
}

/** The owner of a table a statement changes: its schema.ts's folder (drizzle's `__new_x` while it rebuilds x is x's). */
function ownerOfTable(table: string, owners: Map<string, string>, history: History, where: string): string {
  const owner = owners.get(table) ?? owners.get(table.replace(/^__new_/, '')) ?? history.created.get(table);
  if (owner === undefined) {
    throw new Error(
      `${where}: table ${table} has no owner: declare it with sqliteTable() in the schema.ts of the folder that owns it (records, services/<name> or features/<name>), or name it on an "// owned-tables: ${table}" line there`,
    );
  }
  return owner;
}

/** The journal's tags, in order. */
function journalTags(): string[] {
  const journal = JSON.parse(readFileSync(join(drizzleFolder, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  return journal.entries.map((entry) => entry.tag);
}

/** records, then every service and feature with a schema.ts (the folders that may own tables). */
function ownerFolders(): string[] {
  const layer = (name: string) =>
    readdirSync(join(core, name), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(core, name, entry.name, 'schema.ts')))
      .map((entry) => `${name}/${entry.name}`);
  return ['records', ...layer('services'), ...layer('features')];
}

/** Where an owner keeps its migrations. */
const migrationsFolder = (owner: string) => join(core, owner, 'migrations');

/** Every owner's part files: owner → tag → statements. */
function filedParts(): Map<string, Map<string, string[]>> {
  const filed = new Map<string, Map<string, string[]>>();
  for (const owner of ownerFolders()) {
    const folder = migrationsFolder(owner);
    if (!existsSync(folder)) continue;
    const parts = new Map<string, string[]>();
    for (const file of readdirSync(folder)
      .filter((name) => name.endsWith('.sql'))
      .sort())
      parts.set(file.slice(0, -4), statementsOf(readFileSync(join(folder, file), 'utf8')));
    filed.set(owner, parts);
  }
  return filed;
}

/** drizzle-kit's new migrations, not filed yet: tag → statements. */
function unfiledMigrations(): Map<string, string[]> {
  const unfiled = new Map<string, string[]>();
  for (const file of readdirSync(drizzleFolder)
    .filter((name) => name.endsWith('.sql'))
    .sort())
    unfiled.set(file.slice(0, -4), statementsOf(readFileSync(join(drizzleFolder, file), 'utf8')));
  return unfiled;
}

/** A copy of the history that a migration's statements can add to without touching the one before it. */
function copyOf(history: History): History {
  return {
    indexes: new Map(history.indexes),
    triggers: new Map(history.triggers),
    created: new Map(history.created),
    lastWrite: new Map(history.lastWrite),
  };
}

/** Notes what a statement of `owner`'s part of `tag` did. */
function record(history: History, effects: Effects, owner: string, tag: string): void {
  if (effects.index) history.indexes.set(effects.index.name, effects.index.table);
  if (effects.trigger) history.triggers.set(effects.trigger, owner);
  for (const table of effects.writes) {
    if (!history.created.has(table)) history.created.set(table, owner);
    history.lastWrite.set(table, `${owner}/${tag}`);
  }
}

/**
 * Splits one unfiled migration by owner: each statement goes to the owner of the tables it changes; one that changes
 * no table (a PRAGMA) goes with the statement after it, or, when it turns something back on or comes last, with the
 * statement before.
 */
function splitMigration(tag: string, statements: readonly string[], owners: Map<string, string>, before: History, known: Known) {
  const history = copyOf(before);
  const ownerOf = statements.map((statement, i) => {
    const where = `drizzle/${tag}.sql, statement ${i + 1}`;
    const effects = effectsOf(statement, history, known, where);
    const found = new Set([
      ...effects.writes.map((table) => ownerOfTable(table, owners, history, where)),
      ...(effects.owner ? [effects.owner] : []),
    ]);
    if (found.size > 1) throw new Error(`${where} changes tables of ${[...found].join(' and ')}: split it into one statement per owner`);
    const owner = [...found][0];
    // A later statement of the same migration may drop what this one created.
    if (owner !== undefined) record(history, effects, owner, tag);
    return owner;
  });
  // drizzle-kit brackets a table it rebuilds with PRAGMA foreign_keys=OFF and =ON: each stays with the rebuild.
  const closing = (statement: string) => /^PRAGMA \w+\s*=\s*(?:ON|1|true)\b/i.test(bareSql(statement));
  for (let i = 1; i < ownerOf.length; i++) if (ownerOf[i] === undefined && closing(statements[i]!)) ownerOf[i] = ownerOf[i - 1];
  for (let i = ownerOf.length - 1; i >= 0; i--) ownerOf[i] ??= ownerOf[i + 1];
  for (let i = 0; i < ownerOf.length; i++) ownerOf[i] ??= ownerOf[i - 1];
  if (ownerOf[0] === undefined) throw new Error(`drizzle/${tag}.sql changes no table`);
  const parts = new Map<string, string[]>();
  statements.forEach((statement, i) => parts.set(ownerOf[i]!, [...(parts.get(ownerOf[i]!) ?? []), statement]));
  return parts;
}

/**
 * The other owners' migrations each part of one tag reads tables of (for each table, the latest part of its owner
 * that changed it: in this tag, or before), and the history after the tag. Refuses a read of a table no migration has
 * created.
 */
function dependenciesOf(parts: readonly OwnedPart[], before: History, known: Known): History {
  const history = copyOf(before);
  const effects = parts.map((part) =>
    part.statements.map((statement, i) => {
      const found = effectsOf(statement, history, known, `${part.owner}/migrations/${part.tag}.sql, statement ${i + 1}`);
      record(history, found, part.owner, part.tag);
      return found;
    }),
  );
  const writers = new Map<string, string>();
  effects.forEach((list, i) => list.forEach((found) => found.writes.forEach((table) => writers.set(table, parts[i]!.owner))));
  parts.forEach((part, i) => {
    const needs = new Set<string>();
    for (const [n, found] of effects[i]!.entries()) {
      for (const table of found.reads) {
        const writer = writers.get(table);
        const needed = writer !== undefined ? `${writer}/${part.tag}` : before.lastWrite.get(table);
        if (needed === undefined)
          throw new Error(
            `${part.owner}/migrations/${part.tag}.sql, statement ${n + 1} reads ${table}, which no earlier migration creates`,
          );
        if (!needed.startsWith(`${part.owner}/`)) needs.add(needed);
      }
    }
    const tagOf = (need: string) => need.slice(need.lastIndexOf('/') + 1);
    part.dependsOn = [...needs].sort((a, b) => tagOf(a).localeCompare(tagOf(b)) || a.localeCompare(b));
  });
  return history;
}

/** Whether a name is a table of the store. */
type Known = (name: string) => boolean;

/** Every table some migration creates. */
function createdTables(statements: readonly string[]): Set<string> {
  const created = new Set<string>();
  for (const statement of statements) {
    const table = /^CREATE (?:VIRTUAL )?TABLE (?:IF NOT EXISTS )?(\w+)/i.exec(bareSql(statement))?.[1];
    if (table !== undefined) created.add(table);
  }
  return created;
}

/** Every migration of the journal, split by owner, each part with what it depends on. */
function splitAll(): { parts: OwnedPart[]; filedNow: string[] } {
  const owners = tableOwners();
  const tags = journalTags();
  const filed = filedParts();
  const unfiled = unfiledMigrations();
  for (const tag of unfiled.keys()) if (!tags.includes(tag)) throw new Error(`drizzle/${tag}.sql is not in drizzle/meta/_journal.json`);
  for (const [owner, parts] of filed)
    for (const tag of parts.keys())
      if (!tags.includes(tag)) throw new Error(`${owner}/migrations/${tag}.sql is not in drizzle/meta/_journal.json`);
  const created = createdTables([...[...filed.values()].flatMap((parts) => [...parts.values()]), ...unfiled.values()].flat());
  const known: Known = (name) => owners.has(name) || created.has(name);
  let history: History = { indexes: new Map(), triggers: new Map(), created: new Map(), lastWrite: new Map() };
  const all: OwnedPart[] = [];
  for (const tag of tags) {
    const filedHere = new Map([...filed].flatMap(([owner, parts]) => (parts.has(tag) ? [[owner, parts.get(tag)!] as const] : [])));
    if (unfiled.has(tag) && filedHere.size > 0)
      throw new Error(`drizzle/${tag}.sql is filed already (in ${[...filedHere.keys()].join(', ')})`);
    const byOwner = unfiled.has(tag) ? splitMigration(tag, unfiled.get(tag)!, owners, history, known) : filedHere;
    if (byOwner.size === 0)
      throw new Error(`journal entry ${tag} has no SQL: neither drizzle/${tag}.sql nor any owner's migrations/${tag}.sql`);
    const parts = orderMigrations([...byOwner].map(([owner, statements]) => ({ tag, owner, statements }))).map(
      (part): OwnedPart => ({ ...part, statements: [...part.statements], dependsOn: [] }),
    );
    history = dependenciesOf(parts, history, known);
    checkOrder(parts);
    all.push(...parts);
  }
  return { parts: all, filedNow: [...unfiled.keys()] };
}

/** Refuses a part that reads what a part of the same tag writes but runs after it (the order is orderMigrations'). */
function checkOrder(parts: readonly OwnedPart[]): void {
  parts.forEach((part, i) => {
    for (const need of part.dependsOn) {
      const at = parts.findIndex((other) => need === `${other.owner}/${other.tag}`);
      if (at > i) {
        throw new Error(
          `${part.tag}: the part of ${part.owner} reads tables ${parts[at]!.owner}'s part of the same migration changes, but runs first (records, then services, then features, each by name): give one of them a migration of its own`,
        );
      }
    }
  });
}

/** The generated migrations/index.ts of an owner. */
function indexText(owner: string, parts: readonly OwnedPart[]): string {
  const kernel = relative(migrationsFolder(owner), join(core, 'kernel/store/migrate.js'));
  const lines = parts.map((part) => `  { tag: '${part.tag}', owner: '${owner}', statements: ${JSON.stringify(part.statements)} },`);
  return [
    `// Generated by scripts/split-migrations.ts from the .sql files of this folder (pnpm --filter @teamstate/core db:generate): do not edit.`,
    '// biome-ignore-all format: one migration a line, as generated',
    `import type { MigrationPart } from '${kernel}';`,
    '',
    `/** The migrations of the tables ${owner} owns: its part of each journal entry that touches them, in journal order. */`,
    'export const migrations: readonly MigrationPart[] = [',
    ...lines,
    '];',
    '',
  ].join('\n');
}

function main(): void {
  const { parts, filedNow } = splitAll();
  const owners = [...new Set(parts.map((part) => part.owner))];
  for (const owner of owners) {
    const folder = migrationsFolder(owner);
    mkdirSync(folder, { recursive: true });
    const own = parts.filter((part) => part.owner === owner);
    for (const part of own) {
      const file = join(folder, `${part.tag}.sql`);
      if (!existsSync(file) || readFileSync(file, 'utf8') !== partText(part)) writeFileSync(file, partText(part));
    }
    const index = join(folder, 'index.ts');
    if (!existsSync(index) || readFileSync(index, 'utf8') !== indexText(owner, own)) writeFileSync(index, indexText(owner, own));
  }
  for (const tag of filedNow) rmSync(join(drizzleFolder, `${tag}.sql`));
  console.log(
    `filed ${filedNow.length} new migration(s); ${owners.length} owners, ${parts.length} parts: ${owners.map((owner) => `${owner} ${parts.filter((p) => p.owner === owner).length}`).join(', ')}`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (error) {
    console.error(`split-migrations: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
