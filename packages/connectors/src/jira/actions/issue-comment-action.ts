import { defineActionType } from '@teamstate/core';
import { z } from 'zod';
import { textToAdf } from '../map/adf.js';
import { type ApiProvider, currentStatus, issueKeySchema, TEAMSTATE_PROPERTY } from './action-support.js';

/** Newest comments read when looking for one an interrupted run may have added. */
const RECENT_COMMENTS = 50;

/**
 * `jira.issue.comment { key, body }`: adds a plain-text comment (never interpreted as markup). The comment
 * carries the approval's idempotency key as a comment property, which is how an interrupted run is
 * recognised afterwards.
 */
export function issueCommentAction(api: ApiProvider) {
  return defineActionType({
    type: 'jira.issue.comment',
    description: 'Add a comment to a Jira issue',
    risk: 'low',
    params: z.strictObject({
      key: issueKeySchema,
      body: z.string().trim().min(1, { error: 'must not be empty' }).max(32_000, { error: 'must be at most 32,000 characters' }),
    }),
    async precondition(params) {
      const status = await currentStatus(await api(), params.key);
      return status === undefined
        ? { ok: false, reason: `issue ${params.key} does not exist or is not visible to the Jira account` }
        : { ok: true };
    },
    async execute(params, ctx) {
      const comment = await (await api()).addComment(params.key, textToAdf(params.body), [
        { key: TEAMSTATE_PROPERTY, value: { idempotencyKey: ctx.idempotencyKey, approvalId: ctx.approvalId } },
      ]);
      return { key: params.key, commentId: comment.id };
    },
    async checkExecuted(params, ctx) {
      const jira = await api();
      const me = await jira.myself();
      for (const comment of await jira.getComments(params.key, 0, RECENT_COMMENTS)) {
        if (comment.authorId !== me.accountId) continue;
        const mark = (await jira.getCommentProperty(comment.id, TEAMSTATE_PROPERTY)) as { idempotencyKey?: unknown } | undefined;
        if (mark?.idempotencyKey === ctx.idempotencyKey) return { executed: true, result: { key: params.key, commentId: comment.id } };
      }
      return { executed: false };
    },
  });
}
