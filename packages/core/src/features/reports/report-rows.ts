import type { Report } from '../../kernel/model/report.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import { compact } from '../../kernel/store/row-mapping.js';
import { opt } from '../../records/store/records.js';
import type { ReportRow } from './schema.js';

/** Maps a `reports` row. */
export const reportFromRow = (row: ReportRow): Report =>
  compact({
    id: row.id,
    person: row.personId,
    day: row.day,
    text: row.text,
    blockers: opt(row.blockers),
    source: row.source,
    createdAt: formatTimestamp(row.createdAt),
    updatedAt: formatTimestamp(row.updatedAt),
  });
