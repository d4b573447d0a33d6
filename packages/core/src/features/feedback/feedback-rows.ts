import type { Feedback } from '../../kernel/model/feedback.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import { compact } from '../../kernel/store/row-mapping.js';
import { opt } from '../../records/store/records.js';
import type { AiFeedbackRow } from './schema.js';

/** Maps an `ai_feedback` row. */
export const feedbackFromRow = (row: AiFeedbackRow): Feedback =>
  compact({
    id: row.id,
    person: row.personId,
    category: row.category,
    tool: opt(row.tool),
    text: row.text,
    pullRequest: row.pullRequest ?? undefined,
    repository: opt(row.repositoryId),
    paths: row.paths === null ? undefined : (JSON.parse(row.paths) as string[]),
    createdAt: formatTimestamp(row.createdAt),
  });
