// The indexes of pull_request_deployments and deployments (about 50 MB of the large demo, more than their rows): each
// one kept must be one a read needs. Found with the query planner (EXPLAIN QUERY PLAN, not timing): every statement of
// the reads that touch them (every metric for the organisation, a team, a repository and a person; every detector;
// the incident briefs; the overview; the deployments list; and the statements that build the derived delivery rows,
// written in the store's write transactions) is planned on the demo workspace, and every index of those tables is in
// one of their plans, named by a trigger or named by an INDEXED BY of a reader. The plans are the same on this small
// workspace as on a large one: no table has planner statistics (no ANALYZE).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoBundle } from '@teamstate/connectors/demo';
import { createTeamState, type SignalContext, type TeamState } from '@teamstate/core';
import { createStoreReader } from '@teamstate/core/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinMetrics, builtinSignals } from '../src/index.js';
import { planOf, statementsOf } from './helpers/query-plans.js';
import { recordWritesWithArgs } from './helpers/record-writes.js';

const TABLES = ['pull_request_deployments', 'deployments'];
const ALL_TIME = { from: '2000-01-01T00:00:00Z', to: '2026-11-21T00:00:00Z' };
const NINETY_DAYS = { from: '2026-08-23T00:00:00Z', to: '2026-11-21T00:00:00Z' };

let ts: TeamState;
let statements: [string, unknown][] = [];

/** Every `INDEXED BY <name>` in the sources of core and metrics (readers that name the index they need). */
function indexedBy(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !path.includes(`${join('records', 'migrations')}`))
        for (const [, name] of readFileSync(path, 'utf8').matchAll(/INDEXED BY (\w+)/g)) names.add(name!);
    }
  };
  for (const pkg of ['core', 'metrics']) walk(join(import.meta.dirname, '..', '..', pkg, 'src'));
  return names;
}

beforeAll(async () => {
  const now = new Date('2026-11-21T10:00:00Z');
  ts = await createTeamState({ database: ':memory:', clock: () => now, metrics: builtinMetrics });
  const bundle = demoBundle({ now });
  await ts.import(bundle);
  const team = bundle.teams[0]!.id;
  const repository = bundle.repositories[0]!.id;
  const person = bundle.people[0]!.id;
  const ids = builtinMetrics.map((m) => m.id);
  const ctx = (defaults: object | undefined): SignalContext => ({
    workspace: ts.workspace,
    now: ts.now(),
    settings: () => ({ ...defaults }),
    workingHours: { start: 9, end: 17, days: [1, 2, 3, 4, 5], timeZone: 'UTC' },
  });
  // The statements of the store's write transactions too: the derived delivery rows are built in them.
  let read: Awaited<ReturnType<typeof statementsOf>> = [];
  const written = await recordWritesWithArgs(ts, async () => {
    read = await statementsOf(ts.store, async () => {
      for (const id of ids) await ts.metrics.compute([id], ALL_TIME);
      for (const id of ids) await ts.metrics.compute([id], { ...NINETY_DAYS, team });
      for (const id of ids) await ts.metrics.compute([id], { ...NINETY_DAYS, repository });
      for (const id of ids) await ts.metrics.compute([id], { ...NINETY_DAYS, person });
      for (const detector of builtinSignals) await detector.detect(createStoreReader(ts.store, ts.workspace), ctx(detector.defaults));
      for (const incident of (await ts.incidents.summaries({})).slice(0, 20)) await ts.incidents.brief(incident.id);
      await ts.overview();
      await ts.overview({ team });
      await ts.deployments.list({});
      await ts.deployments.list({ team });
    });
  });
  statements = [...read, ...written]
    .filter(([text]) => typeof text === 'string')
    .map(([text, args]): [string, unknown] => [String(text), args ?? []]);
}, 180_000);
afterAll(() => ts.close());

describe('storage diet: pull_request_deployments and deployments', () => {
  it('keeps no index that neither a plan, a trigger nor an INDEXED BY of a reader needs', async () => {
    const used = new Set<string>();
    for (const [text, args] of statements) {
      if (!TABLES.some((table) => text.includes(table))) continue;
      try {
        for (const row of await planOf(ts.store, text, args)) for (const [, name] of row.detail.matchAll(/ INDEX (\w+)/g)) used.add(name!);
      } catch {
        // A statement that needs its transaction's temporary tables: planned there, not here.
      }
    }
    const { rows } = await ts.store.execute(
      `SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${TABLES.map(() => '?').join(', ')})`,
      TABLES,
    );
    const triggers = (await ts.store.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger'")).rows.map((row) => String(row.sql));
    const named = indexedBy();
    const unneeded = rows
      .map((row) => String(row.name))
      .filter((name) => !used.has(name) && !named.has(name) && !triggers.some((sql) => sql.includes(name)))
      .sort();
    expect(unneeded).toEqual([]);
  });

  it('keeps no full index that another holds (a leading part of it) or that seeks one row as the primary key does', async () => {
    const columnsOf = async (index: string) =>
      (await ts.store.execute(`SELECT name FROM pragma_index_info('${index}') ORDER BY seqno`)).rows.map((r) => String(r.name)).join(',');
    const redundant: string[] = [];
    for (const table of TABLES) {
      const key = (await ts.store.execute(`SELECT name FROM pragma_table_info('${table}') WHERE pk > 0 ORDER BY pk`)).rows
        .map((r) => String(r.name))
        .join(',');
      const { rows } = await ts.store.execute(`SELECT name, partial FROM pragma_index_list('${table}') WHERE origin = 'c'`);
      const all = await Promise.all(
        rows.map(async (r) => ({ name: String(r.name), partial: Number(r.partial), columns: await columnsOf(String(r.name)) })),
      );
      for (const index of all.filter((i) => i.partial === 0)) {
        const prefixOf = all.find((other) => other !== index && other.partial === 0 && other.columns.startsWith(`${index.columns},`));
        if (prefixOf) redundant.push(`${index.name} (a leading part of ${prefixOf.name})`);
        if (`${index.columns},`.startsWith(`${key},`)) redundant.push(`${index.name} (the primary key's row)`);
      }
    }
    expect(redundant).toEqual([]);
  });
});
