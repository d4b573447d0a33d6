import { specOf } from '../../kernel/store/table-spec.js';
import { absences } from './schema.js';

/** Bulk-writer spec of the absences table. */
export const absencesSpec = specOf(absences);
