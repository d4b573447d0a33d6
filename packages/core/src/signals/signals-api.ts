import { TeamStateError } from '../errors.js';
import { closest } from '../model/suggest.js';
import type { DetectedSignal, SignalDetector, SignalSettings, SignalSeverity } from '../spec/signal-detector.js';
import { validateDetectors } from '../spec/validate-specs.js';
import type { Store } from '../store/open-store.js';
import { sql } from '../store/sql.js';
import { createStoreReader } from '../store/store-reader.js';
import { DEFAULT_WORKING_HOURS, type WorkingHours } from './working-hours.js';

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
}

/** What a refresh did. */
export interface RefreshResult {
  at: string;
  open: number;
  opened: number;
  resolved: number;
  byKind: Record<string, number>;
}

const SEVERITY_RANK = "CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END";

/** The stable identity of a detected signal. */
export const fingerprintOf = (kind: string, s: DetectedSignal) => `${kind}:${s.subject.type}:${s.subject.id}${s.key ? `:${s.key}` : ''}`;

/** Builds `ts.signals`: refresh (detect, upsert, resolve what no longer holds) and list. */
export function createSignalsApi(deps: {
  store: Store;
  workspace: string;
  clock: () => Date;
  detectors: readonly SignalDetector[];
  settings?: SignalSettings;
}) {
  const { store, workspace, clock, detectors } = deps;
  const workingHours: WorkingHours = { ...DEFAULT_WORKING_HOURS, ...deps.settings?.workingHours };
  // Detectors read through this: no write(), no raw client.
  const db = createStoreReader(store, workspace);
  validateDetectors(detectors);
  const kinds = detectors.map((detector) => detector.kind);
  const settingsFor = (detector: SignalDetector) => (team?: string) => ({
    ...detector.defaults,
    ...deps.settings?.thresholds?.[detector.kind],
    ...(team ? deps.settings?.teams?.[team]?.[detector.kind] : undefined),
  });

  return {
    /** The registered detectors: kind, title, description, default thresholds. */
    detectors: () => detectors.map(({ kind, title, description, defaults }) => ({ kind, title, description, defaults: defaults ?? {} })),

    /**
     * Runs every detector at the clock's now and stores the result in one transaction: new signals open,
     * those still holding are updated (first seen kept), those no longer holding are resolved.
     */
    async refresh(): Promise<RefreshResult> {
      const now = clock();
      const at = now.getTime();
      const found: { kind: string; signal: DetectedSignal }[] = [];
      for (const detector of detectors) {
        const signals = await detector.detect(db, { workspace, now, settings: settingsFor(detector), workingHours });
        for (const signal of signals) found.push({ kind: detector.kind, signal });
      }
      return store.write(async (tx) => {
        // Opened = not open before this refresh (new, or reopened). Not "first seen now": a refresh at the
        // same injected instant as the one that opened a signal must not count it again.
        const open = await tx.execute({
          sql: "SELECT fingerprint FROM signals WHERE workspace = ? AND status = 'open'",
          args: [workspace],
        });
        const wasOpen = new Set(open.rows.map((row) => String(row.fingerprint)));
        let opened = 0;
        for (const { kind, signal } of found) {
          const fingerprint = fingerprintOf(kind, signal);
          await tx.execute({
            sql: `INSERT INTO signals (workspace, fingerprint, kind, severity, subject_type, subject_id, team_id, title, evidence, status, first_seen_at, last_seen_at, resolved_at)
                  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, NULL)
                  ON CONFLICT (workspace, fingerprint) DO UPDATE SET severity = excluded.severity, team_id = excluded.team_id, title = excluded.title,
                    evidence = excluded.evidence, last_seen_at = excluded.last_seen_at, resolved_at = NULL, status = 'open',
                    first_seen_at = CASE WHEN signals.status = 'resolved' THEN excluded.first_seen_at ELSE signals.first_seen_at END`,
            args: [
              workspace,
              fingerprint,
              kind,
              signal.severity,
              signal.subject.type,
              signal.subject.id,
              signal.team ?? null,
              signal.title,
              JSON.stringify(signal.evidence),
              at,
              at,
            ],
          });
          if (!wasOpen.has(fingerprint)) {
            opened++;
            wasOpen.add(fingerprint);
          }
        }
        // Whatever a detector did not find this time no longer holds (by set, not by time: two refreshes
        // at the same injected instant must still resolve).
        const resolved = await tx.execute({
          sql: `UPDATE signals SET status = 'resolved', resolved_at = ? WHERE workspace = ? AND status = 'open'
                AND kind IN (SELECT value FROM json_each(?)) AND fingerprint NOT IN (SELECT value FROM json_each(?))`,
          args: [at, workspace, JSON.stringify(kinds), JSON.stringify(found.map(({ kind, signal }) => fingerprintOf(kind, signal)))],
        });
        const byKind: Record<string, number> = {};
        for (const { kind } of found) byKind[kind] = (byKind[kind] ?? 0) + 1;
        return { at: now.toISOString(), open: found.length, opened, resolved: resolved.rowsAffected, byKind };
      });
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
        const teams = (await db.all<{ id: string }>(sql`SELECT id FROM teams WHERE workspace = ${workspace} ORDER BY id`)).map((t) => t.id);
        if (!teams.includes(query.team)) throw unknownValue('team', query.team, teams);
      }
      if (query.kind !== undefined) {
        const stored = await db.all<{ kind: string }>(sql`SELECT DISTINCT kind FROM signals WHERE workspace = ${workspace}`);
        const known = [...new Set([...kinds, ...stored.map((s) => s.kind)])].sort();
        if (!known.includes(query.kind)) throw unknownValue('kind', query.kind, known);
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
      const { rows } = await store.execute(
        `SELECT * FROM signals WHERE workspace = ?${where.map((w) => ` AND ${w}`).join('')} ORDER BY ${SEVERITY_RANK}, first_seen_at, fingerprint LIMIT ?`,
        [...args, limit],
      );
      return rows.map((r) => ({
        fingerprint: String(r.fingerprint),
        kind: String(r.kind),
        severity: String(r.severity) as SignalSeverity,
        subject: { type: String(r.subject_type) as DetectedSignal['subject']['type'], id: String(r.subject_id) },
        ...(r.team_id === null ? {} : { team: String(r.team_id) }),
        title: String(r.title),
        evidence: JSON.parse(String(r.evidence)) as Record<string, unknown>,
        status: String(r.status) as 'open' | 'resolved',
        firstSeenAt: new Date(Number(r.first_seen_at)).toISOString(),
        lastSeenAt: new Date(Number(r.last_seen_at)).toISOString(),
        ...(r.resolved_at === null ? {} : { resolvedAt: new Date(Number(r.resolved_at)).toISOString() }),
      }));
    },
  };
}

/** `ts.signals`. */
export type Signals = ReturnType<typeof createSignalsApi>;

/** `team: unknown team "paymnets" (did you mean "payments"?); known: …`, as `ts.metrics` reports it. */
function unknownValue(argument: string, value: string, known: readonly string[]): TeamStateError {
  const suggestion = closest(value, known);
  return new TeamStateError(
    'invalid_argument',
    `${argument}: unknown ${argument} ${JSON.stringify(value)}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}${known.length <= 20 ? `; known: ${known.join(', ') || '(none)'}` : ''}`,
  );
}
