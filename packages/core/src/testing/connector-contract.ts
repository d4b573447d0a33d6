import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleInput } from '../bundle.js';
import { providerSchema } from '../kernel/model/common.js';
import { columns, text } from '../kernel/store/row-decoder.js';
import type { Connector } from '../spec/connector.js';
import type { WebhookRequest } from '../spec/webhook.js';
import { createTeamState, type TeamState } from '../team-state.js';

/** Options of {@link connectorContract}. */
export interface ConnectorContractOptions {
  /** Shown in the suite's title. */
  name: string;
  /** A fresh connector (each check syncs into a new in-memory workspace). */
  create: () => Connector | Promise<Connector>;
  /** Runs once before the suite (start a fake upstream) and once after it. */
  setup?: () => unknown | Promise<unknown>;
  teardown?: () => unknown | Promise<unknown>;
  /** Records imported before each sync (teams and repositories a connector's records refer to). */
  bundle?: Omit<BundleInput, 'format'>;
  /** The injected clock (default a fixed instant, so runs compare exactly). */
  clock?: () => Date;
  /** When the connector receives webhooks: a correctly signed delivery, and the same delivery with a bad signature. */
  webhooks?: { signed(): WebhookRequest | Promise<WebhookRequest>; badlySigned(): WebhookRequest | Promise<WebhookRequest> };
  /** When it has actions: params that validate and params that do not (the message must name `invalidField`). */
  actions?: { type: string; target: string; invalid: Record<string, unknown>; invalidField: string }[];
}

const FIXED = new Date('2026-03-18T10:00:00Z');

/**
 * The conformance suite every connector runs, the built-in ones and a third party's alike, in the author's own
 * vitest: the first sync stores records; a second sync changes nothing; a crash in the middle of a sync resumes
 * with nothing lost or duplicated; every account it syncs is at a provider it declares in `providers`; cancellation stops at a batch boundary and a later sync completes the data;
 * with webhooks, a bad signature is refused and a redelivery is a no-op; with actions, bad params are refused
 * naming the field.
 *
 * @example
 * import { connectorContract } from '@teamstate/core/testing'
 * connectorContract({ name: 'my-tracker', create: () => myTracker({ url: fake.url }), setup: () => fake.start(), teardown: () => fake.stop() })
 */
export function connectorContract(options: ConnectorContractOptions): void {
  const clock = options.clock ?? (() => FIXED);
  const open: TeamState[] = [];
  const folders: string[] = [];
  const folder = () => {
    const path = mkdtempSync(join(tmpdir(), 'teamstate-contract-'));
    folders.push(path);
    return path;
  };
  // A workspace with the connector (a fresh in-memory one, or a file another instance opened before).
  async function workspace(connector?: Connector, database = ':memory:', state: { imported?: boolean } = {}): Promise<TeamState> {
    const ts = await createTeamState({ database, connectors: [connector ?? (await options.create())], clock });
    open.push(ts);
    if (options.bundle && !state.imported) await ts.import({ format: 'teamstate.bundle/v1', ...options.bundle });
    return ts;
  }
  // What a workspace holds after syncing (the records, not bookkeeping).
  const contents = async (ts: TeamState) => JSON.stringify(await ts.export());

  describe(`connector contract: ${options.name}`, () => {
    let clean: string;
    beforeAll(async () => {
      await options.setup?.();
      const ts = await workspace();
      const result = await ts.sync();
      expect(result.ok, JSON.stringify(result)).toBe(true);
      clean = await contents(ts);
    });
    afterAll(async () => {
      for (const ts of open.splice(0)) await ts.close();
      for (const path of folders.splice(0)) rmSync(path, { recursive: true, force: true });
      await options.teardown?.();
    });

    it('is a v1 connector with an id', async () => {
      const connector = await options.create();
      expect(connector.specificationVersion).toBe('v1');
      expect(connector.id).toMatch(/^[a-z][a-z0-9_-]*$/);
    });

    it('stores records on the first sync', () => {
      const bundle = JSON.parse(clean) as Record<string, unknown[]>;
      const stored = Object.values(bundle).reduce((n, list) => n + (Array.isArray(list) ? list.length : 0), 0);
      expect(stored).toBeGreaterThan(0);
    });

    it('declares the provider of every account it syncs, as a well-formed provider id', async () => {
      const connector = await options.create();
      const declared = connector.providers ?? [];
      for (const provider of declared) expect(providerSchema.safeParse(provider).error?.issues[0]?.message, provider).toBeUndefined();
      // Accounts the suite's bundle imported are not the connector's.
      const imported = new Set(
        (options.bundle?.people ?? []).flatMap((person) => (person.accounts ?? []).map((a) => `${a.provider}:${a.id}`)),
      );
      const ts = await workspace(connector);
      await ts.sync();
      const accounts = columns({ provider: text, external_id: text }).all(
        (await ts.store.execute('SELECT provider, external_id FROM accounts')).rows,
      );
      const synced = new Set(accounts.filter((row) => !imported.has(`${row.provider}:${row.external_id}`)).map((row) => row.provider));
      expect(
        [...synced].filter((provider) => !declared.includes(provider)),
        'providers synced but not declared in `providers`',
      ).toEqual([]);
    });

    it('changes nothing on a second sync', async () => {
      const ts = await workspace();
      await ts.sync();
      const first = await contents(ts);
      const again = await ts.sync();
      expect(again.ok).toBe(true);
      expect(await contents(ts)).toBe(first);
    });

    it('resumes after a crash in the middle of a sync with nothing lost or duplicated', async () => {
      const real = await options.create();
      let writes = 0;
      const crashing: Connector = {
        ...real,
        sync: (ctx) =>
          real.sync({
            ...ctx,
            // The process dies before its second write: a batch of records, or a page of accounts linked.
            emit: async (batch, emitOptions) => {
              if (++writes > 1) throw new Error('the process died here');
              await ctx.emit(batch, emitOptions);
            },
            resolvePeople: async (accounts) => {
              if (++writes > 1) throw new Error('the process died here');
              return ctx.resolvePeople(accounts);
            },
          }),
      };
      const database = join(folder(), 'crash.db');
      const crashed = await workspace(crashing, database);
      await crashed.sync();
      // A new process on the same file, with the real connector, resumes from the stored cursors.
      const restarted = await workspace(await options.create(), database, { imported: true });
      const resumed = await restarted.sync();
      expect(resumed.ok, JSON.stringify(resumed)).toBe(true);
      expect(await contents(restarted)).toBe(clean);
    });

    it('stops at a batch boundary when cancelled, and a later sync completes the data', async () => {
      const real = await options.create();
      const controller = new AbortController();
      const cancelling: Connector = {
        ...real,
        sync: (ctx) =>
          real.sync({
            ...ctx,
            // Cancelled right after the first write: a batch of records, or a page of accounts linked.
            emit: async (batch, emitOptions) => {
              await ctx.emit(batch, emitOptions);
              controller.abort();
            },
            resolvePeople: async (accounts) => {
              const people = await ctx.resolvePeople(accounts);
              controller.abort();
              return people;
            },
          }),
      };
      const database = join(folder(), 'cancel.db');
      const cancelled = await workspace(cancelling, database);
      const stopped = await cancelled.sync({ signal: controller.signal });
      expect(stopped.connectors[0]?.status).toBe('aborted');
      expect(stopped.connectors[0]?.batches).toBeLessThanOrEqual(1);
      const later = await workspace(await options.create(), database, { imported: true });
      expect((await later.sync()).ok).toBe(true);
      expect(await contents(later)).toBe(clean);
    });

    const webhooks = options.webhooks;
    if (webhooks) {
      it('refuses a webhook with a bad signature, storing nothing, and takes a redelivery as a no-op', async () => {
        const ts = await workspace();
        const connector = await options.create();
        const path = connector.webhooks!.provider;
        const before = await contents(ts);
        const bad = await ts.webhooks.receive(path, await webhooks.badlySigned());
        expect(bad.status).toBe(401);
        expect(await contents(ts)).toBe(before);
        const first = await ts.webhooks.receive(path, await webhooks.signed());
        expect([200, 202]).toContain(first.status);
        const afterFirst = await contents(ts);
        const again = await ts.webhooks.receive(path, await webhooks.signed());
        expect([200, 202]).toContain(again.status);
        expect(again.body.duplicate).toBe(true);
        expect(await contents(ts)).toBe(afterFirst);
      });
    }

    for (const action of options.actions ?? []) {
      it(`refuses ${action.type} with bad params, naming ${action.invalidField}, and stores nothing`, async () => {
        const ts = await workspace();
        const error = await ts.actions
          .propose({ type: action.type, target: action.target, params: action.invalid, reason: 'contract', requestedBy: 'contract' })
          .then(
            () => undefined,
            (e: unknown) => e as Error,
          );
        expect(error?.message).toContain(action.invalidField);
        expect(await ts.approvals.list({})).toEqual([]);
      });
    }
  });
}
