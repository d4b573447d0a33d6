import { createHash } from 'node:crypto';
import { type TeamState, TeamStateError } from '@teamstate/core';
import { UsageError } from './errors.js';
import { selfName } from './self-command.js';

/** The shortest short id shown (git's length); a listing lengthens it only while two of its signals share one. */
const SHORT = 7;
/** The fewest characters of a short id accepted on the command line. */
const MIN_PREFIX = 4;
/** The most signals an id is looked for among (`ts.signals.list()` answers at most this many at a time). */
const LOOKUP_LIMIT = 500;

/** The hex SHA-256 of a signal's fingerprint: its short id is a prefix, the same in every listing. */
const hashOf = (fingerprint: string) => createHash('sha256').update(fingerprint).digest('hex');

/**
 * A short id for each fingerprint, in order: the first 7 hex characters of the SHA-256 of the fingerprint, longer
 * where two fingerprints of this listing would share one. Stable: the same signal gets the same id (or a longer one
 * starting the same) in every listing, so `signals ack <id>` takes it.
 */
export function shortIds(fingerprints: readonly string[]): string[] {
  const hashes = fingerprints.map(hashOf);
  let length = SHORT;
  while (length < 64 && new Set(hashes.map((hash) => hash.slice(0, length))).size < new Set(hashes).size) length++;
  return hashes.map((hash) => hash.slice(0, length));
}

/**
 * The fingerprint `id` names: a fingerprint (it has a `:`) as given, else a short id from `teamstate signals`, found
 * among the workspace's signals (open and resolved). An unknown or ambiguous short id is refused with what to do.
 */
export async function resolveSignalId(ts: TeamState, id: string): Promise<string> {
  if (id.includes(':') || !/^[0-9a-f]+$/i.test(id)) return id;
  if (id.length < MIN_PREFIX)
    throw new UsageError(
      `<id>: "${id}" is too short for a short id; give at least ${MIN_PREFIX} characters, as \`${selfName()} signals\` shows it`,
    );
  const prefix = id.toLowerCase();
  const signals = await ts.signals.list({ status: 'all', limit: LOOKUP_LIMIT });
  const matches = signals.filter((signal) => hashOf(signal.fingerprint).startsWith(prefix)).map((signal) => signal.fingerprint);
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0)
    throw new TeamStateError(
      'not_found',
      `signal: no signal has the short id "${id}"; list them with \`${selfName()} signals --status all\`, or give the full fingerprint`,
    );
  throw new UsageError(
    `<id>: the short id "${id}" matches ${matches.length} signals; give more characters or the full fingerprint: ${matches.join(', ')}`,
  );
}
