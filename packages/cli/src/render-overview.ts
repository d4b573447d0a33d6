import { type Overview, safeText } from '@teamstate/core';
import type { colors } from './runtime.js';
import { renderTable } from './table.js';
import { wrapText } from './wrap.js';

/** Renders the workspace overview as aligned tables. */
export function renderOverview(overview: Overview, c: ReturnType<typeof colors>): string {
  const { totals } = overview;
  const lines = [
    c.bold(
      `${totals.teams} teams · ${totals.people} people · ${totals.repositories} repositories · ${totals.workItems} work items · ${totals.deployments} deployments · ${totals.incidents} incidents`,
    ),
    '',
    renderTable(
      ['Team', 'People', 'PRs', 'Review', 'Merged', 'Deploys', 'Failed', 'Incidents', 'WIP', 'Blocked'],
      overview.teams.map((t) => [
        t.name,
        t.members,
        t.openPullRequests,
        t.pullRequestsAwaitingReview,
        t.pullRequestsMergedLast7Days,
        t.productionDeploymentsLast7Days,
        t.failedProductionDeploymentsLast7Days,
        t.openIncidents,
        t.workInProgress,
        t.itemsBlocked,
      ]),
    ),
    // The legend is prose: wrapped to the width, each line dimmed on its own.
    ...wrapText(
      [
        'PRs: open (drafts included) · Review: the review queue (not approved, not waiting on the author)',
        'Incidents: open now · WIP: the wip metric now (open PRs but drafts, plus issues in progress)',
        'Merged, Deploys (to production) and Failed: in the last 7 days',
      ].join('\n'),
    )
      .split('\n')
      .map((line) => c.dim(line)),
  ];
  const sprints = overview.teams.filter((t) => t.activeSprint);
  if (sprints.length > 0) {
    lines.push('', c.bold('Active sprints'));
    for (const t of sprints) {
      const s = t.activeSprint!;
      lines.push(
        `  ${safeText(s.name, { singleLine: true, maxLength: 120 })}: ${s.donePoints} of ${s.committedPoints} committed points done, ${s.doneItems}/${s.items} items, ends ${s.endAt.slice(0, 10)}`,
      );
    }
  }
  lines.push('', ...freshnessLines(overview, c));
  return `${lines.join('\n')}\n`;
}

const DAY_MS = 86_400_000;

/** `2026-03-10 11:55 UTC`, with `(3 days old)` when over a day before the overview's instant. */
function when(iso: string, at: string, c: ReturnType<typeof colors>): string {
  const text = `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
  const days = Math.floor((Date.parse(at) - Date.parse(iso)) / DAY_MS);
  return days >= 1 ? `${text} ${c.yellow(`(${days} day${days === 1 ? '' : 's'} old)`)}` : text;
}

/** When each connector last synced successfully and each webhook provider last delivered. */
function freshnessLines({ freshness, at }: Overview, c: ReturnType<typeof colors>): string[] {
  const name = (text: string) => safeText(text, { singleLine: true, maxLength: 60 });
  const syncs = freshness.syncs.map(
    (s) => `${name(s.connector)} ${s.lastSucceededAt ? when(s.lastSucceededAt, at, c) : c.yellow('never')}`,
  );
  const lines = [`Last synced: ${syncs.length > 0 ? syncs.join(' · ') : 'never (no connector has synced into this database)'}`];
  if (freshness.webhooks.length > 0)
    lines.push(`Last webhook: ${freshness.webhooks.map((w) => `${name(w.provider)} ${when(w.lastReceivedAt, at, c)}`).join(' · ')}`);
  return lines;
}
