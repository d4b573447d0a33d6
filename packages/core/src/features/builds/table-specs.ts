import { specOf } from '../../kernel/store/table-spec.js';
import { builds } from './schema.js';

/** Bulk-writer spec of the builds table. */
export const buildsSpec = specOf(builds);
