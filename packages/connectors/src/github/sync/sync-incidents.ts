import type { Incident, SyncContext } from '@teamstate/core';
import type { GitHubClient } from '../client/github-client.js';
import { type Connection, type IncidentIssueNode, nodesOf } from '../client/graphql-types.js';
import { INCIDENTS_QUERY } from '../client/queries.js';
import { cursorKey, type IncidentsCursor, readCursor, splitRepository } from './sync-cursors.js';

/** The incident id of an issue: `gh-incident-acme/api#12`. */
export function incidentId(repository: string, number: number): string {
  return `gh-incident-${repository}#${number}`;
}

/**
 * The severity an issue's labels state, if any: `sev1`/`SEV-1` → `sev1`, `P2` → `p2`,
 * `severity: high`/`severity/critical`/`priority:p1` → `high`/`critical`/`p1`.
 */
export function severityOf(labels: readonly string[]): string | undefined {
  for (const label of labels) {
    const text = label.trim();
    const numbered = /^(sev|p)[\s_-]?(\d)$/i.exec(text);
    if (numbered) return `${numbered[1]!.toLowerCase()}${numbered[2]}`;
    const named = /^(?:severity|priority)[\s:/_-]+(.+)$/i.exec(text);
    if (named) return named[1]!.trim().toLowerCase();
  }
  return undefined;
}

/** An incident issue as an incident: created when opened, resolved when closed. */
export function mapIncident(node: IncidentIssueNode, repository: string): Incident {
  const severity = severityOf(nodesOf(node.labels).map((l) => l.name));
  return {
    id: incidentId(repository, node.number),
    title: node.title,
    createdAt: node.createdAt,
    repository,
    ...(severity ? { severity } : {}),
    ...(node.closedAt ? { resolvedAt: node.closedAt } : {}),
  };
}

/**
 * Syncs one repository's issues carrying an incident label, updated since the watermark, oldest
 * update first; each page is stored with the cursor that resumes after it.
 */
export async function syncIncidents(
  ctx: SyncContext,
  client: GitHubClient,
  repository: string,
  options: { labels: readonly string[] },
): Promise<number> {
  const key = cursorKey('incidents', repository);
  const cursor = (await readCursor<IncidentsCursor>(ctx, key)) ?? {};
  const { owner, name } = splitRepository(repository);
  let watermark = cursor.watermark;
  let after: string | null = null;
  let count = 0;
  for (;;) {
    const data: { repository: { issues: Connection<IncidentIssueNode> } | null } = await client.graphql(INCIDENTS_QUERY, {
      owner,
      name,
      labels: [...options.labels],
      filterBy: cursor.watermark ? { since: cursor.watermark } : {},
      after,
    });
    const page = data.repository?.issues;
    const nodes = nodesOf(page);
    const incidents = nodes.map((node) => mapIncident(node, repository));
    for (const node of nodes) if (!watermark || node.updatedAt > watermark) watermark = node.updatedAt;
    await ctx.emit({ incidents }, { cursors: { [key]: JSON.stringify(watermark ? { watermark } : {}) } });
    count += incidents.length;
    if (!page?.pageInfo.hasNextPage || !page.pageInfo.endCursor) return count;
    after = page.pageInfo.endCursor;
  }
}
