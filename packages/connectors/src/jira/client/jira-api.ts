import type { Board, Sprint } from 'jira.js/agile';
import type { Changelog, FieldDetails, Issue, IssueTransition, StatusDetails } from 'jira.js/cloud';
import type { JiraWebhookAdmin } from './webhook-admin.js';

/** A Jira user as the connector needs it (Cloud account id, or a Data Center user key). */
export interface JiraUser {
  accountId: string;
  displayName?: string;
  emailAddress?: string;
  /** `atlassian` (a person), `app` (an integration), `customer` (a service desk customer); absent on Data Center. */
  accountType?: string;
  active?: boolean;
}

/** A page of issues and the token of the next one. */
export interface IssuePage {
  issues: Issue[];
  nextPageToken?: string;
}

/** Complete change histories of some issues, by issue id. */
export interface ChangelogPage {
  logs: { issueId: string; histories: Changelog[] }[];
  nextPageToken?: string;
}

/** What one search asks for. */
export interface IssueSearch {
  jql: string;
  fields: string[];
  /** Embed each issue's change history (Cloud caps it; `changelog.total` says when it was cut). */
  changelog: boolean;
  maxResults: number;
  pageToken?: string;
  /** Issue property keys to return with each issue. */
  properties?: string[];
}

/**
 * The Jira operations the connector uses, so the mapping code does not depend on which REST flavour
 * (Cloud v3 with token paging, or Data Center v2 with offset paging) answers them.
 */
export interface JiraApi {
  getProject(key: string): Promise<{ id: string; key: string; name: string }>;
  getFields(): Promise<FieldDetails[]>;
  getStatuses(): Promise<StatusDetails[]>;
  /** Users who can be assigned issues of any of the projects, one page. */
  getAssignableUsers(projects: readonly string[], startAt: number, maxResults: number): Promise<JiraUser[]>;
  getBoards(project: string, startAt: number): Promise<{ values: Board[]; isLast: boolean }>;
  getBoard(id: number): Promise<Board>;
  getSprints(boardId: number, startAt: number): Promise<{ values: Sprint[]; isLast: boolean }>;
  /** An approximate count for progress, when the site offers one. */
  countIssues(jql: string): Promise<number | undefined>;
  searchIssues(search: IssueSearch): Promise<IssuePage>;
  /** Full change histories of up to 1000 issues, optionally only of some fields, one page. */
  getChangelogs(issueIds: readonly string[], fieldIds: readonly string[], pageToken?: string): Promise<ChangelogPage>;
  getIssue(key: string, fields: readonly string[]): Promise<Issue>;
  getTransitions(key: string): Promise<IssueTransition[]>;
  doTransition(key: string, transitionId: string): Promise<void>;
  /** Adds a comment (an Atlassian Document Format body) with entity properties; returns its id. */
  addComment(key: string, body: AdfDocument, properties: { key: string; value: unknown }[]): Promise<{ id: string }>;
  /** Comments of an issue, newest first, one page. */
  getComments(key: string, startAt: number, maxResults: number): Promise<{ id: string; authorId?: string }[]>;
  /** A comment property's value, or `undefined` when the comment has none under that key. */
  getCommentProperty(commentId: string, propertyKey: string): Promise<unknown>;
  /** Assigns to an account (`null` unassigns). */
  assignIssue(key: string, accountId: string | null): Promise<void>;
  createIssue(fields: Record<string, unknown>, properties: { key: string; value: unknown }[]): Promise<{ id: string; key: string }>;
  myself(): Promise<JiraUser>;
  /** Webhook administration (`teamstate webhooks install`). */
  listWebhooks: JiraWebhookAdmin['listWebhooks'];
  createWebhook: JiraWebhookAdmin['createWebhook'];
  updateWebhook: JiraWebhookAdmin['updateWebhook'];
}

/** An Atlassian Document Format document (rich text of Jira Cloud). */
export type AdfDocument = {
  type: 'doc';
  version: 1;
  content: Record<string, unknown>[];
  [key: string]: unknown;
};
