import { z } from 'zod';
import { groupDigits } from '../text/format-values.js';
import { idSchema } from './common.js';
import { timestampSchema } from './timestamp.js';

/** What an AI assistant got wrong (docs/ai-feedback.md#capture). */
export const FEEDBACK_CATEGORIES = [
  'wrong_code',
  'missed_context',
  'style',
  'missing_tests',
  'security',
  'hallucinated_api',
  'performance',
  'other',
] as const;
export const feedbackCategorySchema = z.enum(FEEDBACK_CATEGORIES, {
  error: `expected one of ${FEEDBACK_CATEGORIES.join(', ')}`,
});
export type FeedbackCategory = z.infer<typeof feedbackCategorySchema>;

/** The longest feedback text, in characters: a note about one correction, not a document. */
export const FEEDBACK_TEXT_MAX = 4_000;
/** At most this many paths on one piece of feedback, each at most {@link FEEDBACK_PATH_MAX} characters. */
export const FEEDBACK_PATHS_MAX = 50;
export const FEEDBACK_PATH_MAX = 500;

/**
 * Why a path is not a file or folder inside a repository, or `undefined` when it is one: relative, `/`-separated,
 * no `..` segment, no drive letter or home (`~`), no control characters.
 */
export function repositoryPathProblem(path: string): string | undefined {
  if (path.trim() === '') return 'must not be empty';
  if (path.length > FEEDBACK_PATH_MAX) return `must be at most ${FEEDBACK_PATH_MAX} characters`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'must not contain control characters';
  if (path.includes('\\')) return `"${path}" uses "\\"; write paths inside the repository with "/" (e.g. services/payments/refund.ts)`;
  if (path.startsWith('/') || path.startsWith('~') || /^[A-Za-z]:/.test(path))
    return `"${path}" is absolute; give the path relative to the repository root (e.g. services/payments/refund.ts)`;
  if (path.split('/').includes('..'))
    return `"${path}" leaves the repository (".."); give the path relative to the repository root (e.g. services/payments/refund.ts)`;
  return undefined;
}

/** A checked path in its one spelling: `./` segments, repeated and trailing slashes removed. */
export const normalizeRepositoryPath = (path: string): string =>
  path
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .join('/');

const pathSchema = z.string({ error: 'expected a path string' }).superRefine((path, ctx) => {
  const problem = repositoryPathProblem(path);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** The fields that describe a piece of feedback, as `ts.feedback.add()` and a bundle's `aiFeedback` take them. */
export const feedbackFieldsSchema = z.strictObject({
  person: idSchema,
  category: feedbackCategorySchema,
  /** The assistant it is about, as people call it: `claude-code`, `copilot`, `cursor` … */
  tool: z
    .string({ error: 'expected the name of the AI tool, e.g. "claude-code"' })
    .trim()
    .min(1, { error: 'must not be empty (leave it out when unknown)' })
    .max(100, { error: 'must be at most 100 characters' })
    .optional(),
  text: z
    .string({ error: 'expected what the assistant got wrong, as a string' })
    .refine((text) => text.trim() !== '', { error: 'must not be empty (say what the assistant got wrong)' })
    .refine((text) => text.length <= FEEDBACK_TEXT_MAX, {
      error: `must be at most ${groupDigits(FEEDBACK_TEXT_MAX)} characters (one correction per report)`,
    }),
  /** The pull request's number in `repository`. */
  pullRequest: z
    .number({ error: 'expected the pull request number, e.g. 42' })
    .int({ error: 'expected a whole pull request number' })
    .positive({ error: 'expected a pull request number from 1' })
    .optional(),
  /** `owner/name`, a repository the workspace tracks (synced or imported). */
  repository: z
    .string({ error: 'expected "owner/name"' })
    .regex(/^[^/\s]+\/[^/\s]+$/, { error: 'expected "owner/name", e.g. "acme/api"' })
    .optional(),
  /** Files or folders the correction was about, relative to the repository root. */
  paths: z
    .array(pathSchema, { error: 'expected a list of paths inside the repository' })
    .max(FEEDBACK_PATHS_MAX, { error: `at most ${FEEDBACK_PATHS_MAX} paths (give the folders instead)` })
    .optional(),
});

/** A piece of feedback as a bundle carries it (`aiFeedback`); `createdAt` defaults to the time of the import. */
export const bundleFeedbackSchema = feedbackFieldsSchema
  .extend({ id: idSchema.optional(), createdAt: timestampSchema.optional() })
  .superRefine((feedback, ctx) => {
    if (feedback.pullRequest !== undefined && feedback.repository === undefined)
      ctx.addIssue({ code: 'custom', path: ['repository'], message: 'required with pullRequest (the repository the pull request is in)' });
    if (feedback.paths !== undefined && feedback.repository === undefined)
      ctx.addIssue({ code: 'custom', path: ['repository'], message: 'required with paths (the repository the paths are in)' });
  });
export type BundleFeedback = z.infer<typeof bundleFeedbackSchema>;

/** Stored feedback about an AI assistant (docs/ai-feedback.md). Timestamps are UTC ISO instants. */
export interface Feedback {
  id: string;
  person: string;
  category: FeedbackCategory;
  tool?: string;
  text: string;
  pullRequest?: number;
  repository?: string;
  paths?: string[];
  createdAt: string;
}

// The effect of the agent rules teamstate proposed: what `ts.feedback.effect()` measures and `ts.ai.impact()` shows.

/** One side of a merge: the feedback of a category, the AI-assisted PRs merged, and the rate. */
export interface EffectWindow {
  from: string;
  to: string;
  /** Feedback in the category, in the repository, in the window. */
  feedback: number;
  /** AI-assisted pull requests merged in the repository in the window. */
  aiPullRequests: number;
  /** `feedback` per 100 `aiPullRequests` (2 decimals); null without AI-assisted pull requests. */
  ratePer100: number | null;
}

/** A category a merged rule addressed, before and after. */
export interface CategoryEffect {
  category: FeedbackCategory;
  before: EffectWindow;
  after: EffectWindow;
  /** `after.ratePer100 - before.ratePer100`, null when either is. */
  change: number | null;
}

/** A rule pull request that merged, and what happened to its categories. */
export interface RuleEffect {
  repository: string;
  path: string;
  pullRequest: number;
  /** The approval that opened it (`github.pr.open_file_change`). */
  approval: string;
  mergedAt: string;
  /** False while the weeks after the merge are not over yet (the after window ends now). */
  complete: boolean;
  categories: CategoryEffect[];
}
