import { TeamStateError, unknownId } from '../../kernel/errors.js';
import { parseDuration } from '../../kernel/model/duration.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, nullable, oneOf, scalar, text, textOf } from '../../kernel/store/row-decoder.js';
import { sql } from '../../kernel/store/sql.js';
import { createStoreReader } from '../../kernel/store/store-reader.js';
import { type Readable, type Reading, readablePeople, readingRules, viewerOf } from '../../records/identity/viewer.js';
import type { PolicyDocument } from '../../services/approvals/index.js';
import { parseWindowBound } from '../../services/metrics/index.js';
import { optedOut } from '../../services/privacy/index.js';
import { DEFAULT_WORKING_HOURS, type WorkingHours } from '../../services/working-hours/index.js';
import type { DetectedSignal, SignalDetector, SignalSettings, SignalSeverity } from '../../spec/signal-detector.js';
import { validateDetectors } from '../../spec/validate-specs.js';
import { changeCounters, inputsOf, type LastRun, lastRuns, stillHolds } from './detector-inputs.js';

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

/** The input of `ts.signals.ack()`. */
export interface SignalAck {
  /** Who acknowledges: a person id. */
  by: string;
  /** Who owns acting on it (a person id; default `by`). */
  owner?: string;
}

/** The input of `ts.signals.snooze()`: `for` (a duration such as `2d`, `4h`) or `until` (an ISO timestamp). */
export interface SignalSnooze {
  /** Who snoozes: a person id. */
  by: string;
  for?: string;
  until?: string;
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

/** What a refresh did. */
export interface RefreshResult {
  at: string;
  open: number;
  opened: number;
  resolved: number;
  byKind: Record<string, number>;
  /** The kinds whose detector was not run again (an incremental refresh: none of its inputs changed). */
  skipped: string[];
}

/** Options of `ts.signals.refresh()`. */
export interface RefreshOptions {
  /** Run every detector, whatever changed (default: incremental, see `SignalDetector.incremental`). */
  full?: boolean;
  /**
   * Accept a time-driven detector's signals from a refresh at most this many milliseconds ago when none of its data
   * changed since (default 0: only from a refresh at the same now). For readers that refresh on every call
   * (`list_signals`, the standup digest): their ages and waits are then up to that much old, never their data.
   */
  maxAgeMs?: number;
}

/** Signals written per statement. */
const WRITE_BATCH = 2_000;

/** A found signal as written: fingerprint, kind, severity, subject type and id, team, title, evidence (JSON). */
type SignalRow = [string, string, string, string, string, string | null, string, string];

/** An open signal as stored: fingerprint, severity, team, title, evidence (JSON). */
type OpenSignal = [string, string, string | null, string, string];

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
/** Open signals counted per kind (and team). */
const kindCount = columns({ kind: text, n: integer });
const teamKindCount = columns({ team_id: nullable(text), kind: text, n: integer });
const teamId = columns({ id: text });
const signalKind = columns({ kind: text });

/** The stable identity of a detected signal. */
export const fingerprintOf = (kind: string, s: DetectedSignal) => `${kind}:${s.subject.type}:${s.subject.id}${s.key ? `:${s.key}` : ''}`;

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

/** Builds `ts.signals`: refresh (detect, upsert, resolve what no longer holds) and list. */
export function createSignalsApi(deps: {
  store: Store;
  workspace: string;
  clock: () => Date;
  detectors: readonly SignalDetector[];
  settings?: SignalSettings;
  /** The policy document: `privacy.wellbeing` and the approvers decide who sees wellbeing signals. */
  policy?: PolicyDocument;
  /** Who reads: person-level wellbeing signals only of the people the viewer may read. */
  reading?: Reading;
}) {
  const { store, workspace, clock, detectors } = deps;
  const policy = deps.policy ?? {};
  const wellbeingKinds = detectors.filter((detector) => detector.wellbeing).map((detector) => detector.kind);
  const rules = readingRules(policy);
  // `viewer` of a query names the reader (a person id; null: nobody, an unknown id reads nobody's); else the facade's.
  async function wellbeingReadable(viewer: string | null | undefined): Promise<Readable> {
    if (viewer === undefined) return deps.reading ? deps.reading.readable('wellbeing') : { all: true };
    const known =
      viewer !== null && (await store.execute('SELECT 1 FROM people WHERE workspace = ? AND id = ?', [workspace, viewer])).rows.length > 0;
    const who = known ? await viewerOf(store, workspace, rules, { person: viewer }) : { teams: [], lead: [] };
    return readablePeople(store, workspace, rules, who, 'wellbeing');
  }
  const workingHours: WorkingHours = { ...DEFAULT_WORKING_HOURS, ...deps.settings?.workingHours };
  // Read-only access, no write(), no raw client. Detectors read side by side: on a local file their statements go to
  // connections of their own, one per core.
  const db = createStoreReader(store, workspace);
  const detectorDb = createStoreReader({ execute: (text, args) => store.readAside(text, args) }, workspace);
  validateDetectors(detectors);
  const kinds = detectors.map((detector) => detector.kind);
  const settingsFor = (detector: SignalDetector) => (team?: string) => ({
    ...detector.defaults,
    ...deps.settings?.thresholds?.[detector.kind],
    ...(team ? deps.settings?.teams?.[team]?.[detector.kind] : undefined),
  });

  // A person id an ack or snooze names: refused with the field when nobody has it.
  async function knownPerson(field: string, id: unknown): Promise<string> {
    if (typeof id !== 'string' || id.length === 0)
      throw new TeamStateError('invalid_argument', `${field}: expected a person id (who acts on the signal), got ${JSON.stringify(id)}`);
    const { rows } = await store.execute('SELECT 1 FROM people WHERE workspace = ? AND id = ?', [workspace, id]);
    if (rows.length === 0) throw unknownId(field, id, [], { what: 'person', list: 'never' });
    return id;
  }
  // The signal an ack or snooze is about: it must exist and be open.
  async function openSignal(id: unknown): Promise<void> {
    if (typeof id !== 'string' || id.length === 0)
      throw new TeamStateError(
        'invalid_argument',
        `signal: expected a signal id (its fingerprint, as signals list shows it), got ${JSON.stringify(id)}`,
      );
    const { rows } = await store.execute('SELECT status FROM signals WHERE workspace = ? AND fingerprint = ?', [workspace, id]);
    const status = rows[0]?.status;
    if (status === undefined)
      throw new TeamStateError('not_found', `signal: no signal "${id}" (teamstate signals --json lists their fingerprints)`);
    if (status !== 'open') throw new TeamStateError('invalid_argument', `signal: "${id}" is already resolved; nothing to acknowledge`);
  }

  return {
    /** The registered detectors: kind, title, description, default thresholds. */
    detectors: () => detectors.map(({ kind, title, description, defaults }) => ({ kind, title, description, defaults: defaults ?? {} })),

    /**
     * Runs the detectors at the clock's now and stores the result in one transaction: new signals open, those still
     * holding are updated (first seen kept), those no longer holding are resolved. Incremental by default: a detector
     * that declares `incremental` and none of whose inputs (the tables it reads, its settings, the working hours, the
     * now of a time-driven one) changed since its last run is not run again; its open signals stay as they are (seen
     * again now). The result is the same as a full refresh's; `{ full: true }` runs every detector, `{ maxAgeMs }`
     * lets a time-driven one's last run stand for that long.
     */
    async refresh(options: RefreshOptions = {}): Promise<RefreshResult> {
      if (options.maxAgeMs !== undefined && !(Number.isFinite(options.maxAgeMs) && options.maxAgeMs >= 0))
        throw new TeamStateError('invalid_argument', `maxAgeMs: expected a number of milliseconds ≥ 0, got ${options.maxAgeMs}`);
      const now = clock();
      const at = now.getTime();
      // Nothing about the wellbeing of someone who opted out (or was erased) is kept: not even as resolved.
      const quiet = wellbeingKinds.length === 0 ? new Set<string>() : await optedOut(store, workspace, 'wellbeing');
      const counters = await changeCounters(store, workspace);
      const previous = options.full ? new Map<string, LastRun>() : await lastRuns(store, workspace);
      const ran: { detector: SignalDetector; inputs?: string }[] = [];
      const skipped: string[] = [];
      for (const detector of detectors) {
        const inputs = detector.incremental
          ? inputsOf(detector, { counters, settings: deps.settings, workingHours, quiet: detector.wellbeing ? quiet : undefined })
          : undefined;
        if (inputs !== undefined && stillHolds(detector, previous.get(detector.kind), inputs, at, options.maxAgeMs))
          skipped.push(detector.kind);
        else ran.push({ detector, inputs });
      }
      // The detectors run side by side (they only read). Each one's signals become rows as it finishes, while the
      // others still read (kinds are unique, so no two detectors find the same fingerprint).
      const finished: Map<string, SignalRow>[] = [];
      const detecting = ran.map(async ({ detector }, index) => {
        const signals = await detector.detect(detectorDb, { workspace, now, settings: settingsFor(detector), workingHours });
        const rows = new Map<string, SignalRow>();
        for (const signal of signals) {
          if (detector.wellbeing && signal.subject.type === 'person' && quiet.has(signal.subject.id)) continue;
          const fingerprint = fingerprintOf(detector.kind, signal);
          // Found twice: what was found last.
          rows.delete(fingerprint);
          rows.set(fingerprint, [
            fingerprint,
            detector.kind,
            signal.severity,
            signal.subject.type,
            signal.subject.id,
            signal.team ?? null,
            signal.title,
            JSON.stringify(signal.evidence),
          ]);
        }
        finished[index] = rows;
      });
      // A detector that fails fails the refresh when the write reaches it (in the detectors' order), never as an
      // unhandled rejection while an earlier one still reads.
      for (const running of detecting) running.catch(() => undefined);
      // On a local file the write begins now: each detector's rows are written once it and every detector before it
      // have finished, while the others still read (at 10,000 engineers, the 11,586 rows of a first refresh no longer
      // wait for the last detector). Its reads run on connections of their own and see only what was committed, never
      // this transaction. Elsewhere a detector may read through the connection the transaction holds (memory, a
      // replica) or a server's stream: the write begins once every detector has finished.
      if (store.kind !== 'file') await Promise.all(detecting);
      // Without waiting for the disk (durability 'normal'): signals are derived from the store, and a refresh lost to
      // a power cut is made again by the next one.
      return store.write(
        async (tx) => {
          // The signals of the detectors that ran, open before this refresh (a fingerprint starts with its kind: a found
          // one is open before only among them), with what they say; handed over as one JSON text. Opened = found and
          // not open before (new, or reopened): not "first seen now", since a refresh at the same injected instant as
          // the one that opened a signal must not count it again. Resolved = open before and not found now.
          const { rows: openRows } = await tx.execute({
            sql: `SELECT json_group_array(json_array(fingerprint, severity, team_id, title, evidence)) AS packed FROM signals
                WHERE workspace = ? AND status = 'open' AND kind IN (SELECT value FROM json_each(?))`,
            args: [workspace, JSON.stringify(ran.map((r) => r.detector.kind))],
          });
          const openBefore = new Map<string, OpenSignal>();
          for (const open of JSON.parse(scalar(openRows, 'packed', text)) as OpenSignal[]) openBefore.set(open[0], open);
          // Every found signal's row, in the detectors' order.
          const rows = new Map<string, SignalRow>();
          let opened = 0;
          for (let next = 0; next < detecting.length; ) {
            await detecting[next];
            // Only new, reopened and changed signals are written: one still open as it was keeps its row (its kind's
            // seen_at below says it was seen now), so a refresh after a small write touches only what it changed.
            const changed: SignalRow[] = [];
            for (; next < detecting.length && finished[next] !== undefined; next++)
              for (const [fingerprint, row] of finished[next]!) {
                rows.set(fingerprint, row);
                const open = openBefore.get(fingerprint);
                if (open === undefined) opened++;
                const [, , severity, , , team, title, evidence] = row;
                if (open === undefined || open[1] !== severity || open[2] !== team || open[3] !== title || open[4] !== evidence)
                  changed.push(row);
              }
            for (let start = 0; start < changed.length; start += WRITE_BATCH) {
              // One statement per batch: every row sent is new, reopened or changed.
              await tx.execute({
                sql: `INSERT INTO signals (workspace, fingerprint, kind, severity, subject_type, subject_id, team_id, title, evidence, status, first_seen_at, last_seen_at, resolved_at)
                    SELECT ?, json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'), json_extract(j.value, '$[2]'), json_extract(j.value, '$[3]'),
                      json_extract(j.value, '$[4]'), json_extract(j.value, '$[5]'), json_extract(j.value, '$[6]'), json_extract(j.value, '$[7]'), 'open', ?, ?, NULL
                    FROM json_each(?) j WHERE true ORDER BY j.key
                    ON CONFLICT (workspace, fingerprint) DO UPDATE SET severity = excluded.severity, team_id = excluded.team_id, title = excluded.title,
                      evidence = excluded.evidence, last_seen_at = excluded.last_seen_at, resolved_at = NULL, status = 'open',
                      first_seen_at = CASE WHEN signals.status = 'resolved' THEN excluded.first_seen_at ELSE signals.first_seen_at END,
                      acked_by = CASE WHEN signals.status = 'resolved' THEN NULL ELSE signals.acked_by END,
                      acked_at = CASE WHEN signals.status = 'resolved' THEN NULL ELSE signals.acked_at END,
                      snoozed_until = CASE WHEN signals.status = 'resolved' THEN NULL ELSE signals.snoozed_until END,
                      owner = CASE WHEN signals.status = 'resolved' THEN NULL ELSE signals.owner END`,
                args: [workspace, at, at, JSON.stringify(changed.slice(start, start + WRITE_BATCH))],
              });
            }
          }
          const gone = [...openBefore.keys()].filter((fingerprint) => !rows.has(fingerprint));
          // Whatever a detector that ran did not find this time no longer holds (by set, not by time: two refreshes
          // at the same injected instant must still resolve). Last seen: by the previous refresh of its kind.
          let resolved = 0;
          for (let start = 0; start < gone.length; start += WRITE_BATCH) {
            const { rowsAffected } = await tx.execute({
              sql: `UPDATE signals SET status = 'resolved', resolved_at = ?,
                    last_seen_at = COALESCE((SELECT r.seen_at FROM signal_detector_runs r WHERE r.workspace = signals.workspace AND r.kind = signals.kind), last_seen_at)
                  WHERE workspace = ? AND status = 'open' AND fingerprint IN (SELECT value FROM json_each(?))`,
              args: [at, workspace, JSON.stringify(gone.slice(start, start + WRITE_BATCH))],
            });
            resolved += rowsAffected;
          }
          const byKind: Record<string, number> = {};
          for (const [, kind] of rows.values()) byKind[kind] = (byKind[kind] ?? 0) + 1;
          let open = rows.size;
          if (skipped.length > 0) {
            // What a skipped detector found last time still holds: seen again now (its kind's seen_at, below).
            const kept = await tx.execute({
              sql: `SELECT kind, count(*) AS n FROM signals WHERE workspace = ? AND status = 'open' AND kind IN (SELECT value FROM json_each(?)) GROUP BY kind`,
              args: [workspace, JSON.stringify(skipped)],
            });
            for (const row of kindCount.all(kept.rows)) {
              byKind[row.kind] = row.n;
              open += row.n;
            }
          }
          if (quiet.size > 0)
            await tx.execute({
              sql: `DELETE FROM signals WHERE workspace = ? AND subject_type = 'person' AND kind IN (SELECT value FROM json_each(?))
                  AND subject_id IN (SELECT value FROM json_each(?))`,
              args: [workspace, JSON.stringify(wellbeingKinds), JSON.stringify([...quiet])],
            });
          // Every detector's run (inputs empty when it declares none: it always runs again) and when its open signals
          // were seen: now, whether it ran or was skipped.
          if (ran.length > 0)
            await tx.execute({
              sql: `INSERT INTO signal_detector_runs (workspace, kind, inputs, ran_at, seen_at)
                  SELECT ?, json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'), ?, ? FROM json_each(?) j WHERE true
                  ON CONFLICT (workspace, kind) DO UPDATE SET inputs = excluded.inputs, ran_at = excluded.ran_at, seen_at = excluded.seen_at`,
              args: [workspace, at, at, JSON.stringify(ran.map((r) => [r.detector.kind, r.inputs ?? '']))],
            });
          if (skipped.length > 0)
            await tx.execute({
              sql: 'UPDATE signal_detector_runs SET seen_at = ? WHERE workspace = ? AND kind IN (SELECT value FROM json_each(?))',
              args: [at, workspace, JSON.stringify(skipped)],
            });
          return {
            at: now.toISOString(),
            open,
            opened,
            resolved,
            byKind,
            skipped,
          };
        },
        { durability: 'normal' },
      );
    },

    /** Stored signals, most severe and oldest first. */
    async list(query: SignalQuery = {}): Promise<StoredSignal[]> {
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
      if (query.team !== undefined) {
        const teams = (await db.all(teamId, sql`SELECT id FROM teams WHERE workspace = ${workspace} ORDER BY id`)).map((t) => t.id);
        if (!teams.includes(query.team)) throw unknownId('team', query.team, teams);
      }
      if (query.kind !== undefined) {
        const stored = await db.all(signalKind, sql`SELECT DISTINCT kind FROM signals WHERE workspace = ${workspace}`);
        const known = [...new Set([...kinds, ...stored.map((s) => s.kind)])].sort();
        if (!known.includes(query.kind)) throw unknownId('kind', query.kind, known);
      }
      const where: string[] = [];
      const args: (string | number)[] = [workspace];
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
      const readable = wellbeingKinds.length > 0 ? await wellbeingReadable(query.viewer) : undefined;
      if (readable && !readable.all) {
        where.push(
          "(kind NOT IN (SELECT value FROM json_each(?)) OR (subject_type = 'person' AND subject_id IN (SELECT value FROM json_each(?))))",
        );
        args.push(JSON.stringify(wellbeingKinds), JSON.stringify([...readable.people]));
      }
      const { rows } = await store.execute(
        `SELECT signals.*, ${LAST_SEEN} AS seen FROM signals WHERE workspace = ?${where.map((w) => ` AND ${w}`).join('')} ORDER BY ${SEVERITY_RANK}, first_seen_at, fingerprint LIMIT ?`,
        [...args, limit],
      );
      return listedSignal.all(rows).map(toStored);
    },

    /**
     * One stored signal by its id (its fingerprint, as `list()` shows it), or `undefined`: also when it is a
     * person-level wellbeing signal the viewer may not read (the same rule as `list()`; `viewer` as there).
     */
    async get(id: string, options: { viewer?: string | null } = {}): Promise<StoredSignal | undefined> {
      const { rows } = await store.execute(`SELECT signals.*, ${LAST_SEEN} AS seen FROM signals WHERE workspace = ? AND fingerprint = ?`, [
        workspace,
        id,
      ]);
      const signal = listedSignal.all(rows).map(toStored)[0];
      if (!signal || !wellbeingKinds.includes(signal.kind)) return signal;
      const readable = await wellbeingReadable(options.viewer);
      return readable.all || (signal.subject.type === 'person' && readable.people.has(signal.subject.id)) ? signal : undefined;
    },

    /**
     * Acknowledges an open signal as `by` (a person id), who becomes its owner unless `owner` names someone else:
     * working agreements send no more nudges about it (docs/hub.md#working-agreements-and-nudges). Acknowledging it
     * again records the latest. A signal that resolves and opens again starts unacknowledged.
     * @example await ts.signals.ack('pr.awaiting_review:work_item:github:acme/api#7', { by: 'ana' })
     */
    async ack(id: string, input: SignalAck): Promise<StoredSignal> {
      const by = await knownPerson('by', input?.by);
      const owner = input.owner === undefined ? by : await knownPerson('owner', input.owner);
      const at = clock().getTime();
      await openSignal(id);
      await store.write(async (tx) => {
        await tx.execute({
          sql: "UPDATE signals SET acked_by = ?, acked_at = ?, owner = ? WHERE workspace = ? AND fingerprint = ? AND status = 'open'",
          args: [by, at, owner, workspace, id],
        });
      });
      return (await this.get(id))!;
    },

    /**
     * Snoozes an open signal: no nudges about it until `until` (or for `for`: `2d`, `4h`), then they start again
     * where they were. `by` becomes its owner when it has none.
     * @example await ts.signals.snooze('pr.awaiting_review:work_item:github:acme/api#7', { by: 'ana', for: '2d' })
     */
    async snooze(id: string, input: SignalSnooze): Promise<StoredSignal> {
      const by = await knownPerson('by', input?.by);
      const now = clock().getTime();
      let until: number;
      if ((input.for === undefined) === (input.until === undefined))
        throw new TeamStateError('invalid_argument', 'for: give either for (a duration such as 2d or 4h) or until (an ISO timestamp)');
      if (input.for !== undefined) {
        const ms = typeof input.for === 'string' ? parseDuration(input.for) : undefined;
        if (ms === undefined)
          throw new TeamStateError('invalid_argument', `for: expected a duration such as 4h, 2d or 30m, got ${JSON.stringify(input.for)}`);
        until = now + ms;
      } else {
        const parsed = typeof input.until === 'string' ? parseWindowBound(input.until) : undefined;
        if (parsed === undefined || parsed <= now)
          throw new TeamStateError('invalid_argument', `until: expected an ISO timestamp after now, got ${JSON.stringify(input.until)}`);
        until = parsed;
      }
      await openSignal(id);
      await store.write(async (tx) => {
        await tx.execute({
          sql: "UPDATE signals SET snoozed_until = ?, owner = COALESCE(owner, ?) WHERE workspace = ? AND fingerprint = ? AND status = 'open'",
          args: [until, by, workspace, id],
        });
      });
      return (await this.get(id))!;
    },

    /**
     * Open wellbeing signals counted per team and kind, without names: what anyone may see, whoever they are
     * (docs/signals.md#wellbeing-signals). Optionally of one team.
     * @example const counts = await ts.signals.wellbeing({ team: 'payments' }) // [{ team: 'payments', kind: 'person.after_hours', count: 2 }]
     */
    async wellbeing(query: { team?: string } = {}): Promise<WellbeingCount[]> {
      if (query.team !== undefined) {
        const teams = (await db.all(teamId, sql`SELECT id FROM teams WHERE workspace = ${workspace} ORDER BY id`)).map((t) => t.id);
        if (!teams.includes(query.team)) throw unknownId('team', query.team, teams);
      }
      const { rows } = await store.execute(
        `SELECT team_id, kind, count(*) AS n FROM signals WHERE workspace = ? AND status = 'open' AND kind IN (SELECT value FROM json_each(?))
         ${query.team === undefined ? '' : 'AND team_id = ?'} GROUP BY team_id, kind ORDER BY team_id, kind`,
        [workspace, JSON.stringify(wellbeingKinds), ...(query.team === undefined ? [] : [query.team])],
      );
      return teamKindCount.all(rows).map((r) => ({ ...(r.team_id === null ? {} : { team: r.team_id }), kind: r.kind, count: r.n }));
    },
  };
}

/** `ts.signals`. */
export type Signals = ReturnType<typeof createSignalsApi>;
