// A large import into empty tables builds their read-side indexes after the rows, in the import's transaction: the
// indexes end exactly as declared and complete, the rows are those an import through the indexes writes, small imports
// and imports into filled tables keep the indexes in place, and a refused import leaves them as they were.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeamState, type TeamState } from '@teamstate/core';
import { RECORD_TABLES } from '@teamstate/core/store';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { DEFERRABLE_DERIVED, DEFERRABLE_INDEXES, WRITE_PATH_INDEXES } from '../src/records/store/bulk-indexes.js';

const dir = mkdtempSync(join(tmpdir(), 'teamstate-bulk-indexes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const clock = () => new Date('2026-03-20T00:00:00Z');
const open = (database = join(dir, `store-${++files}.db`), workspace = 'default') => createTeamState({ database, clock, workspace });

const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 3_600_000).toISOString();

/** Every bundle list a large import writes, each longer than an import chunk (1,000 elements) where it matters. */
function largeBundle(size = 1_100) {
  const people = Array.from({ length: 20 }, (_, i) => ({ id: `p${i}`, name: `Person ${i}`, teams: ['core'] }));
  const issues = Array.from({ length: size }, (_, i) => ({
    id: `CORE-${i}`,
    source: 'jira',
    kind: 'story',
    key: `CORE-${i}`,
    title: `Issue ${i}`,
    state: i % 3 === 0 ? 'Done' : 'In Progress',
    statusCategory: i % 3 === 0 ? 'done' : 'in_progress',
    team: 'core',
    author: `p${i % 20}`,
    assignees: [`p${(i + 1) % 20}`],
    createdAt: day(i),
    ...(i % 3 === 0 ? { resolvedAt: day(i + 30) } : {}),
    ...(i % 7 === 0 ? { dueAt: day(i + 50) } : {}),
    storyPoints: (i % 5) + 1,
    sprint: `s${i % 4}`,
    transitions: [
      { at: day(i + 1), from: 'To Do', to: 'In Progress', fromCategory: 'todo', toCategory: 'in_progress' },
      ...(i % 3 === 0 ? [{ at: day(i + 30), from: 'In Progress', to: 'Done', fromCategory: 'in_progress', toCategory: 'done' }] : []),
    ],
  }));
  const pullRequests = Array.from({ length: size }, (_, i) => ({
    id: `pr-${i}`,
    source: 'github',
    kind: 'pull_request',
    key: `acme/api#${i}`,
    title: i % 10 === 0 ? `Revert ${i}` : `Change ${i}`,
    // Some still open (none a deployment lists): their reviews are open_pr_reviews' rows.
    state: i % 8 === 1 ? 'open' : 'merged',
    repository: `acme/r${i % 5}`,
    author: `p${i % 20}`,
    createdAt: day(i),
    firstCommitAt: day(i - 2),
    ...(i % 8 === 1 ? {} : { mergedAt: day(i + 3) }),
    labels: i % 10 === 0 ? ['hotfix'] : [],
    reviews: [{ reviewer: `p${(i + 3) % 20}`, state: 'approved', submittedAt: day(i + 2) }],
  }));
  const deployments = Array.from({ length: size }, (_, i) => ({
    id: `dep-${i}`,
    repository: `acme/r${i % 5}`,
    environment: i % 4 === 0 ? 'staging' : 'production',
    status: i % 9 === 0 ? 'failure' : 'success',
    finishedAt: day(i + 4),
    ...(i % 2 === 0 ? { pullRequests: [`pr-${i}`] } : {}),
  }));
  return {
    format: 'teamstate.bundle/v1',
    teams: [{ id: 'core', name: 'Core' }],
    people,
    repositories: Array.from({ length: 5 }, (_, i) => ({ id: `acme/r${i}`, team: 'core' })),
    workItems: [...issues, ...pullRequests],
    sprints: Array.from({ length: 4 }, (_, i) => ({
      id: `s${i}`,
      name: `Sprint ${i}`,
      team: 'core',
      state: 'closed',
      startAt: day(i * 300),
      endAt: day(i * 300 + 300),
      completedAt: day(i * 300 + 300),
      committedItems: [`CORE-${i}`, `CORE-${i + 4}`],
    })),
    deployments,
    incidents: Array.from({ length: size }, (_, i) => ({
      id: `inc-${i}`,
      title: `Incident ${i}`,
      createdAt: day(i + 5),
      ...(i % 2 === 0 ? { resolvedAt: day(i + 6) } : {}),
      repository: `acme/r${i % 5}`,
      ...(i % 3 === 0 ? { deployment: `dep-${i}` } : {}),
    })),
    reports: Array.from({ length: size }, (_, i) => ({
      person: `p${i % 20}`,
      day: day(Math.floor(i / 20) * 24).slice(0, 10),
      text: `Day ${i}`,
      ...(i % 6 === 0 ? { blockers: 'waiting on review' } : {}),
      createdAt: day(Math.floor(i / 20) * 24 + 18),
    })),
  };
}

/** The statements the store's writes run while `run` does. */
async function recordWrites(ts: TeamState, run: () => Promise<unknown>): Promise<string[]> {
  const statements: string[] = [];
  const write = ts.store.write.bind(ts.store);
  const spy = vi.spyOn(ts.store, 'write').mockImplementation((fn, options) =>
    write(
      (tx) =>
        fn(
          new Proxy(tx, {
            get(target, property) {
              if (property !== 'execute') return Reflect.get(target, property, target);
              return (statement: Parameters<typeof target.execute>[0]) => {
                statements.push((typeof statement === 'string' ? statement : statement.sql).trim());
                return target.execute(statement);
              };
            },
          }),
        ),
      options,
    ),
  );
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return statements;
}

async function indexes(ts: TeamState): Promise<string[]> {
  const { rows } = await ts.store.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name");
  return rows.map((row) => `${String(row.name)}: ${String(row.sql)}`);
}

async function triggers(ts: TeamState): Promise<string[]> {
  const { rows } = await ts.store.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name");
  return rows.map((row) => `${String(row.name)}: ${String(row.sql)}`);
}

/** The rows of every record table in a workspace (generated report ids aside), the sprint totals and open PRs' reviews. */
async function snapshot(ts: TeamState, workspace: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of [...RECORD_TABLES, 'sprint_totals', 'open_pr_reviews']) {
    const { rows } = await ts.store.execute(`SELECT * FROM ${table} WHERE workspace = ?`, [workspace]);
    const comparable = rows.map(({ id, doc_id, workspace: _, ...rest }) => (table === 'reports' ? rest : { id, ...rest }));
    out[table] = comparable.map((row) => JSON.stringify(row)).sort();
  }
  return out;
}

const deferred = Object.values(DEFERRABLE_INDEXES).flat();
const isDrop = (text: string) => text.startsWith('DROP INDEX');
const isCreate = (text: string) => /^CREATE INDEX/.test(text);
const isUpsert = (text: string) => text.startsWith('INSERT INTO');

describe('a large import into empty tables', () => {
  it('classifies every secondary index of the bulk tables: built after the rows, or read by the write path', async () => {
    const ts = await open();
    const { rows } = await ts.store.execute(
      `SELECT name, tbl_name AS t FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'
        AND tbl_name IN (SELECT value FROM json_each(?)) ORDER BY name`,
      [JSON.stringify(Object.keys(DEFERRABLE_INDEXES))],
    );
    const declared = rows.map((row) => String(row.name));
    expect([...deferred, ...Object.keys(WRITE_PATH_INDEXES)].sort()).toEqual(declared);
    for (const row of rows) {
      const name = String(row.name);
      if (deferred.includes(name)) expect(DEFERRABLE_INDEXES[String(row.t)], name).toContain(name);
    }
    await ts.close();
  });

  it('drops the deferrable indexes at the first full chunk, builds them after the last row, and ends with them as declared', async () => {
    const ts = await open();
    const declared = await indexes(ts);
    const triggersBefore = await triggers(ts);
    const bundle = largeBundle();
    const written = await recordWrites(ts, () => ts.import(bundle));
    // The import's own writes, then (a bulk load of work items) the deployment mapping's first build, in the same
    // transaction: its table's indexes are built after its rows too (deployment-mapping-derived.test.ts).
    const mapping = written.findIndex((text) => text.startsWith('DELETE FROM pull_request_deployments'));
    expect(mapping).toBeGreaterThan(0);
    expect(
      written
        .slice(mapping)
        .filter(isCreate)
        .map((text) => text.match(/INDEX `(\w+)`/)?.[1]),
    ).toEqual(expect.arrayContaining(['pull_request_deployments_deployment_idx']));
    const statements = written.slice(0, mapping);
    const drops = statements.flatMap((text, i) => (isDrop(text) ? [i] : []));
    const creates = statements.flatMap((text, i) => (isCreate(text) ? [i] : []));
    expect(drops.map((i) => statements[i]!.match(/"(.+)"/)![1]).sort()).toEqual([...deferred].sort());
    expect(creates).toHaveLength(deferred.length);
    // The first upsert that needs a full chunk comes after the drops (the few teams and people before it may not).
    const firstWorkItems = statements.findIndex((text) => text.startsWith('INSERT INTO work_items'));
    expect(Math.max(...drops)).toBeLessThan(firstWorkItems);
    expect(Math.min(...creates)).toBeGreaterThan(statements.findLastIndex(isUpsert));
    expect(await indexes(ts)).toEqual(declared);
    // open_pr_reviews is filled after the rows, not by its triggers row by row: they are dropped with the indexes and
    // created again after the fill, before the indexes (open-pr-reviews-derived.test.ts checks the rows).
    for (const [table, count] of [['open_pr_reviews', 6]] as const) {
      const fill = statements.findIndex((text) => text.startsWith(`INSERT INTO ${table}`));
      const triggerDrops = statements.flatMap((text, i) => (text.startsWith(`DROP TRIGGER "${table}_`) ? [i] : []));
      const triggerCreates = statements.flatMap((text, i) => (text.startsWith(`CREATE TRIGGER \`${table}_`) ? [i] : []));
      expect([triggerDrops.length, triggerCreates.length], table).toEqual([count, count]);
      expect(Math.max(...triggerDrops)).toBeLessThan(firstWorkItems);
      expect(fill).toBeGreaterThan(statements.findLastIndex((text) => text.startsWith('INSERT INTO transitions')));
      expect(fill).toBeGreaterThan(statements.findLastIndex((text) => text.startsWith('INSERT INTO reviews')));
      expect(Math.min(...triggerCreates)).toBeGreaterThan(fill);
      expect(Math.max(...triggerCreates)).toBeLessThan(Math.min(...creates));
    }
    expect(await triggers(ts)).toEqual(triggersBefore);
    expect((await ts.store.execute('PRAGMA integrity_check')).rows.map((row) => row.integrity_check)).toEqual(['ok']);
    // integrity_check above compares every index, partial ones too, with its table's rows: each table has some.
    for (const table of new Set([...Object.keys(DEFERRABLE_INDEXES), ...Object.keys(DEFERRABLE_DERIVED)]))
      expect(Number((await ts.store.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n), table).toBeGreaterThan(0);
    await ts.close();
  });

  it('writes the same rows, sprint totals and activity as an import that goes through the indexes and triggers', async () => {
    const bundle = largeBundle();
    const fresh = await open();
    await fresh.import(bundle);
    // The same bundle into a store whose tables hold another workspace's rows: nothing is dropped there.
    const database = join(dir, 'filled.db');
    const other = await open(database, 'other');
    await other.import(largeBundle());
    await other.close();
    const filled = await open(database);
    const statements = await recordWrites(filled, () => filled.import(bundle));
    expect(statements.filter(isDrop)).toEqual([]);
    expect(await snapshot(fresh, 'default')).toEqual(await snapshot(filled, 'default'));
    await fresh.close();
    await filled.close();
  });

  it('leaves a new file compact: no free page, and no more pages than rebuilding it from its rows (VACUUM) would', async () => {
    const pages = async (ts: TeamState) => {
      const { rows } = await ts.store.execute(
        'SELECT page_count AS pages, freelist_count AS free FROM pragma_page_count, pragma_freelist_count',
      );
      return { pages: Number(rows[0]!.pages), free: Number(rows[0]!.free) };
    };
    for (const load of ['import', 'importFile'] as const) {
      const ts = await open();
      const bundle = largeBundle();
      const file = join(dir, `compact-${load}.json`);
      writeFileSync(file, JSON.stringify(bundle));
      await (load === 'import' ? ts.import(bundle) : ts.importFile(file));
      const imported = await pages(ts);
      expect(imported.free, load).toBe(0);
      await ts.store.execute('VACUUM');
      expect(imported.pages, load).toBe((await pages(ts)).pages);
      await ts.close();
    }
  });

  it('keeps the indexes in place for a small import and for an import into filled tables', async () => {
    const ts = await open();
    const small = largeBundle(30);
    expect((await recordWrites(ts, () => ts.import(small))).filter(isDrop)).toEqual([]);
    const large = largeBundle();
    expect((await recordWrites(ts, () => ts.import(large))).filter(isDrop)).toEqual([]);
    expect(Number((await ts.store.execute('SELECT count(*) AS n FROM work_items')).rows[0]!.n)).toBe(2_200);
    await ts.close();
  });

  it('keeps the indexes of a :memory: store in place (its one connection may hold an unfinished statement)', async () => {
    const ts = await createTeamState({ database: ':memory:', clock });
    const bundle = largeBundle();
    expect((await recordWrites(ts, () => ts.import(bundle))).filter(isDrop)).toEqual([]);
    expect(Number((await ts.store.execute('SELECT count(*) AS n FROM work_items')).rows[0]!.n)).toBe(2_200);
    await ts.close();
  });

  it('leaves the indexes and the store as they were when the import is refused after the drops', async () => {
    const ts = await open();
    const declared = await indexes(ts);
    const bundle = largeBundle();
    // A reference to nothing, met after every list was written: refused at the end, after the indexes were dropped.
    bundle.incidents.push({ id: 'inc-x', title: 'x', createdAt: day(1), repository: 'acme/r0', deployment: 'dep-missing' });
    const file = join(dir, 'refused.json');
    writeFileSync(file, JSON.stringify(bundle));
    const triggersBefore = await triggers(ts);
    const statements = await recordWrites(ts, () => expect(ts.importFile(file)).rejects.toThrow(/dep-missing/));
    expect(statements.filter(isDrop).length).toBe(deferred.length);
    expect(statements.filter((text) => text.startsWith('DROP TRIGGER')).length).toBe(6);
    expect(await indexes(ts)).toEqual(declared);
    expect(await triggers(ts)).toEqual(triggersBefore);
    for (const table of RECORD_TABLES)
      expect(Number((await ts.store.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n), table).toBe(0);
    await ts.close();
  });
});
