import { SpanStatusCode } from '@opentelemetry/api';
import { TeamStateError } from '../../kernel/errors.js';
import type { Logger } from '../../kernel/logger.js';
import { BUNDLE_FORMAT } from '../../kernel/model/bundle.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, text } from '../../kernel/store/row-decoder.js';
import { inSpan, SPANS } from '../../kernel/telemetry/telemetry.js';
import { redactSecrets } from '../../kernel/text/redact-secrets.js';
import type { Connector, SyncContext, SyncProgress } from '../../spec/connector.js';
import { ingestBundle } from '../bundle/ingest-bundle.js';
import { type FeatureDefinition, ingestHooks } from '../feature.js';
import { resolvePeople } from '../identity/resolve-people.js';
import { existingIds, txExecute } from '../store/existing-ids.js';
import { workItemsByHead } from '../store/work-items-by-head.js';
import { saveCursors } from './cursors.js';
import { checkLinksReplaced, removeReplacedLinks } from './links-replaced.js';
import { recordSyncOutcome } from './sync-sources.js';

const cursorRows = columns({ value: text });

/** Options of `ts.sync()`. */
export interface SyncOptions {
  /** Only these connector ids. */
  only?: string[];
  /** Cancels at the next batch boundary; what was stored stays stored and the next run resumes. */
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
}

/** How one connector's run ended. */
export interface ConnectorSyncResult {
  connector: string;
  status: 'succeeded' | 'failed' | 'aborted';
  batches: number;
  records: number;
  error?: { code: string; message: string };
}

/** How a sync ended; `ok` is true when every connector succeeded. */
export interface SyncResult {
  ok: boolean;
  connectors: ConnectorSyncResult[];
}

/** The `sync_cursors` key whose `updated_at` is the end of a connector's last successful sync. */
export const LAST_SYNC_SUCCESS = '@last_success';

/** Runs connectors one after another, each batch in its own transaction. */
export async function runSync(
  deps: {
    store: Store;
    workspace: string;
    connectors: readonly Connector[];
    clock: () => Date;
    log: Logger;
    features: readonly FeatureDefinition[];
  },
  options: SyncOptions = {},
): Promise<SyncResult> {
  const { store, workspace, clock, log } = deps;
  const known = new Set(deps.connectors.map((c) => c.id));
  for (const id of options.only ?? []) {
    if (!known.has(id)) {
      throw new TeamStateError(
        'invalid_argument',
        `only: no connector "${id}" is configured (configured: ${[...known].join(', ') || 'none'})`,
      );
    }
  }
  const selected = deps.connectors.filter((c) => !options.only || options.only.includes(c.id));
  const signal = options.signal ?? new AbortController().signal;
  const results: ConnectorSyncResult[] = [];
  for (const connector of selected) {
    const result: ConnectorSyncResult = { connector: connector.id, status: 'succeeded', batches: 0, records: 0 };
    results.push(result);
    if (signal.aborted) {
      result.status = 'aborted';
      continue;
    }
    const report = (update: Omit<SyncProgress, 'connector'>) =>
      options.onProgress?.({ connector: connector.id, items: result.records, ...update });
    const ctx: SyncContext = {
      connector: connector.id,
      workspace,
      signal,
      log,
      now: clock,
      async getCursor(key) {
        const rows = await store.execute('SELECT value FROM sync_cursors WHERE workspace = ? AND connector = ? AND key = ?', [
          workspace,
          connector.id,
          key,
        ]);
        return cursorRows.first(rows.rows)?.value;
      },
      async emit(batch, emitOptions) {
        // The libSQL driver works synchronously, so a sync is one long chain of resolved promises: yield
        // to the event loop at every batch boundary so Ctrl-C, timers and progress output get their turn.
        await new Promise((resolve) => setImmediate(resolve));
        if (signal.aborted) throw abortedError();
        const replaced = checkLinksReplaced(emitOptions?.replaceLinks);
        const { records } = await store.write(
          async (tx) => {
            await removeReplacedLinks(tx, workspace, deps.features, replaced);
            const ingested = await ingestBundle(tx, workspace, { format: BUNDLE_FORMAT, ...batch }, clock().getTime(), {
              features: deps.features,
            });
            const at = clock().getTime();
            await saveCursors(txExecute(tx), workspace, connector.id, Object.entries(emitOptions?.cursors ?? {}), at);
            return ingested;
            // A page and its cursor can be fetched again: its commit does not wait for the disk (a power cut may lose it).
          },
          { durability: 'normal' },
        );
        result.batches += 1;
        result.records += Object.values(records).reduce((a, b) => a + b, 0);
        report({});
      },
      existing: (kind, ids) => existingIds(store.execute, kind, workspace, ids),
      workItemsByHead: (repository, shas) => workItemsByHead(store.execute, workspace, repository, shas),
      resolvePeople: (accounts) => resolvePeople(store, workspace, accounts),
      detectAi: ingestHooks(deps.features).detectAi,
      progress: report,
      sleep: (ms, reason) => {
        report({ waitingMs: ms, message: reason });
        return new Promise<void>((resolve, reject) => {
          if (signal.aborted) return reject(abortedError());
          const timer = setTimeout(() => {
            signal.removeEventListener('abort', onAbort);
            resolve();
          }, ms);
          const onAbort = () => {
            clearTimeout(timer);
            reject(abortedError());
          };
          signal.addEventListener('abort', onAbort, { once: true });
        });
      },
    };
    // One span per connector run, with what it stored; a failure marks it as an error.
    await inSpan(SPANS.sync, { attributes: { 'teamstate.connector': connector.id } }, async (span) => {
      await runConnector(connector, ctx, result);
      span.setAttributes({
        'teamstate.sync.status': result.status,
        'teamstate.sync.batches': result.batches,
        'teamstate.sync.records': result.records,
      });
      if (result.error) span.setStatus({ code: SpanStatusCode.ERROR, message: `${result.error.code}: ${result.error.message}` });
    });
  }
  return { ok: results.every((r) => r.status === 'succeeded'), connectors: results };

  async function runConnector(connector: Connector, ctx: SyncContext, result: ConnectorSyncResult): Promise<void> {
    const started = clock().getTime();
    try {
      await connector.sync(ctx);
      if (signal.aborted) result.status = 'aborted';
      else await saveCursors(store.execute, workspace, connector.id, [[LAST_SYNC_SUCCESS, clock().toISOString()]], clock().getTime());
    } catch (error) {
      if (signal.aborted || (TeamStateError.isInstance(error) && error.code === 'sync_aborted')) {
        result.status = 'aborted';
      } else {
        result.status = 'failed';
        const code = TeamStateError.isInstance(error) ? error.code : 'sync_failed';
        // Upstream messages can carry request URLs: their credentials and query strings never leave the process.
        const message = redactSecrets((error as Error).message);
        result.error = { code, message };
        log.error(`connector ${connector.id} failed`, { code, message });
      }
    }
    // How it ended, for freshness (`ts.freshness()`) and the sync duration gauge; a cancelled run records nothing.
    if (result.status !== 'aborted') {
      const at = clock().getTime();
      await recordSyncOutcome(store, workspace, connector.id, {
        at,
        ok: result.status === 'succeeded',
        durationMs: at - started,
        ...(result.error ? { error: `${result.error.code}: ${result.error.message}` } : {}),
      });
    }
  }
}

function abortedError(): TeamStateError {
  return new TeamStateError('sync_aborted', 'sync was cancelled; what was stored so far is kept and the next run resumes');
}
