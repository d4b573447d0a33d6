import type { Changelog } from 'jira.js/cloud';
import type { JiraApi } from '../client/jira-api.js';

/** Issues per bulk changelog request (Jira's limit). */
const ISSUES_PER_REQUEST = 1000;

/**
 * Complete change histories of many issues through the bulk changelog endpoint: up to 1000 issues per
 * request, following `nextPageToken`, optionally only of some fields (status, Sprint). One issue's
 * histories may span pages; they are merged by issue id.
 */
export async function fetchChangelogs(
  api: JiraApi,
  issueIds: readonly string[],
  fieldIds: readonly string[],
  onPage?: () => void,
): Promise<Map<string, Changelog[]>> {
  const byIssue = new Map<string, Changelog[]>(issueIds.map((id) => [id, []]));
  for (let start = 0; start < issueIds.length; start += ISSUES_PER_REQUEST) {
    const chunk = issueIds.slice(start, start + ISSUES_PER_REQUEST);
    let token: string | undefined;
    do {
      const page = await api.getChangelogs(chunk, fieldIds, token);
      onPage?.();
      for (const log of page.logs) {
        const list = byIssue.get(log.issueId);
        if (list) list.push(...log.histories);
        else byIssue.set(log.issueId, [...log.histories]);
      }
      token = page.nextPageToken;
    } while (token);
  }
  return byIssue;
}

/** Whether a search result's embedded changelog is complete (Jira Cloud embeds at most a few dozen histories). */
export function hasCompleteChangelog(issue: { changelog?: { histories?: unknown[]; total?: number } }): boolean {
  const changelog = issue.changelog;
  if (!changelog?.histories) return false;
  return (changelog.total ?? changelog.histories.length) <= changelog.histories.length;
}
