import type { JiraApi } from '../client/jira-api.js';
import { jiraInstant } from '../map/jira-time.js';
import { workItemId } from '../map/map-issue.js';
import { fetchChangelogs } from './fetch-changelogs.js';
import { sprintJql } from './jql.js';
import { type SprintHistory, sprintHistory, sprintRefs } from './sprint-membership.js';

/**
 * The issues of the synced projects that are in a sprint now (or were, for a closed one), with their
 * Sprint field history, by work item id; issues in `skip` (already seen) are left out. Costs one search
 * page per `pageSize` issues and one bulk changelog request per 1000.
 */
export async function sprintCandidates(
  api: JiraApi,
  options: { projects: readonly string[]; pageSize: number },
  sprintId: number,
  sprintField: string,
  skip: ReadonlySet<string>,
  onPage: () => void = () => {},
): Promise<Map<string, SprintHistory>> {
  const found = new Map<string, { createdAt: number; current: number[] }>();
  let token: string | undefined;
  do {
    const page = await api.searchIssues({
      jql: sprintJql(options.projects, sprintId),
      fields: ['created', sprintField],
      changelog: false,
      maxResults: options.pageSize,
      ...(token ? { pageToken: token } : {}),
    });
    onPage();
    for (const issue of page.issues) {
      const createdAt = jiraInstant(issue.fields?.created);
      if (issue.id && createdAt !== undefined && !skip.has(workItemId(issue.id)))
        found.set(issue.id, { createdAt, current: sprintRefs(issue.fields?.[sprintField]).map((r) => r.id) });
    }
    token = page.nextPageToken;
  } while (token);
  const histories = found.size > 0 ? await fetchChangelogs(api, [...found.keys()], [sprintField], onPage) : new Map();
  return new Map(
    [...found].map(([id, { createdAt, current }]) => [
      workItemId(id),
      sprintHistory(histories.get(id) ?? [], sprintField, createdAt, current),
    ]),
  );
}
