import type { WorkItemLink } from '@teamstate/core';
import { workItemId } from './map-issue.js';

// Jira issue links (`fields.issuelinks`, part of the search answer: no request of their own) as work item links. A link
// whose type blocks ("blocks" / "is blocked by") is `blocks` from the blocker to the blocked issue; any other type is
// `relates`. A link shows on both issues, so either one's page carries it.

interface LinkedIssue {
  id?: unknown;
}

interface JiraIssueLink {
  type?: { name?: unknown; inward?: unknown; outward?: unknown };
  inwardIssue?: LinkedIssue;
  outwardIssue?: LinkedIssue;
}

const blocking = (link: JiraIssueLink) =>
  [link.type?.name, link.type?.outward].some((text) => typeof text === 'string' && /\bblock/i.test(text));

/** The links of one issue (its Jira id), `from` and `to` as work item ids. */
export function issueLinksOf(issueId: string, links: unknown): WorkItemLink[] {
  if (!Array.isArray(links)) return [];
  const self = workItemId(issueId);
  return (links as JiraIssueLink[]).flatMap((link): WorkItemLink[] => {
    const kind = blocking(link) ? 'blocks' : 'relates';
    if (typeof link.outwardIssue?.id === 'string') return [{ from: self, to: workItemId(link.outwardIssue.id), kind }];
    if (typeof link.inwardIssue?.id === 'string') return [{ from: workItemId(link.inwardIssue.id), to: self, kind }];
    return [];
  });
}
