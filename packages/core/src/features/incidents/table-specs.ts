import { specOf } from '../../kernel/store/table-spec.js';
import { oncalls } from './schema.js';

/** Bulk-writer spec of the oncalls table. */
export const oncallsSpec = specOf(oncalls);
