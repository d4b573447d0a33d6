import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { statementsOf } from '../../../scripts/split-migrations.js';
import { afterOpenCount } from '../src/kernel/store/backfills.js';
import type { MigrationPart } from '../src/kernel/store/migrate.js';
import { migrations } from '../src/migrations.js';
import { orderMigrations } from '../src/order-migrations.js';
import { core, folderOf, schemaFiles, tableOwners, WRITE } from './helpers/table-owners.js';

// Each folder that owns tables keeps its part of every migration in its migrations/ folder (scripts/split-migrations.ts
// files drizzle-kit's SQL there); src/migrations.ts merges them in the order the store applies them.

const drizzle = join(core, '../drizzle');
const journalTags = (JSON.parse(readFileSync(join(drizzle, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] }).entries.map(
  (entry) => entry.tag,
);
const owners = schemaFiles()
  .map(folderOf)
  .filter((owner) => existsSync(join(core, owner, 'migrations')));
const sqlFiles = (owner: string) =>
  readdirSync(join(core, owner, 'migrations'))
    .filter((file) => file.endsWith('.sql'))
    .sort();
const tagsOf = (parts: readonly MigrationPart[]) => [...new Set(parts.map((part) => part.tag))];

describe('migrations', () => {
  it("keeps drizzle-kit's journal in drizzle/ and every statement in the folder that owns its tables", () => {
    expect(readdirSync(drizzle).filter((file) => file.endsWith('.sql'))).toEqual([]);
    expect(owners).toEqual(schemaFiles().map(folderOf));
  });

  it("embeds each folder's .sql files in its migrations/index.ts (run `pnpm --filter @teamstate/core db:generate` after a schema change)", async () => {
    for (const owner of owners) {
      const { migrations: embedded } = (await import(join(core, owner, 'migrations/index.ts'))) as { migrations: MigrationPart[] };
      const files = sqlFiles(owner).map((file) => ({
        tag: file.slice(0, -'.sql'.length),
        owner,
        statements: statementsOf(readFileSync(join(core, owner, 'migrations', file), 'utf8')),
      }));
      expect(embedded).toEqual(files);
    }
  });

  it("applies every folder's migrations, by journal tag; within a tag records, then services, then features", async () => {
    const parts: MigrationPart[] = [];
    for (const owner of owners)
      parts.push(...((await import(join(core, owner, 'migrations/index.ts'))) as { migrations: MigrationPart[] }).migrations);
    expect(migrations).toEqual(orderMigrations(parts));
    expect(tagsOf(migrations)).toEqual(journalTags);
    const layer = (owner: string) => ['records', 'services', 'features'].indexOf(owner.split('/')[0]!);
    for (const tag of journalTags) {
      const within = migrations.filter((part) => part.tag === tag).map((part) => part.owner);
      expect(within).toEqual([...within].sort((a, b) => layer(a) - layer(b) || a.localeCompare(b)));
    }
  });

  it('runs each part after the migrations its first line says it depends on', () => {
    const at = new Map(migrations.map((part, i) => [`${part.owner}/${part.tag}`, i]));
    const problems: string[] = [];
    for (const owner of owners) {
      for (const file of sqlFiles(owner)) {
        const header = /^-- depends on: (.*)$/m.exec(readFileSync(join(core, owner, 'migrations', file), 'utf8').split('\n')[0]!);
        const self = at.get(`${owner}/${file.slice(0, -'.sql'.length)}`)!;
        for (const needed of header?.[1]?.split(', ') ?? []) {
          if (!((at.get(needed) ?? Number.POSITIVE_INFINITY) < self)) problems.push(`${owner}/migrations/${file} runs before ${needed}`);
          if (needed.startsWith(`${owner}/`)) problems.push(`${owner}/migrations/${file} names its own folder's ${needed}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('gives each folder statements on its own tables only (a trigger goes with the table it writes)', () => {
    const owned = tableOwners();
    const indexes = new Map<string, string>();
    const triggers = new Map<string, string>();
    const problems: string[] = [];
    for (const part of migrations) {
      for (const statement of part.statements) {
        const sql = statement
          .replace(/--[^\n]*/g, '')
          .replace(/[`"]/g, '')
          .replace(/\s+/g, ' ')
          .trim();
        const check = (owner: string | undefined, what: string) => {
          if (owner !== part.owner) problems.push(`${part.owner}/migrations/${part.tag}.sql: ${what}, ${owner ?? 'which no folder'} owns`);
        };
        const ownerOf = (table: string) => owned.get(table.replace(/^__new_/, ''));
        const ddl = /^(?:CREATE (?:VIRTUAL )?TABLE (?:IF NOT EXISTS )?|ALTER TABLE |DROP TABLE (?:IF EXISTS )?)(\w+)/i.exec(sql);
        const index = /^CREATE (?:UNIQUE )?INDEX (?:IF NOT EXISTS )?(\w+) ON (\w+)/i.exec(sql);
        const trigger = /^CREATE TRIGGER (?:IF NOT EXISTS )?(\w+)/i.exec(sql);
        const dropped = /^DROP (INDEX|TRIGGER) (?:IF EXISTS )?(\w+)/i.exec(sql);
        if (ddl) check(ownerOf(ddl[1]!), `${sql.split(' (')[0]}`);
        else if (index) {
          check(ownerOf(index[2]!), `index ${index[1]} on ${index[2]}`);
          indexes.set(index[1]!, part.owner);
        } else if (dropped) check((dropped[1] === 'INDEX' ? indexes : triggers).get(dropped[2]!), `DROP ${dropped[1]} ${dropped[2]}`);
        else if (trigger) triggers.set(trigger[1]!, part.owner);
        // The rows it writes: a statement's own, or a trigger's.
        for (const [write, table, set] of sql.matchAll(WRITE))
          if (!write.startsWith('UPDATE') || set !== undefined) check(ownerOf(table!), `writes ${table}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('index builds and drops of an upgrade', () => {
  // The first open of a large database after an upgrade answers within seconds. Building an index over a table an
  // earlier migration created reads all of the table, and dropping one reads all of the index's pages: from 0065 on
  // both run after the open (`-- after open:`), never inside the migration's transaction (0066's two builds held the
  // first open of a 10,000-engineer file for 5.6 s, 0071's drop of transitions_item_idx for 7.5 s).
  it('runs every index build and drop over an existing table after the first open', () => {
    const created = new Map<string, string>();
    const indexed = new Map<string, string>();
    const inside: string[] = [];
    for (const part of migrations)
      for (const statement of part.statements) {
        for (const [, table] of statement.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?`(\w+)`/g))
          if (!created.has(table!)) created.set(table!, part.tag);
        for (const [, index, table] of statement.matchAll(/CREATE (?:UNIQUE )?INDEX (?:IF NOT EXISTS )?`(\w+)` ON `(\w+)`/g))
          indexed.set(index!, table!);
        if (part.tag < '0065' || afterOpenCount(statement) !== undefined) continue;
        for (const [, table] of statement.matchAll(/CREATE (?:UNIQUE )?INDEX [^;]*? ON `(\w+)`/g))
          if (created.get(table!) !== part.tag) inside.push(`${part.tag}: builds an index on ${table}`);
        for (const [, index] of statement.matchAll(/DROP INDEX (?:IF EXISTS )?`(\w+)`/g))
          if (created.get(indexed.get(index!) ?? '') !== part.tag) inside.push(`${part.tag}: drops ${index}`);
      }
    expect(indexed.get('transitions_item_idx')).toBe('transitions');
    expect(inside).toEqual([]);
  });
});

describe('orderMigrations', () => {
  const part = (tag: string, owner: string): MigrationPart => ({ tag, owner, statements: [`-- ${owner} ${tag}`] });

  it('orders by the journal index, then records, services and features, each by name', () => {
    const parts = [
      part('0010_b', 'features/zeta'),
      part('0002_a', 'features/alpha'),
      part('0010_b', 'records'),
      part('0010_b', 'features/alpha'),
      part('0010_b', 'services/audit'),
      part('0002_a', 'records'),
    ];
    expect(orderMigrations(parts).map((p) => `${p.tag} ${p.owner}`)).toEqual([
      '0002_a records',
      '0002_a features/alpha',
      '0010_b records',
      '0010_b services/audit',
      '0010_b features/alpha',
      '0010_b features/zeta',
    ]);
  });

  it('refuses a part given twice, an owner of no layer, and two tags of one index', () => {
    expect(() => orderMigrations([part('0001_a', 'records'), part('0001_a', 'records')])).toThrow(/records gives it twice/);
    expect(() => orderMigrations([part('0001_a', 'kernel')])).toThrow(/owner "kernel" is not records/);
    expect(() => orderMigrations([part('0001_a', 'records'), part('0001_b', 'features/x')])).toThrow(/share an index/);
  });
});
