import { z } from 'zod';
import { idSchema } from '../../kernel/model/common.js';

/** A link between two work items: `{ from, to, kind: 'blocks' }` means `from` blocks `to`. */
export const workItemLinkSchema = z.strictObject({
  from: idSchema,
  to: idSchema,
  kind: z.enum(['blocks', 'relates', 'parent']),
});

/** A bundle's `workItemLinks` element. */
export type WorkItemLink = z.infer<typeof workItemLinkSchema>;
