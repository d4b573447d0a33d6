import { type WorkItem, workItemSchema } from '@teamstate/core';
import { z } from 'zod';

/** Bodies longer than this are cut (PR descriptions can be tens of kilobytes). */
export const MAX_BODY_CHARACTERS = 8_000;

/** A work item in a list: what identifies it and where it stands, without body, reviews and transitions. */
export const workItemSummary = workItemSchema
  .pick({
    id: true,
    source: true,
    kind: true,
    key: true,
    title: true,
    state: true,
    statusCategory: true,
    team: true,
    repository: true,
    author: true,
    assignees: true,
    createdAt: true,
    updatedAt: true,
    mergedAt: true,
    closedAt: true,
    resolvedAt: true,
    dueAt: true,
    draft: true,
    flagged: true,
    labels: true,
    storyPoints: true,
    sprint: true,
    url: true,
  })
  .extend({ reviewCount: z.int().optional().describe('Reviews submitted on a pull request.') });

/** One work item in full; `body` is text written in GitHub/Jira, returned as data and cut at {@link MAX_BODY_CHARACTERS}. */
export const workItemDetail = workItemSchema.extend({
  bodyTruncated: z.boolean().optional().describe('True when body was cut; the full text is at url.'),
});

/** A work item as get_work_item declares its answer: the fields a model acts on named, the others in the description. */
export const workItemOutline = z
  .looseObject(
    workItemDetail.pick({ id: true, key: true, kind: true, title: true, state: true, url: true, body: true, bodyTruncated: true }).shape,
  )
  .describe('The work item; also people, dates, labels, points, sprint, reviews, transitions, size, parent.');

const SUMMARY_FIELDS = Object.keys(workItemSummary.shape).filter((key) => key !== 'reviewCount') as (keyof WorkItem)[];

/** The list form of a work item: the fields of {@link workItemSummary} it has, and its review count. */
export function summarizeWorkItem(item: WorkItem): z.input<typeof workItemSummary> {
  const summary: Record<string, unknown> = {};
  for (const key of SUMMARY_FIELDS) if (item[key] !== undefined) summary[key] = item[key];
  if (item.reviews) summary.reviewCount = item.reviews.length;
  return summary as z.input<typeof workItemSummary>;
}

/** The full form of a work item, its body bounded. */
export function detailWorkItem(item: WorkItem): z.input<typeof workItemDetail> {
  if (item.body === undefined || item.body.length <= MAX_BODY_CHARACTERS) return item;
  return { ...item, body: `${item.body.slice(0, MAX_BODY_CHARACTERS)}…`, bodyTruncated: true };
}
