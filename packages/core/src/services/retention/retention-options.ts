import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { TeamStateError } from '../../kernel/errors.js';
import { parseDuration } from '../../kernel/model/duration.js';
import { describeZodIssues } from '../../kernel/model/zod-issues.js';
import { resolveDatabaseUrl } from '../../kernel/store/open-store.js';

/**
 * The `retention` option of `createTeamState()` (and the config file's `retention:` section, docs/configuration.md#retention):
 * how long rows are kept before `ts.retention.run()` archives and deletes them, and where the archives go.
 * Durations are a whole number and a unit, `s`, `m`, `h` or `d` (`365d`, `30d`).
 */
export interface RetentionOptions {
  /** Daily reports (and their revisions) whose day is older than this (default `365d`). */
  reports?: string;
  /** Webhook deliveries received longer ago than this and done with (processed, ignored or failed; default `30d`). */
  webhookDeliveries?: string;
  /** Signals resolved longer ago than this (default `180d`). */
  resolvedSignals?: string;
  /**
   * The folder each run writes its own archive folder into. Default: `archive` next to a local database file,
   * else `.teamstate/archive` in the working directory.
   */
  archive?: string;
}

/** {@link RetentionOptions} checked, in milliseconds, with the archive folder resolved. */
export interface ResolvedRetention {
  reportsMs: number;
  webhookDeliveriesMs: number;
  resolvedSignalsMs: number;
  archive: string;
}

/** The default periods (docs/configuration.md#retention), used for what the options leave out. */
export const RETENTION_DEFAULTS = { reports: '365d', webhookDeliveries: '30d', resolvedSignals: '180d' } as const;

const shown = (value: unknown) => (typeof value === 'string' ? JSON.stringify(value) : String(value));
const duration = (example: string) =>
  z
    .string({ error: (issue) => `expected a duration such as ${example}, got ${shown(issue.input)}` })
    .refine((text) => parseDuration(text) !== undefined, {
      error: (issue) => `expected a duration such as ${example} (a whole number and s, m, h or d), got ${shown(issue.input)}`,
    });

/** {@link RetentionOptions} as a schema: the config file's `retention:` section is checked with it too. */
export const retentionOptionsSchema = z.strictObject({
  reports: duration(RETENTION_DEFAULTS.reports).optional(),
  webhookDeliveries: duration(RETENTION_DEFAULTS.webhookDeliveries).optional(),
  resolvedSignals: duration(RETENTION_DEFAULTS.resolvedSignals).optional(),
  archive: z
    .string({ error: (issue) => `expected the path of a folder for the archives, got ${shown(issue.input)}` })
    .refine((path) => path.trim() !== '', { error: 'expected the path of a folder for the archives, got ""' })
    .optional(),
});

/** Checks the `retention` option: one message naming the field and the fix. */
export function resolveRetentionOptions(options: RetentionOptions | undefined, database: string): ResolvedRetention {
  const parsed = retentionOptionsSchema.safeParse(options ?? {});
  if (!parsed.success) {
    const [issue] = describeZodIssues(retentionOptionsSchema, parsed.error.issues);
    throw new TeamStateError('invalid_config', `retention${issue?.path ? `.${issue.path}` : ''}: ${issue?.message ?? 'invalid'}`);
  }
  const given = parsed.data;
  const period = (field: keyof typeof RETENTION_DEFAULTS) => parseDuration(given[field] ?? RETENTION_DEFAULTS[field])!;
  return {
    reportsMs: period('reports'),
    webhookDeliveriesMs: period('webhookDeliveries'),
    resolvedSignalsMs: period('resolvedSignals'),
    archive: resolve(given.archive ?? defaultArchive(database)),
  };
}

function defaultArchive(database: string): string {
  const { localPath } = resolveDatabaseUrl(database);
  return localPath ? join(dirname(localPath), 'archive') : join('.teamstate', 'archive');
}
