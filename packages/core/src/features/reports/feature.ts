import { defineFeature } from '../../records/feature.js';
import { reportsSection } from './bundle-section.js';
import { reportsRetention } from './retention-part.js';

/**
 * Daily reports: the bundle's `reports`; retention archives old days with their revisions; a person's reports, revisions
 * and reminders go when they are erased, and their words leave the full-text index.
 */
export const reportsFeature = defineFeature({
  name: 'reports',
  bundle: { lists: [reportsSection] },
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
});
