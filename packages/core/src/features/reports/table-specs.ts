import { specOf } from '../../kernel/store/table-spec.js';
import { reportRevisions, reports } from './schema.js';

/** Bulk-writer specs of the reports feature's tables. */
export const reportSpecs = { reports: specOf(reports), reportRevisions: specOf(reportRevisions) } as const;
