import { specOf } from '../../kernel/store/table-spec.js';
import { aiUsage } from './schema.js';

/** Bulk-writer spec of the AI tool usage table. */
export const aiUsageSpec = specOf(aiUsage);
