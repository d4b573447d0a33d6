import { type ConnectorName, connectorRegistry } from '@teamstate/connectors/registry';
import { isTimeZone, OPT_OUT_KINDS, timestampSchema } from '@teamstate/core';
import { z } from 'zod';

// `teams` and `people` of teamstate.config.yaml: the parts the registered connectors add to (team settings, account ids).

type Registrations = typeof connectorRegistry;
type Registered = Registrations[ConnectorName];
// Union to intersection: each registration's team fields, all on one team.
type Merged<Union> = (Union extends unknown ? (value: Union) => void : never) extends (value: infer All) => void ? All : never;
type TeamFields = Merged<{ [Name in ConnectorName]: NonNullable<Registrations[Name]['teamFields']> }[ConnectorName]>;
type OverrideProvider = Registered['providers'][number];

/** The team settings the registered connectors declare (`jiraProjects` is Jira's), each optional. */
const connectorTeamFields = Object.fromEntries(
  Object.values(connectorRegistry).flatMap((registration: Registered) => Object.entries(registration.teamFields ?? {})),
) as TeamFields;

/** The providers whose account ids a person in the config may name (`github`, `jira`, `slack`): one key each. */
export const OVERRIDE_PROVIDERS = [
  ...new Set(Object.values(connectorRegistry).flatMap((registration: Registered) => registration.providers)),
] as OverrideProvider[];

/**
 * A team: owns repositories (and what the connectors add, e.g. Jira projects); `members` and `leads` are person ids
 * (leads read the members' reports and wellbeing as the policy's `privacy` allows).
 */
export const teamConfigSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1),
  members: z.array(z.string().min(1)).optional(),
  leads: z.array(z.string().min(1)).optional(),
  repositories: z
    .array(z.string().regex(/^[^/\s]+(\/[^/\s]+)+$/, { error: 'expected "owner/name" (GitLab: "group/subgroup/name")' }))
    .optional(),
  ...connectorTeamFields,
});

/** An identity override: one person and their accounts (one key per provider of a registered connector), matched before email matching. */
export const personConfigSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1),
  email: z.email().optional(),
  ...(Object.fromEntries(OVERRIDE_PROVIDERS.map((provider) => [provider, z.string().min(1).optional()])) as {
    [Provider in OverrideProvider]: z.ZodOptional<z.ZodString>;
  }),
  /** IANA time zone (where the person's day, and their daily report's day, starts); wins over Slack's `tz`. */
  timeZone: z
    .string()
    .refine(isTimeZone, { error: 'expected an IANA time zone, e.g. Europe/Berlin (not an offset such as +01:00)' })
    .optional(),
  /** What the person opted out of (`reminders`, `surveys`, `wellbeing` signals, `leaderboard`), stored in the database when teamstate opens. */
  optOut: z.array(z.enum(OPT_OUT_KINDS)).optional(),
  /** When the person joined (ISO timestamp): onboarding and `time_to_tenth_pr` count from it. */
  joinedAt: timestampSchema.optional(),
});
