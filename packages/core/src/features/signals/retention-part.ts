import { z } from 'zod';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import { columns, integer, scalar, text } from '../../kernel/store/row-decoder.js';
import { toRow } from '../../kernel/store/table-spec.js';
import { insertIgnoring } from '../../kernel/store/upsert.js';
import type { RestoredCounts, RetentionPart } from '../../records/feature.js';
import type { SignalRow } from './schema.js';
import { signalsSpec } from './table-specs.js';

const epochMs = z.number().int().min(0);

/** A resolved `signals` row, as `resolved-signals.jsonl.gz` holds it. */
export const signalLineSchema = z.strictObject({
  fingerprint: z.string().min(1),
  kind: z.string().min(1),
  severity: z.string().min(1),
  subjectType: z.string().min(1),
  subjectId: z.string().min(1),
  teamId: z.string().nullable(),
  title: z.string(),
  evidence: z.string(),
  status: z.literal('resolved'),
  firstSeenAt: epochMs,
  lastSeenAt: epochMs,
  resolvedAt: epochMs,
  // Added with acknowledgements: archives written before them have none.
  ackedBy: z.string().nullable().default(null),
  ackedAt: epochMs.nullable().default(null),
  snoozedUntil: epochMs.nullable().default(null),
  owner: z.string().nullable().default(null),
});
export type SignalLine = z.infer<typeof signalLineSchema>;

// A column added to the table must be added to its line too: this fails to compile until it is.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShape: Same<Omit<SignalLine, 'status' | 'resolvedAt'>, Omit<SignalRow, 'workspace' | 'status' | 'resolvedAt'>> = true;
void sameShape;

const PAGE = 1_000;
/** The key of a signal deleted (`RETURNING`): its fingerprint and last_seen_at. */
const deletedKey = columns({ a: text, b: integer });

/** Signals resolved before the cutoff. */
export const resolvedSignalsRetention: RetentionPart = {
  name: 'resolvedSignals',
  file: 'resolved-signals.jsonl.gz',
  timeField: 'resolvedAt',
  counts: ['resolvedSignals'],
  lineSchema: signalLineSchema,
  cutoff: (beforeMs) => ({ value: beforeMs, shown: formatTimestamp(beforeMs) }),
  async count(execute, workspace, before) {
    const { rows } = await execute("SELECT count(*) AS n FROM signals WHERE workspace = ? AND status = 'resolved' AND resolved_at < ?", [
      workspace,
      before,
    ]);
    return { resolvedSignals: scalar(rows, 'n', integer) };
  },
  async *expired(execute, workspace, before) {
    let after = '';
    for (;;) {
      const rows = signalsSpec.rows.all(
        (
          await execute(
            `SELECT ${signalsSpec.select()} FROM signals WHERE workspace = ? AND status = 'resolved' AND fingerprint > ? AND resolved_at < ?
             ORDER BY fingerprint LIMIT ?`,
            [workspace, after, before, PAGE],
          )
        ).rows,
      );
      if (rows.length === 0) return;
      for (const { workspace: _, ...row } of rows)
        yield {
          line: row,
          at: formatTimestamp(row.resolvedAt ?? 0),
          keys: [{ count: 'resolvedSignals', a: row.fingerprint, b: row.lastSeenAt }],
        };
      after = rows.at(-1)!.fingerprint;
    }
  },
  async delete(tx, workspace, before) {
    const { rows } = await tx.execute({
      sql: "DELETE FROM signals WHERE workspace = ? AND status = 'resolved' AND resolved_at < ? RETURNING fingerprint AS a, last_seen_at AS b",
      args: [workspace, before],
    });
    return deletedKey.all(rows).map(({ a, b }) => ({ count: 'resolvedSignals', a, b }));
  },
  async restore(tx, workspace, line): Promise<RestoredCounts> {
    const inserted = await insertIgnoring(tx, signalsSpec, toRow(signalsSpec, { workspace, ...(line as SignalLine) }));
    return inserted ? { restored: { resolvedSignals: 1 }, skipped: {} } : { restored: {}, skipped: { resolvedSignals: 1 } };
  },
};
