import { TeamStateError, unknownId } from '../../kernel/errors.js';
import { columns, integer, nullable, oneOf, text, textOf } from '../../kernel/store/row-decoder.js';
import { sql } from '../../kernel/store/sql.js';
import { type Readable, readablePeople, viewerOf } from '../../records/identity/viewer.js';
import type { DetectedSignal, SignalSeverity } from '../../spec/signal-detector.js';
import { assertKnownTeam, type SignalsContext } from './signals-context.js';

/** A stored signal. */
export interface StoredSignal {
  fingerprint: string;
  kind: string;
  severity: SignalSeverity;
  subject: DetectedSignal['subject'];
  team?: string;
  title: string;
  evidence: Record<string, unknown>;
  status: 'open' | 'resolved';
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt?: string;
  /** Who acknowledged it and when (`ts.signals.ack`); cleared when a resolved signal opens again. */
  ack?: { by: string; at: string };
  /** Nudges about it wait until then (`ts.signals.snooze`). */
  snoozedUntil?: string;
  /** The person who owns acting on it: whoever acknowledged or snoozed it, unless someone else was named. */
  owner?: string;
}

/** Filters of `ts.signals.list()`. */
export interface SignalQuery {
  team?: string;
  kind?: string;
  severity?: SignalSeverity;
  /** Default `open`. */
  status?: 'open' | 'resolved' | 'all';
  /** 1–500, default 100. */
  limit?: number;
  /**
   * Who is asking: a person id, or `null` for a caller nobody knows. Person-level wellbeing signals are then limited
   * to the people the policy's `privacy.wellbeing` lets them see (none for `null`); the counts of
   * {@link Signals.wellbeing} are for everyone. Leave it out to read as the facade's viewer (`ts.as(person)`), or,
   * without one, as the database's owner (the CLI): everything.
   */
  viewer?: string | null;
}

/** Open wellbeing signals of one kind in one team (`team` absent for people in no team): a count, never names. */
export interface WellbeingCount {
  team?: string;
  kind: string;
  count: number;
}

/** A registered detector as `ts.signals.detectors()` describes it. */
export interface DetectorInfo {
  kind: string;
  title: string;
  description: string;
  defaults: Readonly<Record<string, number | string | readonly string[]>>;
}

/**
 * When a stored signal was last seen: an open one by the last refresh of its kind (`signal_detector_runs.seen_at`; a
 * refresh leaves the rows it does not change alone), a resolved one by the last refresh that found it.
 */
const LAST_SEEN = `CASE WHEN status = 'open' THEN COALESCE((SELECT r.seen_at FROM signal_detector_runs r
  WHERE r.workspace = signals.workspace AND r.kind = signals.kind), last_seen_at) ELSE last_seen_at END`;

const SEVERITY_RANK = "CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END";

/** A stored signal as `list()` reads it: its row and when it was last seen ({@link LAST_SEEN}). */
const listedSignal = columns({
  fingerprint: text,
  kind: text,
  severity: textOf<SignalSeverity>(),
  subject_type: textOf<DetectedSignal['subject']['type']>(),
  subject_id: text,
  team_id: nullable(text),
  title: text,
  evidence: text,
  status: oneOf('open', 'resolved'),
  first_seen_at: integer,
  seen: integer,
  resolved_at: nullable(integer),
  acked_by: nullable(text),
  acked_at: nullable(integer),
  snoozed_until: nullable(integer),
  owner: nullable(text),
});
/** Open signals counted per team and kind. */
const teamKindCount = columns({ team_id: nullable(text), kind: text, n: integer });
const signalKind = columns({ kind: text });

/** A signal row as the API returns it. */
function toStored(r: ReturnType<typeof listedSignal.all>[number]): StoredSignal {
  return {
    fingerprint: r.fingerprint,
    kind: r.kind,
    severity: r.severity,
    subject: { type: r.subject_type, id: r.subject_id },
    ...(r.team_id === null ? {} : { team: r.team_id }),
    title: r.title,
    evidence: JSON.parse(r.evidence) as Record<string, unknown>,
    status: r.status,
    firstSeenAt: new Date(r.first_seen_at).toISOString(),
    lastSeenAt: new Date(r.seen).toISOString(),
    ...(r.resolved_at === null ? {} : { resolvedAt: new Date(r.resolved_at).toISOString() }),
    ...(r.acked_by === null || r.acked_at === null ? {} : { ack: { by: r.acked_by, at: new Date(r.acked_at).toISOString() } }),
    ...(r.snoozed_until === null ? {} : { snoozedUntil: new Date(r.snoozed_until).toISOString() }),
    ...(r.owner === null ? {} : { owner: r.owner }),
  };
}

/**
 * The people whose wellbeing signals a reader may see. `viewer` of a query names the reader (a person id; null:
 * nobody, an unknown id reads nobody's); else the facade's.
 */
async function wellbeingReadable(ctx: SignalsContext, viewer: string | null | undefined): Promise<Readable> {
  const { store, workspace, rules } = ctx;
  if (viewer === undefined) return ctx.reading ? ctx.reading.readable('wellbeing') : { all: true };
  const known =
    viewer !== null && (await store.execute('SELECT 1 FROM people WHERE workspace = ? AND id = ?', [workspace, viewer])).rows.length > 0;
  const who = known ? await viewerOf(store, workspace, rules, { person: viewer }) : { teams: [], lead: [] };
  return readablePeople(store, workspace, rules, who, 'wellbeing');
}

/** The registered detectors: kind, title, description, default thresholds. */
export function listDetectors(ctx: SignalsContext): DetectorInfo[] {
  return ctx.detectors.map(({ kind, title, description, defaults }) => ({ kind, title, description, defaults: defaults ?? {} }));
}

/** Refuses a query with a bad limit, severity or status, or naming a team or kind nobody has. */
async function checkSignalQuery(ctx: SignalsContext, query: SignalQuery): Promise<{ limit: number; status: 'open' | 'resolved' | 'all' }> {
  const limit = query.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    throw new TeamStateError('invalid_argument', `limit: expected a whole number from 1 to 500, got ${limit}`);
  if (query.severity && !['info', 'warning', 'critical'].includes(query.severity)) {
    throw new TeamStateError('invalid_argument', `severity: expected one of info|warning|critical, got "${query.severity}"`);
  }
  const status = query.status ?? 'open';
  if (!['open', 'resolved', 'all'].includes(status))
    throw new TeamStateError('invalid_argument', `status: expected one of open|resolved|all, got "${status}"`);
  // An unknown team or kind is a mistake to report, never an empty answer that reads as all clear.
  if (query.team !== undefined) await assertKnownTeam(ctx, query.team);
  if (query.kind !== undefined) {
    const stored = await ctx.db.all(signalKind, sql`SELECT DISTINCT kind FROM signals WHERE workspace = ${ctx.workspace}`);
    const known = [...new Set([...ctx.kinds, ...stored.map((s) => s.kind)])].sort();
    if (!known.includes(query.kind)) throw unknownId('kind', query.kind, known);
  }
  return { limit, status };
}

/** Stored signals, most severe and oldest first. */
export async function listSignals(ctx: SignalsContext, query: SignalQuery = {}): Promise<StoredSignal[]> {
  const { limit, status } = await checkSignalQuery(ctx, query);
  const where: string[] = [];
  const args: (string | number)[] = [ctx.workspace];
  if (status !== 'all') {
    where.push('status = ?');
    args.push(status);
  }
  for (const [column, value] of [
    ['team_id', query.team],
    ['kind', query.kind],
    ['severity', query.severity],
  ] as const) {
    if (value !== undefined) {
      where.push(`${column} = ?`);
      args.push(value);
    }
  }
  const readable = ctx.wellbeingKinds.length > 0 ? await wellbeingReadable(ctx, query.viewer) : undefined;
  if (readable && !readable.all) {
    where.push(
      "(kind NOT IN (SELECT value FROM json_each(?)) OR (subject_type = 'person' AND subject_id IN (SELECT value FROM json_each(?))))",
    );
    args.push(JSON.stringify(ctx.wellbeingKinds), JSON.stringify([...readable.people]));
  }
  const { rows } = await ctx.store.execute(
    `SELECT signals.*, ${LAST_SEEN} AS seen FROM signals WHERE workspace = ?${where.map((w) => ` AND ${w}`).join('')} ORDER BY ${SEVERITY_RANK}, first_seen_at, fingerprint LIMIT ?`,
    [...args, limit],
  );
  return listedSignal.all(rows).map(toStored);
}

/**
 * One stored signal by its id (its fingerprint, as `list()` shows it), or `undefined`: also when it is a
 * person-level wellbeing signal the viewer may not read (the same rule as `list()`; `viewer` as there).
 */
export async function getSignal(
  ctx: SignalsContext,
  id: string,
  options: { viewer?: string | null } = {},
): Promise<StoredSignal | undefined> {
  const { rows } = await ctx.store.execute(`SELECT signals.*, ${LAST_SEEN} AS seen FROM signals WHERE workspace = ? AND fingerprint = ?`, [
    ctx.workspace,
    id,
  ]);
  const signal = listedSignal.all(rows).map(toStored)[0];
  if (!signal || !ctx.wellbeingKinds.includes(signal.kind)) return signal;
  const readable = await wellbeingReadable(ctx, options.viewer);
  return readable.all || (signal.subject.type === 'person' && readable.people.has(signal.subject.id)) ? signal : undefined;
}

/** Open wellbeing signals counted per team and kind, without names; optionally of one team. */
export async function countWellbeing(ctx: SignalsContext, query: { team?: string } = {}): Promise<WellbeingCount[]> {
  if (query.team !== undefined) await assertKnownTeam(ctx, query.team);
  const { rows } = await ctx.store.execute(
    `SELECT team_id, kind, count(*) AS n FROM signals WHERE workspace = ? AND status = 'open' AND kind IN (SELECT value FROM json_each(?))
     ${query.team === undefined ? '' : 'AND team_id = ?'} GROUP BY team_id, kind ORDER BY team_id, kind`,
    [ctx.workspace, JSON.stringify(ctx.wellbeingKinds), ...(query.team === undefined ? [] : [query.team])],
  );
  return teamKindCount.all(rows).map((r) => ({ ...(r.team_id === null ? {} : { team: r.team_id }), kind: r.kind, count: r.n }));
}
