import { type Overview, safeText } from '@teamstate/core';
import type { colors } from './runtime.js';
import { renderTable } from './table.js';

/** Renders the workspace overview as aligned tables. */
export function renderOverview(overview: Overview, c: ReturnType<typeof colors>): string {
  const { totals } = overview;
  const lines = [
    c.bold(
      `${totals.teams} teams · ${totals.people} people · ${totals.repositories} repositories · ${totals.workItems} work items · ${totals.deployments} deployments · ${totals.incidents} incidents`,
    ),
    '',
    renderTable(
      [
        'Team',
        'People',
        'Open PRs',
        'Awaiting review',
        'Merged 7d',
        'Prod deploys 7d',
        'Failed 7d',
        'Open incidents',
        'In progress',
        'Blocked',
      ],
      overview.teams.map((t) => [
        t.name,
        t.members,
        t.openPullRequests,
        t.pullRequestsAwaitingReview,
        t.pullRequestsMergedLast7Days,
        t.productionDeploymentsLast7Days,
        t.failedProductionDeploymentsLast7Days,
        t.openIncidents,
        t.itemsInProgress,
        t.itemsBlocked,
      ]),
    ),
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
  return `${lines.join('\n')}\n`;
}
