import type { MetricQuery, StoreReader } from '@teamstate/core';
import { sql } from '@teamstate/core/store';
import { warnAbout } from '../common/evidence.js';
import { issueScope, pullRequestScope } from '../common/scope.js';
import { isIssue } from '../common/work-items.js';

/** Open draft pull requests at `to`: not work in progress by definition, but worth knowing about. */
export const draftPullRequests = (db: StoreReader, q: MetricQuery) =>
  warnAbout(
    db,
    sql`SELECT w.key AS label FROM work_items w WHERE w.workspace = ${q.workspace} AND w.kind = 'pull_request' AND w.created_at < ${q.to}
      AND (w.merged_at IS NULL OR w.merged_at >= ${q.to}) AND (w.closed_at IS NULL OR w.closed_at >= ${q.to}) AND w.draft = 1
      AND ${pullRequestScope('w', q)}`,
    (n, sample) => `${n} open pull request(s) are drafts and are not counted: ${sample}`,
  );

/** Open issues with an in-progress status but no transitions: their status history is unknown, so they are not counted. */
export const issuesWithoutTransitions = (db: StoreReader, q: MetricQuery) =>
  warnAbout(
    db,
    sql`SELECT w.key AS label FROM work_items w WHERE w.workspace = ${q.workspace} AND ${isIssue('w')} AND w.created_at < ${q.to}
      AND w.status_category = 'in_progress' AND ${issueScope('w', q)}
      AND NOT EXISTS (SELECT 1 FROM transitions t WHERE t.workspace = w.workspace AND t.work_item_id = w.id)`,
    (n, sample) =>
      `${n} in-progress issue(s) have no status transitions, so their status at \`to\` is unknown and they are not counted: ${sample}`,
  );
