import { z } from 'zod';
import { idSchema } from './common.js';
import { timestampSchema } from './timestamp.js';

/** What an author says of their merged PR: no AI, partly, mostly, or written by an agent. */
export const surveyAssistedSchema = z.enum(['none', 'partly', 'mostly', 'agent']);
export type SurveyAssisted = z.infer<typeof surveyAssistedSchema>;

/** Who answers a survey about a pull request: its author, or one of its reviewers. */
export const surveyRoleSchema = z.enum(['author', 'reviewer']);
export type SurveyRole = z.infer<typeof surveyRoleSchema>;

/**
 * An answer to a pull request survey (docs/ai-impact.md#pull-request-surveys-slack): the author says whether and how AI helped
 * (`assisted`, `tools`); a reviewer rates the code (`quality` 1–5) and guesses whether AI helped (`guess`).
 * One answer per pull request and person.
 */
export const surveyResponseSchema = z
  .strictObject({
    pullRequest: idSchema,
    person: idSchema,
    role: surveyRoleSchema,
    assisted: surveyAssistedSchema.optional(),
    tools: z.array(z.string().trim().min(1).max(64)).max(20).optional(),
    quality: z
      .number()
      .int()
      .min(1, { error: 'expected a rating from 1 to 5' })
      .max(5, { error: 'expected a rating from 1 to 5' })
      .optional(),
    /** The reviewer's guess: true when they think AI helped. */
    guess: z.boolean().optional(),
    respondedAt: timestampSchema,
  })
  .superRefine((answer, ctx) => {
    if (answer.role === 'author' && answer.assisted === undefined)
      ctx.addIssue({ code: 'custom', path: ['assisted'], message: 'an author answers whether AI helped: none, partly, mostly or agent' });
    if (answer.role === 'reviewer' && answer.quality === undefined && answer.guess === undefined)
      ctx.addIssue({ code: 'custom', path: ['quality'], message: 'a reviewer answers with a quality rating (1-5), a guess, or both' });
    if (answer.role === 'reviewer' && (answer.assisted !== undefined || answer.tools !== undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['assisted'],
        message: 'only the author says whether AI helped; a reviewer gives quality and guess',
      });
  });
export type SurveyResponseInput = z.input<typeof surveyResponseSchema>;
export type SurveyResponse = z.output<typeof surveyResponseSchema>;
