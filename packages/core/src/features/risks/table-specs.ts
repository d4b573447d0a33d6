import { specOf } from '../../kernel/store/table-spec.js';
import { risks } from './schema.js';

/** Bulk-writer spec of the risk register. */
export const risksSpec = specOf(risks);
