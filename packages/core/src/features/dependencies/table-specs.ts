import { specOf } from '../../kernel/store/table-spec.js';
import { workItemLinks } from './schema.js';

/** Bulk-writer spec of the work_item_links table. */
export const workItemLinksSpec = specOf(workItemLinks);
