import { specOf } from '../../kernel/store/table-spec.js';
import { aiFeedback } from './schema.js';

/** Bulk-writer spec of the AI feedback table. */
export const aiFeedbackSpec = specOf(aiFeedback);
