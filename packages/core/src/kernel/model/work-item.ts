import { z } from 'zod';
import { aiAssessmentSchema } from './ai.js';
import { idSchema } from './common.js';
import { timestampSchema } from './timestamp.js';

/** Kinds of work item. */
export const workItemKindSchema = z.enum(['pull_request', 'issue', 'story', 'bug', 'task', 'epic']);
export type WorkItemKind = z.infer<typeof workItemKindSchema>;

/** The category every status maps to. */
export const statusCategorySchema = z.enum(['todo', 'in_progress', 'done']);
export type StatusCategory = z.infer<typeof statusCategorySchema>;

/** A review on a pull request. `reviewer` is a person id. */
export const reviewSchema = z.strictObject({
  reviewer: idSchema,
  state: z.enum(['approved', 'changes_requested', 'commented', 'dismissed']),
  submittedAt: timestampSchema,
});
export type Review = z.infer<typeof reviewSchema>;

/** A status change of an issue, with the categories of both statuses. */
export const transitionSchema = z.strictObject({
  at: timestampSchema,
  from: z.string().nullable(),
  to: z.string().min(1),
  fromCategory: statusCategorySchema.nullable(),
  toCategory: statusCategorySchema,
});
export type Transition = z.infer<typeof transitionSchema>;

/**
 * A unit of work: a pull request (with reviews) or an issue/story/bug/task/epic (with status transitions).
 * PR `state` is `open`, `closed` or `merged`; an issue's `state` is its current status name.
 */
export const workItemSchema = z.strictObject({
  id: idSchema,
  source: z.string().min(1, { error: 'must not be empty (e.g. "github", "jira")' }),
  kind: workItemKindSchema,
  key: z.string().min(1, { error: 'must not be empty (e.g. "acme/api#42", "PAY-17")' }),
  title: z.string(),
  state: z.string().min(1, { error: 'must not be empty (e.g. "open", "merged", "In Progress")' }),
  team: idSchema.optional(),
  repository: z.string().optional(),
  author: idSchema.optional(),
  assignees: z.array(idSchema).optional(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema.optional(),
  firstCommitAt: timestampSchema.optional(),
  readyAt: timestampSchema.optional(),
  mergedAt: timestampSchema.optional(),
  closedAt: timestampSchema.optional(),
  resolvedAt: timestampSchema.optional(),
  dueAt: timestampSchema.optional(),
  draft: z.boolean().optional(),
  labels: z.array(z.string()).optional(),
  /**
   * Pull requests: the paths of the files they change (the GitHub connector reads the first 100), for `who_knows`.
   * A later write that does not give them keeps the stored ones.
   */
  paths: z
    .array(z.string().min(1, { error: 'must not be empty (a file path such as "src/app.ts")' }))
    .max(1000)
    .optional(),
  /** Issues: the components they belong to (Jira components' names), for `who_knows`. */
  components: z.array(z.string().min(1, { error: 'must not be empty (a component name such as "Checkout")' })).optional(),
  additions: z.number().int().nonnegative().optional(),
  deletions: z.number().int().nonnegative().optional(),
  reviews: z.array(reviewSchema).optional(),
  /**
   * Pull requests: the people asked to review it who have not yet (GitHub's requested reviewers), person ids. A list
   * that is present replaces the stored one; working agreements' `notify: reviewers` reaches them.
   */
  requestedReviewers: z.array(idSchema).optional(),
  statusCategory: statusCategorySchema.optional(),
  storyPoints: z.number().nonnegative().optional(),
  sprint: idSchema.optional(),
  transitions: z.array(transitionSchema).optional(),
  flagged: z.boolean().optional(),
  parent: z.string().optional(),
  headSha: z.string().optional(),
  url: z.url().optional(),
  body: z.string().optional(),
  /**
   * Pull requests: whether it was AI-assisted and the evidence (docs/ai-impact.md). Detected on every import and sync
   * from the labels and body; what is given here (commit trailers, bot authors, survey answers) is kept and merged.
   */
  ai: aiAssessmentSchema.optional(),
});
export type WorkItem = z.infer<typeof workItemSchema>;
