import { specOf } from '../../kernel/store/table-spec.js';
import { goals } from './schema.js';

/** Bulk-writer spec of the goals table. */
export const goalsSpec = specOf(goals);
