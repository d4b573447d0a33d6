import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type FileHandle, open as openFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { z } from 'zod';
import { TeamStateError } from '../../kernel/errors.js';
import { daySchema } from '../../kernel/model/local-day.js';
import { timestampSchema } from '../../kernel/model/timestamp.js';
import { describeZodIssues } from '../../kernel/model/zod-issues.js';

// The files of one retention run (docs/daily-reports.md#retention): gzip JSON Lines, one row a line, and manifest.json
// naming each file with its row count, time range and sha256.

/** The `format` of a retention manifest. */
export const RETENTION_MANIFEST_FORMAT = 'teamstate.retention/v1';

/** The tables a run archives, in the order a restore writes them. */
export const ARCHIVED_TABLES = ['reports', 'webhookDeliveries', 'resolvedSignals'] as const;
/** One of {@link ARCHIVED_TABLES}. */
export type ArchivedTable = (typeof ARCHIVED_TABLES)[number];

/** Rows per table (a report's revisions travel with it, in its line, and are counted apart). */
export interface RetentionCounts {
  reports: number;
  reportRevisions: number;
  webhookDeliveries: number;
  resolvedSignals: number;
}

const FILE_NAME = /^[a-z][a-z0-9-]*\.jsonl\.gz$/;
const count = z.number().int().min(0);

const fileSchema = z.strictObject({
  table: z.enum(ARCHIVED_TABLES),
  /** A file name in the manifest's folder (never a path). */
  path: z.string().regex(FILE_NAME, { error: 'expected a file name in the manifest\'s folder, such as "reports.jsonl.gz"' }),
  rows: count,
  bytes: count,
  sha256: z.string().regex(/^[0-9a-f]{64}$/, { error: 'expected 64 lower-case hex characters' }),
  /** The earliest and latest value of the field rows expired by (a report's `day`, a delivery's `receivedAt` …). */
  timeRange: z.strictObject({ field: z.string().min(1), from: z.string().min(1), to: z.string().min(1) }),
});

/** `manifest.json` of one retention run. */
export const retentionManifestSchema = z.strictObject({
  format: z.literal(RETENTION_MANIFEST_FORMAT, { error: `expected "${RETENTION_MANIFEST_FORMAT}"` }),
  workspace: z.string().min(1),
  createdAt: timestampSchema,
  /** What counted as expired: reports before this day, deliveries received and signals resolved before these instants. */
  cutoffs: z.strictObject({ reports: daySchema, webhookDeliveries: timestampSchema, resolvedSignals: timestampSchema }),
  counts: z.strictObject({ reports: count, reportRevisions: count, webhookDeliveries: count, resolvedSignals: count }),
  files: z.array(fileSchema),
});
/** A parsed `manifest.json`. */
export type RetentionManifest = z.infer<typeof retentionManifestSchema>;
/** One data file as the manifest lists it. */
export type RetentionManifestFile = RetentionManifest['files'][number];

/** The error of an archive that cannot be restored (manifest or data file), nothing written. */
export const invalidArchive = (message: string) => new TeamStateError('invalid_archive', message);

/** Parses a manifest's text, naming the first field that is wrong. */
export function parseManifest(text: string, path: string): RetentionManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalidArchive(`${path}: not valid JSON (${(error as Error).message}); give the manifest.json a retention run wrote`);
  }
  const parsed = retentionManifestSchema.safeParse(value);
  if (!parsed.success) {
    const [issue] = describeZodIssues(retentionManifestSchema, parsed.error.issues);
    throw invalidArchive(`${path}: ${issue?.path || '(root)'}: ${issue?.message ?? 'invalid'}; nothing was restored`);
  }
  const tables = parsed.data.files.map((file) => file.table);
  const twice = tables.find((table, i) => tables.indexOf(table) !== i);
  if (twice) throw invalidArchive(`${path}: files: the table ${twice} is listed twice; nothing was restored`);
  for (const table of ARCHIVED_TABLES) {
    const rows = parsed.data.files.find((file) => file.table === table)?.rows ?? 0;
    if (rows !== parsed.data.counts[table])
      throw invalidArchive(
        `${path}: counts.${table}: ${parsed.data.counts[table]}, but the files list ${rows} rows of ${table}; nothing was restored`,
      );
  }
  return parsed.data;
}

/** How a run opens the files it writes: `node:fs/promises` `open`, or a test's (one that fails like a full disk). */
export type OpenFile = (path: string, flags: string, mode: number) => Promise<FileHandle>;

/**
 * What a file system error says, as people read it: `no space left on device (ENOSPC)`. The error may be wrapped (a
 * stream pipeline's `AbortError`): the first error of its causes with a system code is the one described.
 */
export function describeFileError(error: unknown): string {
  let cause: unknown = error;
  for (let depth = 0; cause instanceof Error && depth < 5; depth++) {
    const { code, message } = cause as NodeJS.ErrnoException;
    if (typeof code === 'string' && /^E[A-Z0-9]+$/.test(code)) {
      const what = /^E[A-Z0-9]+: ([^,]+)/.exec(message)?.[1];
      return what ? `${what} (${code})` : code;
    }
    cause = cause.cause;
  }
  return error instanceof Error ? error.message : String(error);
}

/** What {@link writeJsonLinesGzip} wrote. */
export interface WrittenFile {
  rows: number;
  bytes: number;
  sha256: string;
}

/**
 * Writes rows as gzip JSON Lines into a new file (never over an existing one), hashing the bytes written, and
 * flushes it to disk (fsync) before resolving.
 */
export async function writeJsonLinesGzip(path: string, rows: AsyncIterable<unknown>, open: OpenFile = openFile): Promise<WrittenFile> {
  const handle = await open(path, 'wx', 0o600);
  const hash = createHash('sha256');
  let bytes = 0;
  let lines = 0;
  try {
    await pipeline(
      Readable.from(
        (async function* () {
          // Lines go to gzip in chunks of about 64 KB, not one stream write each.
          let chunk = '';
          for await (const row of rows) {
            lines++;
            chunk += `${JSON.stringify(row)}\n`;
            if (chunk.length >= 65_536) {
              yield chunk;
              chunk = '';
            }
          }
          if (chunk !== '') yield chunk;
        })(),
      ),
      createGzip(),
      async (compressed: AsyncIterable<Buffer>) => {
        for await (const chunk of compressed) {
          hash.update(chunk);
          bytes += chunk.length;
          await handle.write(chunk);
        }
      },
    );
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { rows: lines, bytes, sha256: hash.digest('hex') };
}

/** Writes a small file whole and flushes it (fsync), then flushes its folder so the new name is durable too. */
export async function writeFileDurably(path: string, text: string, folder: string, open: OpenFile = openFile): Promise<void> {
  const handle = await open(path, 'wx', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await syncFolder(folder);
}

/** fsync of a folder: its entries (the files just created) reach the disk. */
export async function syncFolder(folder: string): Promise<void> {
  const handle = await openFile(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** sha256 and size of a file, read as a stream. */
export async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** The JSON values of a gzip JSON Lines file, one a line, with their line numbers. */
export async function* readJsonLinesGzip(path: string, name: string): AsyncGenerator<{ line: number; value: unknown }> {
  const lines = createInterface({ input: createReadStream(path).pipe(createGunzip()), crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  try {
    for await (const text of lines) {
      line++;
      if (text === '') continue;
      try {
        yield { line, value: JSON.parse(text) };
      } catch (error) {
        throw invalidArchive(`${name} line ${line}: not valid JSON (${(error as Error).message}); nothing was restored`);
      }
    }
  } catch (error) {
    if (TeamStateError.isInstance(error)) throw error;
    throw invalidArchive(`${name}: cannot be read as gzip JSON Lines (${(error as Error).message}); nothing was restored`);
  }
}
