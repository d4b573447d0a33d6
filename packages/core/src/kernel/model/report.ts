import { z } from 'zod';
import { groupDigits } from '../text/format-values.js';
import { idSchema } from './common.js';
import { daySchema } from './local-day.js';
import { timestampSchema } from './timestamp.js';

/** The longest report text (and blockers), in characters. */
export const REPORT_TEXT_MAX = 20_000;

/** Where a report was written: an assistant over MCP, the CLI, Slack, an app through the SDK, or a bundle import. */
export const reportSourceSchema = z.enum(['mcp', 'cli', 'slack', 'api', 'import']);
export type ReportSource = z.infer<typeof reportSourceSchema>;

/**
 * A daily report as a bundle carries it (docs/bundle-format.md): one per person and local day. Imported reports
 * get `source: import`; `createdAt` defaults to the time of the import, `updatedAt` to `createdAt`.
 */
export const bundleReportSchema = z.strictObject({
  id: idSchema.optional(),
  person: idSchema,
  day: daySchema,
  text: z
    .string({ error: 'expected the report as a markdown string' })
    .refine((text) => text.trim() !== '', { error: 'must not be empty' })
    .refine((text) => text.length <= REPORT_TEXT_MAX, { error: `must be at most ${groupDigits(REPORT_TEXT_MAX)} characters` }),
  blockers: z
    .string()
    .max(REPORT_TEXT_MAX, { error: `must be at most ${groupDigits(REPORT_TEXT_MAX)} characters` })
    .optional(),
  createdAt: timestampSchema.optional(),
  updatedAt: timestampSchema.optional(),
});
export type BundleReport = z.infer<typeof bundleReportSchema>;

/** A stored daily report. Timestamps are UTC ISO instants. */
export interface Report {
  id: string;
  person: string;
  /** The person's local day, `YYYY-MM-DD`. */
  day: string;
  /** Markdown. */
  text: string;
  blockers?: string;
  source: ReportSource;
  createdAt: string;
  updatedAt: string;
}
