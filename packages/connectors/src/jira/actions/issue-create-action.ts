import { createHash } from 'node:crypto';
import { defineActionType } from '@teamstate/core';
import { z } from 'zod';
import type { JiraApi } from '../client/jira-api.js';
import { textToAdf } from '../map/adf.js';
import { jqlString } from '../sync/jql.js';
import { type ApiProvider, issueKeySchema, TEAMSTATE_PROPERTY, unlessNotFound } from './action-support.js';

/**
 * The label that marks an issue created for an approval: searchable with JQL (labels are indexed; issue
 * properties set over REST are not), short, and the same for every retry of that approval.
 */
export const idempotencyLabel = (idempotencyKey: string): string =>
  `teamstate-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 16)}`;

async function findCreated(api: JiraApi, project: string, label: string) {
  const page = await api.searchIssues({
    jql: `project = ${jqlString(project)} AND labels = ${jqlString(label)}`,
    fields: ['summary'],
    changelog: false,
    maxResults: 1,
  });
  const issue = page.issues[0];
  return issue?.id && issue.key ? { id: issue.id, key: issue.key } : undefined;
}

/**
 * `jira.issue.create { project, summary, issueType?, description?, labels?, parent?, assigneeAccountId? }`.
 * Idempotent: the issue gets the label `teamstate-<hash of the idempotency key>` (and the key as an issue
 * property); before creating, and after an interrupted run, a search for that label finds an issue made
 * earlier instead of creating a second one.
 */
export function issueCreateAction(api: ApiProvider, siteUrl: string) {
  return defineActionType({
    type: 'jira.issue.create',
    description: 'Create a Jira issue',
    risk: 'medium',
    params: z.strictObject({
      project: z.string().regex(/^[A-Z][A-Z0-9_]*$/, { error: 'expected a project key such as "PAY"' }),
      summary: z.string().trim().min(1, { error: 'must not be empty' }).max(255, { error: 'must be at most 255 characters' }),
      issueType: z.string().trim().min(1).default('Task'),
      description: z.string().max(32_000).optional(),
      labels: z
        .array(z.string().regex(/^\S+$/, { error: 'labels cannot contain spaces' }))
        .max(20)
        .optional(),
      parent: issueKeySchema.optional(),
      assigneeAccountId: z.string().min(1).max(128).optional(),
    }),
    async precondition(params) {
      const project = await unlessNotFound(async () => (await api()).getProject(params.project));
      return project
        ? { ok: true }
        : { ok: false, reason: `project ${params.project} does not exist or is not visible to the Jira account` };
    },
    async execute(params, ctx) {
      const jira = await api();
      const label = idempotencyLabel(ctx.idempotencyKey);
      const earlier = await findCreated(jira, params.project, label);
      if (earlier) return { ...earlier, url: `${siteUrl}/browse/${earlier.key}`, existing: true };
      const created = await jira.createIssue(
        {
          project: { key: params.project },
          summary: params.summary,
          issuetype: { name: params.issueType },
          labels: [...(params.labels ?? []), label],
          ...(params.description ? { description: textToAdf(params.description) } : {}),
          ...(params.parent ? { parent: { key: params.parent } } : {}),
          ...(params.assigneeAccountId ? { assignee: { accountId: params.assigneeAccountId } } : {}),
        },
        [{ key: TEAMSTATE_PROPERTY, value: { idempotencyKey: ctx.idempotencyKey, approvalId: ctx.approvalId } }],
      );
      return { ...created, url: `${siteUrl}/browse/${created.key}` };
    },
    async checkExecuted(params, ctx) {
      const found = await findCreated(await api(), params.project, idempotencyLabel(ctx.idempotencyKey));
      return found ? { executed: true, result: { ...found, url: `${siteUrl}/browse/${found.key}`, existing: true } } : { executed: false };
    },
  });
}
