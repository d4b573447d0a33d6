import { z } from 'zod';
import { idSchema, providerSchema } from './common.js';
import { timeZoneSchema } from './local-day.js';
import { timestampSchema } from './timestamp.js';

/** A team: owns repositories and Jira projects; people belong to it through memberships. */
export const teamSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1, { error: 'must not be empty' }),
  /** When present, exactly these person ids are the team's members (a person's `teams` adds them one by one). */
  members: z.array(idSchema).optional(),
  /**
   * Person ids who lead the team (a lead need not be a member): with the policy's approvers who are members, they
   * read the members' reports, feedback and wellbeing as the policy's `privacy` allows (docs/security.md).
   */
  leads: z.array(idSchema).optional(),
});
export type Team = z.infer<typeof teamSchema>;

/** One account of a person at a provider (`github` login, Jira account id, Slack user id, email). */
export const accountSchema = z.strictObject({
  provider: providerSchema,
  id: idSchema,
  login: z.string().min(1).optional(),
});
export type Account = z.infer<typeof accountSchema>;

/** One human, with any number of accounts and team memberships. */
export const personSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1, { error: 'must not be empty' }),
  email: z.email({ error: 'expected an email address' }).optional(),
  teams: z.array(idSchema).optional(),
  accounts: z.array(accountSchema).optional(),
  /** IANA time zone (`Europe/Berlin`): where the person's day starts (their daily report's day). */
  timeZone: timeZoneSchema.optional(),
  /** When the person joined (onboarding, `time_to_tenth_pr`); without it, their first activity counts. */
  joinedAt: timestampSchema.optional(),
});
export type Person = z.output<typeof personSchema>;

/** A source repository, `owner/name` (a GitLab project in a subgroup: `group/subgroup/name`), optionally owned by a team. */
export const repositorySchema = z.strictObject({
  id: z
    .string({ error: 'expected "owner/name"' })
    .regex(/^[^/\s]+(\/[^/\s]+)+$/, { error: 'expected "owner/name" (or a GitLab "group/subgroup/name"), e.g. "acme/api"' }),
  team: idSchema.optional(),
});
export type Repository = z.infer<typeof repositorySchema>;
