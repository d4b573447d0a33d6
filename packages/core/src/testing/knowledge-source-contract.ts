import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { knowledgeSourceKindSchema } from '../kernel/model/common.js';
import { openStore } from '../kernel/store/open-store.js';
import { migrations } from '../migrations.js';
import type { KnowledgeSource, KnownKnowledgeDocument } from '../spec/knowledge-source.js';
import { createTeamState, type TeamState } from '../team-state.js';

/** What one source's sync did (`ts.knowledge.sync()`'s `sources[n]`). */
type KnowledgeSourceResult = Awaited<ReturnType<TeamState['knowledge']['sync']>>['sources'][number];

/** Options of {@link knowledgeSourceContract}. */
export interface KnowledgeSourceContractOptions {
  /** Shown in the suite's title. */
  name: string;
  /** A fresh source over the upstream (each check syncs into a new workspace). */
  create: () => KnowledgeSource | Promise<KnowledgeSource>;
  /** Runs once before the suite (start a fake upstream) and once after it. */
  setup?: () => unknown | Promise<unknown>;
  teardown?: () => unknown | Promise<unknown>;
  /** Puts the upstream back to its first corpus (two documents or more); runs before each check. */
  reset: () => unknown | Promise<unknown>;
  /** Changes the text of exactly one document upstream. */
  change: () => unknown | Promise<unknown>;
  /** Deletes exactly one document upstream. */
  remove: () => unknown | Promise<unknown>;
  /** Makes the upstream fail as a whole (unreachable, a configured folder gone) until the next `reset`. */
  fail: () => unknown | Promise<unknown>;
}

/** What the index holds, bookkeeping included (`indexed_at`, chunk ids), so any write shows. */
async function indexSnapshot(database: string): Promise<string> {
  const store = await openStore({ database: `file:${database}`, migrations });
  try {
    const read = async (sql: string) => (await store.execute(sql)).rows.map((row) => Object.values(row));
    return JSON.stringify([
      await read('SELECT * FROM knowledge_documents ORDER BY id'),
      await read('SELECT * FROM knowledge_chunks ORDER BY document_id, position'),
      await read('SELECT * FROM knowledge_codeowners ORDER BY id'),
    ]);
  } finally {
    await store.close();
  }
}

/**
 * The conformance suite every knowledge source runs (local folders, GitHub repositories, Confluence spaces, yours),
 * against a fake upstream the options drive: the first sync indexes every document; `known()` gives back what was
 * indexed; a re-sync of an unchanged upstream writes nothing (not even bookkeeping); one changed document is
 * rewritten alone; a deleted one leaves the index; a sync that fails removes nothing.
 *
 * @example
 * import { knowledgeSourceContract } from '@teamstate/core/testing'
 * knowledgeSourceContract({ name: 'wiki', create: () => wiki({ url: fake.url }), reset: () => fake.reset(),
 *   change: () => fake.edit('page-1'), remove: () => fake.delete('page-2'), fail: () => fake.down() })
 */
export function knowledgeSourceContract(options: KnowledgeSourceContractOptions): void {
  let now = Date.parse('2026-03-18T10:00:00Z');
  const open: TeamState[] = [];
  let folder: string;
  let count = 0;
  // A workspace on a new database file with the source; the clock moves, so a needless write would show.
  async function workspace(source?: KnowledgeSource): Promise<{ ts: TeamState; database: string }> {
    const database = join(folder, `knowledge-${++count}.db`);
    const ts = await createTeamState({
      database,
      clock: () => {
        now += 1000;
        return new Date(now);
      },
      knowledge: { sources: [source ?? (await options.create())] },
    });
    open.push(ts);
    return { ts, database };
  }
  const syncOne = async (ts: TeamState): Promise<KnowledgeSourceResult> => {
    const result = await ts.knowledge.sync();
    expect(result.sources).toHaveLength(1);
    return result.sources[0]!;
  };

  describe(`knowledge source contract: ${options.name}`, () => {
    beforeAll(async () => {
      folder = mkdtempSync(join(tmpdir(), 'teamstate-knowledge-contract-'));
      await options.setup?.();
    });
    beforeEach(async () => {
      await options.reset();
    });
    afterEach(async () => {
      for (const ts of open.splice(0)) await ts.close();
    });
    afterAll(async () => {
      rmSync(folder, { recursive: true, force: true });
      await options.teardown?.();
    });

    it('is a v1 source with an id and a well-formed kind (built-in or its own)', async () => {
      const source = await options.create();
      expect(source.specificationVersion).toBe('v1');
      expect(source.id).toMatch(/^[A-Za-z0-9][A-Za-z0-9:_.-]*$/);
      expect(knowledgeSourceKindSchema.safeParse(source.source).error?.issues[0]?.message, 'source').toBeUndefined();
    });

    it('indexes every document on the first sync, and known() gives them back with their versions', async () => {
      const real = await options.create();
      let seen: ReadonlyMap<string, KnownKnowledgeDocument> | undefined;
      const watching: KnowledgeSource = {
        ...real,
        sync: (ctx) =>
          real.sync({
            ...ctx,
            known: async () => {
              seen = await ctx.known();
              return seen;
            },
          }),
      };
      const { ts, database } = await workspace(watching);
      const first = await syncOne(ts);
      expect(first, JSON.stringify(first)).toMatchObject({ status: 'succeeded', updated: 0, removed: 0 });
      expect(first.added).toBeGreaterThanOrEqual(2);
      const [documents] = JSON.parse(await indexSnapshot(database)) as unknown[][];
      expect(documents).toHaveLength(first.added);
      // A source that reads known() is told, on the next sync, exactly what it indexed.
      seen = undefined;
      await syncOne(ts);
      if (seen !== undefined) {
        const uris = [...(seen as ReadonlyMap<string, KnownKnowledgeDocument>).values()].map((known) => known.uri);
        expect(uris.length).toBeGreaterThanOrEqual(first.added);
        for (const known of (seen as ReadonlyMap<string, KnownKnowledgeDocument>).values()) {
          expect(known.version).not.toBe('');
          expect(known.contentHash).toMatch(/^[0-9a-f]{64}$/);
        }
      }
    });

    it('writes nothing when re-syncing an unchanged upstream', async () => {
      const { ts, database } = await workspace();
      const first = await syncOne(ts);
      const before = await indexSnapshot(database);
      const again = await syncOne(ts);
      expect(again, JSON.stringify(again)).toMatchObject({ status: 'succeeded', added: 0, updated: 0, removed: 0, chunks: 0 });
      expect(again.unchanged).toBe(first.added);
      expect(await indexSnapshot(database)).toBe(before);
    });

    it('rewrites one changed document alone', async () => {
      const { ts } = await workspace();
      const first = await syncOne(ts);
      await options.change();
      const changed = await syncOne(ts);
      expect(changed, JSON.stringify(changed)).toMatchObject({ status: 'succeeded', added: 0, updated: 1, removed: 0 });
      expect(changed.unchanged).toBe(first.added - 1);
      expect(changed.chunks).toBeGreaterThan(0);
    });

    it('removes a deleted document, with its passages', async () => {
      const { ts, database } = await workspace();
      const first = await syncOne(ts);
      await options.remove();
      const removed = await syncOne(ts);
      expect(removed, JSON.stringify(removed)).toMatchObject({ status: 'succeeded', added: 0, updated: 0, removed: 1 });
      const [documents, chunks] = JSON.parse(await indexSnapshot(database)) as unknown[][][];
      expect(documents).toHaveLength(first.added - 1);
      const ids = new Set(documents!.map((row) => row[1]));
      expect(chunks!.every((row) => ids.has(row[1]))).toBe(true);
    });

    it('removes nothing (and writes nothing) when a sync fails', async () => {
      const { ts, database } = await workspace();
      await syncOne(ts);
      const before = await indexSnapshot(database);
      await options.fail();
      const failed = await syncOne(ts);
      expect(failed.status, JSON.stringify(failed)).toBe('failed');
      expect(failed.error?.message).toBeTruthy();
      expect(failed.removed).toBe(0);
      expect(await indexSnapshot(database)).toBe(before);
      // And the next good sync finds the index as it was.
      await options.reset();
      const recovered = await syncOne(ts);
      expect(recovered).toMatchObject({ status: 'succeeded', added: 0, updated: 0, removed: 0 });
    });
  });
}
