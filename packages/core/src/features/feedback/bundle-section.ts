import { bundleFeedbackSchema } from '../../kernel/model/feedback.js';
import { parseTimestamp } from '../../kernel/model/timestamp.js';
import { columns, integer, text } from '../../kernel/store/row-decoder.js';
import type { BundleSection } from '../../records/feature.js';
import { feedbackFromRow } from './feedback-rows.js';
import { aiFeedbackSpec } from './table-specs.js';
import { bundleFeedbackId, writeFeedback } from './write-feedback.js';

const storedFeedback = columns({ id: text, created_at: integer });

/** The bundle's `aiFeedback`: feedback without an id gets one derived from what it says, so a re-import writes it once. */
export const aiFeedbackSection: BundleSection<'aiFeedback', typeof bundleFeedbackSchema> = {
  list: 'aiFeedback',
  element: bundleFeedbackSchema,
  tables: ['ai_feedback'],
  references: (feedback) => [
    { kind: 'person', id: feedback.person, path: 'person' },
    { kind: 'repository', id: feedback.repository, path: 'repository' },
  ],
  async write(tx, workspace, given, now) {
    if (given.length === 0) return 0;
    const feedback = given.map((f) => ({ ...f, id: f.id ?? bundleFeedbackId(f) }));
    // Feedback without createdAt keeps the time it was first imported.
    const undated = feedback.filter((f) => f.createdAt === undefined).map((f) => f.id);
    const stored = new Map<string, number>();
    if (undated.length > 0) {
      const { rows } = await tx.execute({
        sql: 'SELECT id, created_at FROM ai_feedback WHERE workspace = ? AND id IN (SELECT value FROM json_each(?))',
        args: [workspace, JSON.stringify(undated)],
      });
      for (const row of storedFeedback.all(rows)) stored.set(row.id, row.created_at);
    }
    return writeFeedback(
      tx,
      workspace,
      feedback.map((f) => ({ ...f, createdAt: f.createdAt === undefined ? (stored.get(f.id) ?? now) : parseTimestamp(f.createdAt)! })),
    );
  },
  async read(execute, workspace, person) {
    const { rows } = await execute(
      `SELECT ${aiFeedbackSpec.select()} FROM ai_feedback WHERE workspace = ?1 ${person === undefined ? '' : 'AND person_id = ?2'} ORDER BY created_at, id`,
      person === undefined ? [workspace] : [workspace, person],
    );
    return aiFeedbackSpec.rows.all(rows).map(feedbackFromRow);
  },
};
