import type { AgileClient } from 'jira.js/agile';
import type { Changelog, FieldDetails, Issue, IssueTransition, StatusDetails } from 'jira.js/cloud';
import type { Client } from 'jira.js/core';
import { adfToText } from '../map/adf.js';
import { userOf } from '../sync/jira-users.js';
import { agileOperations } from './agile-api.js';
import type { JiraApi, JiraUser } from './jira-api.js';
import { webhookAdmin } from './webhook-admin.js';

interface SearchResult {
  startAt?: number;
  maxResults?: number;
  total?: number;
  issues?: Issue[];
}

const path = (value: string) => encodeURIComponent(value);

/**
 * {@link JiraApi} over Jira Data Center (REST API v2 and the Agile API): offset paging (the page token is
 * the next `startAt`), users identified by their user key, plain-text (wiki markup) rich text, and no bulk
 * changelog endpoint (the rare issue whose embedded history is cut is read on its own).
 */
export function createDataCenterApi(client: Client, agile: AgileClient): JiraApi {
  const get = <T>(url: string, searchParams?: Record<string, unknown>) =>
    client.sendRequest<T>({ url, method: 'GET', ...(searchParams ? { searchParams } : {}) });
  const send = <T>(url: string, method: 'POST' | 'PUT', body: unknown) => client.sendRequest<T>({ url, method, body });
  const nameOfKey = async (key: string) => (await get<{ name?: string }>('/rest/api/2/user', { key })).name ?? key;
  const users = (list: unknown[]): JiraUser[] => list.flatMap((u) => userOf(u) ?? []);
  return {
    ...webhookAdmin(client),
    async getProject(key) {
      const project = await get<{ id?: string; key?: string; name?: string }>(`/rest/api/2/project/${path(key)}`);
      return { id: project.id ?? key, key: project.key ?? key, name: project.name ?? key };
    },
    getFields: () => get<FieldDetails[]>('/rest/api/2/field'),
    getStatuses: () => get<StatusDetails[]>('/rest/api/2/status'),
    async getAssignableUsers(projects, startAt, maxResults) {
      return users(
        await get<unknown[]>('/rest/api/2/user/assignable/multiProjectSearch', { projectKeys: projects.join(','), startAt, maxResults }),
      );
    },
    ...agileOperations(agile),
    // The search answers with `total`; no separate count request is needed.
    countIssues: async () => undefined,
    async searchIssues(search) {
      const startAt = search.pageToken ? Number(search.pageToken) : 0;
      const page = await send<SearchResult>('/rest/api/2/search', 'POST', {
        jql: search.jql,
        startAt,
        maxResults: search.maxResults,
        fields: search.fields,
        ...(search.changelog ? { expand: ['changelog'] } : {}),
        ...(search.properties ? { properties: search.properties } : {}),
      });
      const issues = page.issues ?? [];
      const next = startAt + issues.length;
      return { issues, ...(issues.length > 0 && next < (page.total ?? 0) ? { nextPageToken: String(next) } : {}) };
    },
    async getChangelogs(issueIds, fieldIds) {
      const wanted = new Set(fieldIds);
      const logs = [];
      for (const id of issueIds) {
        const issue = await get<{ id?: string; changelog?: { histories?: Changelog[] } }>(`/rest/api/2/issue/${path(id)}`, {
          expand: 'changelog',
          fields: 'created',
        });
        const histories = (issue.changelog?.histories ?? [])
          .map((h) => ({
            ...h,
            items: (h.items ?? []).filter((item) => wanted.size === 0 || wanted.has(item.fieldId ?? item.field ?? '')),
          }))
          .filter((h) => h.items.length > 0);
        logs.push({ issueId: issue.id ?? id, histories });
      }
      return { logs };
    },
    getIssue: (key, fields) => get<Issue>(`/rest/api/2/issue/${path(key)}`, { fields: fields.join(',') }),
    async getTransitions(key) {
      return (await get<{ transitions?: IssueTransition[] }>(`/rest/api/2/issue/${path(key)}/transitions`)).transitions ?? [];
    },
    async doTransition(key, transitionId) {
      await send(`/rest/api/2/issue/${path(key)}/transitions`, 'POST', { transition: { id: transitionId } });
    },
    async addComment(key, body, properties) {
      const comment = await send<{ id?: string }>(`/rest/api/2/issue/${path(key)}/comment`, 'POST', { body: adfToText(body), properties });
      return { id: comment.id ?? '' };
    },
    async getComments(key, startAt, maxResults) {
      const page = await get<{ comments?: { id?: string; author?: unknown }[] }>(`/rest/api/2/issue/${path(key)}/comment`, {
        startAt,
        maxResults,
        orderBy: '-created',
      });
      return (page.comments ?? []).map((c) => {
        const author = userOf(c.author)?.accountId;
        return { id: c.id ?? '', ...(author ? { authorId: author } : {}) };
      });
    },
    async getCommentProperty(commentId, propertyKey) {
      try {
        return (await get<{ value?: unknown }>(`/rest/api/2/comment/${path(commentId)}/properties/${path(propertyKey)}`)).value;
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) return undefined;
        throw error;
      }
    },
    // Data Center assigns by user name; the connector knows users by their (stable) key.
    async assignIssue(key, accountId) {
      await send(`/rest/api/2/issue/${path(key)}/assignee`, 'PUT', { name: accountId === null ? null : await nameOfKey(accountId) });
    },
    async createIssue(fields, properties) {
      const { description, assignee, ...rest } = fields as { description?: unknown; assignee?: { accountId?: string } } & Record<
        string,
        unknown
      >;
      const created = await send<{ id: string; key: string }>('/rest/api/2/issue', 'POST', {
        fields: {
          ...rest,
          ...(description === undefined ? {} : { description: adfToText(description) }),
          ...(assignee?.accountId ? { assignee: { name: await nameOfKey(assignee.accountId) } } : {}),
        },
        properties,
      });
      return { id: created.id, key: created.key };
    },
    async myself() {
      return userOf(await get<unknown>('/rest/api/2/myself')) ?? { accountId: '' };
    },
  };
}
