import { defineFeature, type FeatureContext } from '../../services/feature-kit/index.js';
import { reportsSection } from './bundle-section.js';
import { migrations } from './migrations/index.js';
import { createReportsApi, type ReportOptions, resolveReportOptions } from './reports-api.js';
import { reportsRetention } from './retention-part.js';
import * as tables from './schema.js';
import { type TimelineQuery, timeline } from './timeline.js';

/**
 * Daily reports: the bundle's `reports`; retention archives old days with their revisions; a person's reports, revisions
 * and reminders go when they are erased, and their words leave the full-text index.
 */
export const reportsFeature = defineFeature({
  name: 'reports',
  migrations,
  tables,
  perReader: true,
  hooks: {
    checkOptions: (options) => void resolveReportOptions(options.reports),
    retention: [reportsRetention],
    person: {
      async erase(tx, { workspace, person }) {
        const run = async (sql: string) => (await tx.execute({ sql, args: [workspace, person] })).rowsAffected;
        const reportRevisions = await run(
          'DELETE FROM report_revisions WHERE workspace = ?1 AND report_id IN (SELECT id FROM reports WHERE workspace = ?1 AND person_id = ?2)',
        );
        const reports = await run('DELETE FROM reports WHERE workspace = ?1 AND person_id = ?2');
        await run('DELETE FROM report_reminders WHERE workspace = ?1 AND person_id = ?2');
        // A delete only marks their words as gone in the full-text index: the segments that hold them stay until merged.
        // Merged into one now (about 1-2 s at 365,000 reports): the old segments' pages are freed, and the rebuild after
        // the erasure drops them.
        if (reports > 0) await tx.execute("INSERT INTO reports_fts (reports_fts) VALUES ('optimize')");
        return { reports, reportRevisions };
      },
    },
  },
  api(context: FeatureContext<{ reports?: ReportOptions }>) {
    const { store, workspace, reading } = context;
    const productionEnvironments = context.metricSettings.productionEnvironments;
    const reports = createReportsApi({
      store,
      workspace,
      clock: context.writeClock,
      maxDaysBack: resolveReportOptions(context.options.reports).maxDaysBack,
      productionEnvironments,
      reminders: { policy: context.policy.document, clock: context.clock },
      reading,
    });
    return {
      ...reports,
      /**
       * A person's reports and activity merged in time order, oldest first, one page at a time: PRs opened, merged and
       * reviewed, issues (assigned to them) moved, production deployments that shipped their PRs. `from`/`to` are ISO
       * timestamps (`[from, to)`) or days `YYYY-MM-DD` (the person's whole local days).
       * @example const { items, nextCursor } = await ts.reports.timeline('ana', { from: '2026-03-16', to: '2026-03-20' })
       */
      timeline: (person: string, query: TimelineQuery) => timeline({ store, workspace, productionEnvironments, reading }, person, query),
    };
  },
  bundle: { lists: [reportsSection] },
});
