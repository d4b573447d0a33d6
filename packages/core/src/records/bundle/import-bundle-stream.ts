import { createReadStream } from 'node:fs';
import type { ValidationIssue } from '../../kernel/errors.js';
import { BUNDLE_FORMAT } from '../../kernel/model/bundle.js';
import { describeZodIssues } from '../../kernel/model/zod-issues.js';
import type { Transaction } from '../../kernel/store/driver.js';
import type { Store } from '../../kernel/store/open-store.js';
import { BundleScanner } from './bundle-scanner.js';
import { type BundleShape, bundleShape, type ListName } from './bundle-shape.js';
import { type ImportOptions, type ImportResult, writeWithBulkLoad } from './import-bundle.js';
import { CHUNK, type IngestOptions, sqlSeenIds, startIngest } from './ingest-bundle.js';

/** A bundle to stream: a file path, or its bytes as they arrive (a Node stream, `process.stdin`). */
export type BundleSource = string | AsyncIterable<Uint8Array>;

function shellIssues(shape: BundleShape, shell: Record<string, unknown>): ValidationIssue[] {
  const parsed = shape.shell.safeParse(shell, { reportInput: true });
  return parsed.success ? [] : describeZodIssues(shape.schema, parsed.error.issues);
}

/**
 * Imports a `teamstate.bundle/v1` document from a file or byte stream without holding it in memory: each element
 * is parsed, validated and written in chunks inside one transaction, ids are remembered in a temporary table, and
 * references are checked against the store before the commit. The guarantees are those of `ts.import(bundle)`:
 * all or nothing, idempotent, every problem with its JSON path, the store untouched on failure.
 * @throws ValidationError (code `invalid_bundle`)
 */
export function importBundleStream(
  store: Store,
  workspace: string,
  source: BundleSource,
  now: () => number,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const local = store.kind === 'file' || store.kind === 'memory';
  return writeWithBulkLoad(store, workspace, options, (tx, ingest) => streamIngest(tx, workspace, source, now, local, ingest));
}

/** The streamed import's ingest inside `tx`; `local`: the ids it has seen go into a temporary table of the connection. */
async function streamIngest(
  tx: Transaction,
  workspace: string,
  source: BundleSource,
  now: () => number,
  local: boolean,
  options: IngestOptions,
): Promise<ImportResult> {
  const shape = bundleShape(options.features);
  const isList = (key: string): key is ListName => shape.element.has(key);
  const seen = await sqlSeenIds(tx, local);
  const ingest = await startIngest(tx, workspace, now(), { ...options, seen, erasures: 'chunks' });
  const scanner = new BundleScanner();
  // The top level as the shell schema sees it: scalars as given, lists as empty arrays.
  const shell: Record<string, unknown> = {};
  let pending: unknown[] = [];
  let pendingList: ListName | undefined;
  let pendingFirst = 0;
  const flush = async () => {
    if (pendingList && pending.length > 0) await ingest.add(pendingList, pending, pendingFirst);
    pending = [];
  };
  const handle = async (events: ReturnType<BundleScanner['push']>) => {
    for (const event of events) {
      if (event.type === 'element') {
        if (!isList(event.key)) continue; // refused by the shell check below
        if (pending.length === 0) pendingFirst = event.index;
        pending.push(event.value);
        if (pending.length >= CHUNK) await flush();
        continue;
      }
      await flush();
      if (event.key !== 'format' && !isList(event.key)) {
        // Refused at once (nothing more is written), with the message the in-memory import gives.
        for (const issue of shellIssues(shape, { format: BUNDLE_FORMAT, [event.key]: [] })) ingest.problem(issue);
        pendingList = undefined;
        continue;
      }
      if (event.key in shell) ingest.problem({ path: event.key, message: `"${event.key}" appears twice in the bundle; merge the two` });
      shell[event.key] = event.type === 'list' ? [] : event.value;
      pendingList = event.type === 'list' && isList(event.key) ? event.key : undefined;
    }
  };
  const chunks = typeof source === 'string' ? createReadStream(source, { highWaterMark: 1 << 20 }) : source;
  for await (const chunk of chunks) {
    await handle(scanner.push(chunk));
    if (ingest.full()) break;
  }
  if (!ingest.full()) await handle(scanner.end());
  await flush();
  for (const issue of shellIssues(shape, shell)) ingest.problem(issue);
  const result = await ingest.finish();
  await seen.drop();
  return result;
}
