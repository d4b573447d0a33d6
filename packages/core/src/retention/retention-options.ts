import { dirname, join, resolve } from 'node:path';
import { TeamStateError } from '../errors.js';
import { parseDuration } from '../policy/duration.js';
import { resolveDatabaseUrl } from '../store/open-store.js';

/**
 * The `retention` option of `createTeamState()` (and the config file's `retention:` section, DESIGN.md section 12):
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

/** The periods DESIGN.md section 12 names, used for what the options leave out. */
export const RETENTION_DEFAULTS = { reports: '365d', webhookDeliveries: '30d', resolvedSignals: '180d' } as const;

const FIELDS = ['reports', 'webhookDeliveries', 'resolvedSignals', 'archive'] as const;

/** Checks the `retention` option: one message naming the field and the fix. */
export function resolveRetentionOptions(options: RetentionOptions | undefined, database: string): ResolvedRetention {
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options)))
    throw invalidConfig('retention: expected { reports?, webhookDeliveries?, resolvedSignals?, archive? }');
  const given = (options ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(given))
    if (!(FIELDS as readonly string[]).includes(key))
      throw invalidConfig(`retention.${key}: unknown setting (expected ${FIELDS.join(', ')})`);
  const period = (field: keyof typeof RETENTION_DEFAULTS): number => {
    const value = given[field] ?? RETENTION_DEFAULTS[field];
    const ms = typeof value === 'string' ? parseDuration(value) : undefined;
    if (ms === undefined)
      throw invalidConfig(
        `retention.${field}: expected a duration such as ${RETENTION_DEFAULTS[field]} (a whole number and s, m, h or d), got ${JSON.stringify(value)}`,
      );
    return ms;
  };
  const archive = given.archive;
  if (archive !== undefined && (typeof archive !== 'string' || archive.trim() === ''))
    throw invalidConfig(`retention.archive: expected the path of a folder for the archives, got ${JSON.stringify(archive)}`);
  return {
    reportsMs: period('reports'),
    webhookDeliveriesMs: period('webhookDeliveries'),
    resolvedSignalsMs: period('resolvedSignals'),
    archive: resolve(typeof archive === 'string' ? archive : defaultArchive(database)),
  };
}

function defaultArchive(database: string): string {
  const { localPath } = resolveDatabaseUrl(database);
  return localPath ? join(dirname(localPath), 'archive') : join('.teamstate', 'archive');
}

const invalidConfig = (message: string) => new TeamStateError('invalid_config', message);
