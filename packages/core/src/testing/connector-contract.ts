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
  /**
   * `false` for a connector that syncs no records and only checks its upstream (email): its sync must store nothing,
   * and the crash and cancellation checks, which interrupt a write, do not apply. Default true.
   */
  records?: boolean;
  /** When it has actions: params that validate and params that do not (the message must name `invalidField`). */
  actions?: { type: string; target: string; invalid: Record<string, unknown>; invalidField: string }[];
}

const FIXED = new Date('2026-03-18T10:00:00Z');

/** One run of the suite: the workspaces and folders it opened (closed and removed after it), and its first sync. */
interface ContractRun {
  options: ConnectorContractOptions;
  clock: () => Date;
  open: TeamState[];
  folders: string[];
  /** What a workspace holds after one complete sync, set before the checks run. */
  clean: string;
}

/** A new temporary folder, removed after the suite. */
function folder(run: ContractRun): string {
  const path = mkdtempSync(join(tmpdir(), 'teamstate-contract-'));
  run.folders.push(path);
  return path;
}

/** A workspace with the connector (a fresh in-memory one, or a file another instance opened before). */
async function workspace(
  run: ContractRun,
  connector?: Connector,
  database = ':memory:',
  state: { imported?: boolean } = {},
): Promise<TeamState> {
  const { options } = run;
  const ts = await createTeamState({ database, connectors: [connector ?? (await options.create())], clock: run.clock });
  run.open.push(ts);
  if (options.bundle && !state.imported) await ts.import({ format: 'teamstate.bundle/v1', ...options.bundle });
  return ts;
}

/** What a workspace holds after syncing (the records, not bookkeeping). */
const contents = async (ts: TeamState) => JSON.stringify(await ts.export());

/**
 * The conformance suite every connector runs, the built-in ones and a third party's alike, in the author's own
 * vitest: the first sync stores records; a second sync changes nothing; a crash in the middle of a sync resumes
 * with nothing lost or duplicated (a connector that syncs no records, `records: false`, stores nothing); every account it syncs is at a provider it declares in `providers`; cancellation stops at a batch boundary and a later sync completes the data;
 * with webhooks, a bad signature is refused and a redelivery is a no-op; with actions, bad params are refused
 * naming the field.
 *
 * @example
 * import { connectorContract } from '@teamstate/core/testing'
 * connectorContract({ name: 'my-tracker', create: () => myTracker({ url: fake.url }), setup: () => fake.start(), teardown: () => fake.stop() })
 */
export function connectorContract(options: ConnectorContractOptions): void {
  const run: ContractRun = { options, clock: options.clock ?? (() => FIXED), open: [], folders: [], clean: '' };
  describe(`connector contract: ${options.name}`, () => {
    beforeAll(async () => {
      await options.setup?.();
      const ts = await workspace(run);
      const result = await ts.sync();
      expect(result.ok, JSON.stringify(result)).toBe(true);
      run.clean = await contents(ts);
    });
    afterAll(async () => {
      for (const ts of run.open.splice(0)) await ts.close();
      for (const path of run.folders.splice(0)) rmSync(path, { recursive: true, force: true });
      await options.teardown?.();
    });
    it('is a v1 connector with an id', () => checkIdentity(run));
    if (options.records === false) it('stores nothing when it syncs', () => checkStoresNothing(run));
    else it('stores records on the first sync', () => checkFirstSync(run));
    it('declares the provider of every account it syncs, as a well-formed provider id', () => checkProviders(run));
    it('changes nothing on a second sync', () => checkSecondSync(run));
    if (options.records !== false) {
      it('resumes after a crash in the middle of a sync with nothing lost or duplicated', () => checkCrashResume(run));
      it('stops at a batch boundary when cancelled, and a later sync completes the data', () => checkCancellation(run));
    }
    const webhooks = options.webhooks;
    if (webhooks)
      it('refuses a webhook with a bad signature, storing nothing, and takes a redelivery as a no-op', () => checkWebhooks(run, webhooks));
    for (const action of options.actions ?? [])
      it(`refuses ${action.type} with bad params, naming ${action.invalidField}, and stores nothing`, () => checkBadParams(run, action));
  });
}

async function checkIdentity(run: ContractRun): Promise<void> {
  const connector = await run.options.create();
  expect(connector.specificationVersion).toBe('v1');
  expect(connector.id).toMatch(/^[a-z][a-z0-9_-]*$/);
}

function checkFirstSync(run: ContractRun): void {
  const bundle = JSON.parse(run.clean) as Record<string, unknown[]>;
  const stored = Object.values(bundle).reduce((n, list) => n + (Array.isArray(list) ? list.length : 0), 0);
  expect(stored).toBeGreaterThan(0);
}

async function checkStoresNothing(run: ContractRun): Promise<void> {
  // A workspace with the suite's bundle only, never synced: the connector's sync added nothing to it.
  const bare = await workspace(run, { specificationVersion: 'v1', id: 'nothing', async sync() {} });
  expect(run.clean).toBe(await contents(bare));
}

async function checkProviders(run: ContractRun): Promise<void> {
  const connector = await run.options.create();
  const declared = connector.providers ?? [];
  for (const provider of declared) expect(providerSchema.safeParse(provider).error?.issues[0]?.message, provider).toBeUndefined();
  // Accounts the suite's bundle imported are not the connector's.
  const imported = new Set(
    (run.options.bundle?.people ?? []).flatMap((person) => (person.accounts ?? []).map((a) => `${a.provider}:${a.id}`)),
  );
  const ts = await workspace(run, connector);
  await ts.sync();
  const accounts = columns({ provider: text, external_id: text }).all(
    (await ts.store.execute('SELECT provider, external_id FROM accounts')).rows,
  );
  const synced = new Set(accounts.filter((row) => !imported.has(`${row.provider}:${row.external_id}`)).map((row) => row.provider));
  expect(
    [...synced].filter((provider) => !declared.includes(provider)),
    'providers synced but not declared in `providers`',
  ).toEqual([]);
}

async function checkSecondSync(run: ContractRun): Promise<void> {
  const ts = await workspace(run);
  await ts.sync();
  const first = await contents(ts);
  const again = await ts.sync();
  expect(again.ok).toBe(true);
  expect(await contents(ts)).toBe(first);
}

/** `real`, but the process dies before its second write: a batch of records, or a page of accounts linked. */
function crashingConnector(real: Connector): Connector {
  let writes = 0;
  return {
    ...real,
    sync: (ctx) =>
      real.sync({
        ...ctx,
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
}

async function checkCrashResume(run: ContractRun): Promise<void> {
  const crashing = crashingConnector(await run.options.create());
  const database = join(folder(run), 'crash.db');
  const crashed = await workspace(run, crashing, database);
  await crashed.sync();
  // A new process on the same file, with the real connector, resumes from the stored cursors.
  const restarted = await workspace(run, await run.options.create(), database, { imported: true });
  const resumed = await restarted.sync();
  expect(resumed.ok, JSON.stringify(resumed)).toBe(true);
  expect(await contents(restarted)).toBe(run.clean);
}

/** `real`, cancelled right after its first write: a batch of records, or a page of accounts linked. */
function cancellingConnector(real: Connector, controller: AbortController): Connector {
  return {
    ...real,
    sync: (ctx) =>
      real.sync({
        ...ctx,
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
}

async function checkCancellation(run: ContractRun): Promise<void> {
  const real = await run.options.create();
  const controller = new AbortController();
  const database = join(folder(run), 'cancel.db');
  const cancelled = await workspace(run, cancellingConnector(real, controller), database);
  const stopped = await cancelled.sync({ signal: controller.signal });
  expect(stopped.connectors[0]?.status).toBe('aborted');
  expect(stopped.connectors[0]?.batches).toBeLessThanOrEqual(1);
  const later = await workspace(run, await run.options.create(), database, { imported: true });
  expect((await later.sync()).ok).toBe(true);
  expect(await contents(later)).toBe(run.clean);
}

async function checkWebhooks(run: ContractRun, webhooks: NonNullable<ConnectorContractOptions['webhooks']>): Promise<void> {
  const ts = await workspace(run);
  const connector = await run.options.create();
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
}

async function checkBadParams(run: ContractRun, action: NonNullable<ConnectorContractOptions['actions']>[number]): Promise<void> {
  const ts = await workspace(run);
  const error = await ts.actions
    .propose({ type: action.type, target: action.target, params: action.invalid, reason: 'contract', requestedBy: 'contract' })
    .then(
      () => undefined,
      (e: unknown) => e as Error,
    );
  expect(error?.message).toContain(action.invalidField);
  expect(await ts.approvals.list({})).toEqual([]);
}
