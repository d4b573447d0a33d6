import type { AgileClient } from 'jira.js/agile';
import type { CloudClient } from 'jira.js/cloud';
import type { Client } from 'jira.js/core';
import { agileOperations } from './agile-api.js';
import type { JiraApi, JiraUser } from './jira-api.js';
import { webhookAdmin } from './webhook-admin.js';

const user = (u: {
  accountId?: string;
  displayName?: string;
  emailAddress?: string;
  accountType?: string;
  active?: boolean;
}): JiraUser => ({
  accountId: u.accountId ?? '',
  ...(u.displayName ? { displayName: u.displayName } : {}),
  ...(u.emailAddress ? { emailAddress: u.emailAddress } : {}),
  ...(u.accountType ? { accountType: u.accountType } : {}),
  ...(u.active === undefined ? {} : { active: u.active }),
});

/**
 * {@link JiraApi} over Jira Cloud: REST v3 through jira.js (enhanced JQL search with `nextPageToken`,
 * bulk changelog fetch) and the Agile API, all on one shared client.
 */
export function createCloudApi(cloud: CloudClient, agile: AgileClient, client: Client): JiraApi {
  return {
    ...webhookAdmin(client),
    async getProject(key) {
      const project = await cloud.projects.getProject({ projectIdOrKey: key });
      return { id: project.id ?? key, key: project.key ?? key, name: project.name ?? key };
    },
    getFields: () => cloud.issueFields.getFields(),
    getStatuses: () => cloud.workflowStatuses.getStatuses(),
    async getAssignableUsers(projects, startAt, maxResults) {
      const users = await cloud.userSearch.findBulkAssignableUsers({ projectKeys: projects.join(','), startAt, maxResults });
      return users.filter((u) => u.accountId).map(user);
    },
    ...agileOperations(agile),
    async countIssues(jql) {
      return (await cloud.issueSearch.countIssues({ jql })).count;
    },
    async searchIssues(search) {
      const page = await cloud.issueSearch.searchAndReconsileIssuesUsingJqlPost({
        jql: search.jql,
        fields: search.fields,
        maxResults: search.maxResults,
        ...(search.changelog ? { expand: 'changelog' } : {}),
        ...(search.pageToken ? { nextPageToken: search.pageToken } : {}),
        ...(search.properties ? { properties: search.properties } : {}),
      });
      return { issues: page.issues ?? [], ...(page.nextPageToken && page.isLast !== true ? { nextPageToken: page.nextPageToken } : {}) };
    },
    async getChangelogs(issueIds, fieldIds, pageToken) {
      const page = await cloud.issues.getBulkChangelogs({
        issueIdsOrKeys: [...issueIds],
        ...(fieldIds.length > 0 ? { fieldIds: [...fieldIds] } : {}),
        maxResults: 1000,
        ...(pageToken ? { nextPageToken: pageToken } : {}),
      });
      return {
        logs: (page.issueChangeLogs ?? []).map((log) => ({ issueId: log.issueId ?? '', histories: log.changeHistories ?? [] })),
        ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
      };
    },
    getIssue: (key, fields) => cloud.issues.getIssue({ issueIdOrKey: key, fields: [...fields] }),
    async getTransitions(key) {
      return (await cloud.issues.getTransitions({ issueIdOrKey: key })).transitions ?? [];
    },
    doTransition: (key, transitionId) => cloud.issues.doTransition({ issueIdOrKey: key, transition: { id: transitionId } }),
    async addComment(key, body, properties) {
      // An ADF body goes to the v3 endpoint, which keeps the properties (a wiki-markup string would not).
      const comment = await cloud.issueComments.addComment({ issueIdOrKey: key, body, properties });
      return { id: comment.id ?? '' };
    },
    async getComments(key, startAt, maxResults) {
      const page = await cloud.issueComments.getComments({ issueIdOrKey: key, startAt, maxResults, orderBy: '-created' });
      return (page.comments ?? []).map((c) => ({ id: c.id ?? '', ...(c.author?.accountId ? { authorId: c.author.accountId } : {}) }));
    },
    async getCommentProperty(commentId, propertyKey) {
      try {
        return (await cloud.issueCommentProperties.getCommentProperty({ commentId, propertyKey })).value;
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) return undefined;
        throw error;
      }
    },
    // jira.js types `accountId` as a string; unassigning needs an explicit null, so this one goes through the client.
    assignIssue: (key, accountId) =>
      client.sendRequest<void>({ url: `/rest/api/3/issue/${encodeURIComponent(key)}/assignee`, method: 'PUT', body: { accountId } }),
    async createIssue(fields, properties) {
      const created = await cloud.issues.createIssue({ fields, properties });
      return { id: created.id, key: created.key };
    },
    async myself() {
      return user(await cloud.myself.getCurrentUser());
    },
  };
}
