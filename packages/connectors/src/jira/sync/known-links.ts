import type { LinksReplaced, SyncContext, WorkItem, WorkItemLink } from '@teamstate/core';
import type { IssuePage } from '../client/jira-api.js';
import { issueLinksOf } from '../map/issue-links.js';
import { workItemId } from '../map/map-issue.js';

// Issue links as a sync page or a webhook's issue carries them (`fields.issuelinks`): shared by both, so an issue
// updated by a webhook keeps exactly the links a sync would store.

/** Issues as Jira answers them: a search page's, or a webhook payload's issue. */
type Issues = IssuePage['issues'];

/**
 * The stored items of a page read with their links: Jira names each link on both of its issues, so the links touching
 * them are all in the page (and one removed in Jira goes). An issue without the field (a payload that leaves it out)
 * keeps its stored links.
 */
export function relinked(issues: Issues, workItems: readonly WorkItem[]): LinksReplaced {
  const read = new Set(issues.flatMap((issue) => (issue.id && Array.isArray(issue.fields?.issuelinks) ? [workItemId(issue.id)] : [])));
  return { items: workItems.flatMap((item) => (read.has(item.id) ? [item.id] : [])), sides: 'both', kinds: ['blocks', 'relates'] };
}

/**
 * The issue links whose both ends are among `workItems` or already stored (an issue of a project not synced is left
 * out; a link to one synced later comes with that issue, which shows it too).
 */
export async function linksToKnownItems(
  ctx: Pick<SyncContext, 'existing'>,
  issues: Issues,
  workItems: readonly WorkItem[],
): Promise<WorkItemLink[]> {
  const links = issues.flatMap((issue) => (issue.id ? issueLinksOf(issue.id, issue.fields?.issuelinks) : []));
  if (links.length === 0) return [];
  const here = new Set(workItems.map((item) => item.id));
  const stored = await ctx.existing(
    'work item',
    [...new Set(links.flatMap((l) => [l.from, l.to]))].filter((id) => !here.has(id)),
  );
  const known = (id: string) => here.has(id) || stored.has(id);
  const seen = new Set<string>();
  return links.filter((l) => {
    const key = `${l.from} ${l.to} ${l.kind}`;
    if (!known(l.from) || !known(l.to) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
