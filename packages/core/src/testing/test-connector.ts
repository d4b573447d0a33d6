import type { ActionType } from '../spec/action-type.js';
import type { Connector } from '../spec/connector.js';
import type { SyncBatch } from '../spec/records.js';
import type { WebhookSpec } from '../spec/webhook.js';

/** Options of {@link testConnector}. */
export interface TestConnectorOptions {
  /** Default `test`. */
  id?: string;
  /** Emitted in order, one batch each, with a cursor after each so an interrupted sync resumes after the last stored one. */
  batches?: readonly SyncBatch[];
  /** The providers of the accounts in `batches` (a third party's own, such as `gitlab`, included). */
  providers?: readonly string[];
  actions?: readonly ActionType[];
  webhooks?: WebhookSpec;
}

/**
 * A small in-memory connector for tests and for trying extensions: it emits the given bundle-like batches
 * with a cursor, so a second sync emits nothing new and an interrupted one resumes where it stopped.
 *
 * @example
 * const connector = testConnector({ batches: [{ teams: [{ id: 'core', name: 'Core' }] }] })
 * const ts = await createTeamState({ database: ':memory:', connectors: [connector] })
 * await ts.sync()
 */
export function testConnector(options: TestConnectorOptions = {}): Connector {
  const batches = options.batches ?? [];
  return {
    specificationVersion: 'v1',
    id: options.id ?? 'test',
    description: 'An in-memory test connector',
    async sync(ctx) {
      const done = Number((await ctx.getCursor('batch')) ?? 0);
      for (let index = done; index < batches.length; index++) {
        await ctx.emit(batches[index]!, { cursors: { batch: String(index + 1) } });
        ctx.progress({ phase: `batch ${index + 1} of ${batches.length}`, total: batches.length });
      }
    },
    ...(options.providers ? { providers: options.providers } : {}),
    ...(options.actions ? { actions: options.actions } : {}),
    ...(options.webhooks ? { webhooks: options.webhooks } : {}),
  };
}
