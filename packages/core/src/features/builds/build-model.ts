import { z } from 'zod';
import { idSchema } from '../../kernel/model/common.js';
import { parseTimestamp, timestampSchema } from '../../kernel/model/timestamp.js';

/** Where a build is: waiting to start, running, or finished (its `conclusion` says how). */
export const BUILD_STATUSES = ['queued', 'in_progress', 'completed'] as const;
/** How a finished build ended. `error`: the CI system could not run it (a startup failure). */
export const BUILD_CONCLUSIONS = [
  'success',
  'failure',
  'timed_out',
  'cancelled',
  'skipped',
  'neutral',
  'action_required',
  'error',
] as const;

/**
 * One run of a CI job (a GitHub Actions job, a GitLab pipeline job, a check run of another CI app) on a commit: the
 * `attempt`-th run of `job` of `workflow` (1 for the first, 2 for the first rerun). A source that knows only the
 * pipeline leaves `job` out. `pullRequest` is the work item id of the pull request the commit is the head of.
 */
export const buildSchema = z
  .strictObject({
    id: idSchema,
    repository: z.string({ error: 'expected the repository id, e.g. "acme/api"' }).min(1),
    /** The workflow or pipeline (`CI`, `.gitlab-ci.yml`). */
    workflow: z.string({ error: 'expected the workflow name, e.g. "CI"' }).min(1),
    /** The job within the workflow (`test`), when the source reports jobs. */
    job: z.string().min(1).optional(),
    /** The commit sha the build ran on. */
    commit: z.string({ error: 'expected the commit sha the build ran on' }).min(1),
    pullRequest: idSchema.optional(),
    status: z.enum(BUILD_STATUSES, { error: `expected one of ${BUILD_STATUSES.join(', ')}` }),
    conclusion: z.enum(BUILD_CONCLUSIONS, { error: `expected one of ${BUILD_CONCLUSIONS.join(', ')}` }).optional(),
    startedAt: timestampSchema.optional(),
    completedAt: timestampSchema.optional(),
    attempt: z
      .number({ error: 'expected the attempt as a whole number, 1 for the first run' })
      .int({ error: 'expected the attempt as a whole number, 1 for the first run' })
      .min(1, { error: 'expected an attempt of 1 or more (1 is the first run)' })
      .default(1),
  })
  .superRefine((build, ctx) => {
    if (build.status === 'completed' && build.conclusion === undefined)
      ctx.addIssue({ code: 'custom', path: ['conclusion'], message: 'a completed build needs its conclusion (e.g. "success")' });
    if (build.status !== 'completed' && build.conclusion !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['conclusion'],
        message: `only a completed build has a conclusion (status is "${build.status}")`,
      });
    const start = build.startedAt === undefined ? undefined : parseTimestamp(build.startedAt);
    const end = build.completedAt === undefined ? undefined : parseTimestamp(build.completedAt);
    if (start !== undefined && end !== undefined && end < start)
      ctx.addIssue({ code: 'custom', path: ['completedAt'], message: `must not be before startedAt (${build.startedAt})` });
  });
export type BuildInput = z.input<typeof buildSchema>;
export type Build = z.output<typeof buildSchema>;
