import { z } from 'zod';
import { ValidationError } from '../../../kernel/errors.js';
import { parseDuration } from '../../../kernel/model/duration.js';
import { describeZodIssues } from '../../../kernel/model/zod-issues.js';
import { PII_REDACTION_LEVELS } from '../../../kernel/text/redact-pii.js';
import { yaml } from '../../../kernel/text/yaml.js';
import { ACTION_GLOB_PATTERN } from './action-glob.js';
import { askIfChannelPublicSchema, seedModeSpelling } from './ask-if-channel-public.js';
import { checkLimitValues } from './policy-limits.js';

const MODES = ['auto', 'ask', 'require_approval', 'deny'] as const;
const RISKS = ['low', 'medium', 'high'] as const;
const PRIVACY = ['team', 'leads', 'person'] as const;
/** Days of the week, as `reminders.reports.days` names them. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** One of {@link WEEKDAYS}. */
export type Weekday = (typeof WEEKDAYS)[number];

const shown = (input: unknown): string => {
  const text = JSON.stringify(input) ?? String(input);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};
const oneOf = (values: readonly string[]) => (issue: { input?: unknown }) =>
  `expected one of ${values.join('|')}, got ${shown(issue.input)}`;

const modeSchema = z.enum(MODES, { error: oneOf(MODES) });
const riskSchema = z.enum(RISKS, { error: oneOf(RISKS) });

const durationSchema = z
  .string({
    error: (issue) =>
      issue.input === undefined
        ? 'is required: a duration such as 30m, 4h or 24h'
        : `expected a duration such as 30m, 4h or 24h, got ${shown(issue.input)}`,
  })
  .refine((text) => parseDuration(text) !== undefined, {
    error: (issue) => `expected a duration such as 30m, 4h or 24h (a whole number and s, m, h or d), got ${shown(issue.input)}`,
  });

const approverSchema = z
  .string({ error: (issue) => `expected a person id or team:<id>, got ${shown(issue.input)}` })
  .regex(/^(team:)?[^\s:]+$/, { error: (issue) => `expected a person id or team:<id>, got ${shown(issue.input)}` });
const approverListSchema = z.array(approverSchema, { error: (issue) => `expected a list of approvers, got ${shown(issue.input)}` });

const ruleSchema = z
  .preprocess(
    seedModeSpelling,
    z.strictObject(
      { mode: modeSchema.optional(), risk: riskSchema.optional(), ask_if_channel_public: askIfChannelPublicSchema.optional() },
      { error: (issue) => `expected { mode?, risk?, ask_if_channel_public? }, got ${shown(issue.input)}` },
    ),
  )
  .refine((rule) => rule.mode !== undefined || rule.risk !== undefined || rule.ask_if_channel_public !== undefined, {
    error: 'set mode, risk or both',
    // Only when the rule is otherwise valid: a misspelt key already says what is wrong.
    when: (payload) => payload.issues.length === 0,
  });

const byRisk = <T extends z.ZodType>(value: T) =>
  z.strictObject({ default: value.optional(), low: value.optional(), medium: value.optional(), high: value.optional() });

/** Who a working agreement's nudge goes to (`agreements[].notify`, `escalate.notify`). */
export const AGREEMENT_RECIPIENTS = ['author', 'assignee', 'reviewers', 'team', 'leads'] as const;
/** One of {@link AGREEMENT_RECIPIENTS}. */
export type AgreementRecipient = (typeof AGREEMENT_RECIPIENTS)[number];

const recipientSchema = z.enum(AGREEMENT_RECIPIENTS, { error: oneOf(AGREEMENT_RECIPIENTS) });
const notifySchema = z.union([recipientSchema, z.array(recipientSchema).min(1, { error: 'list at least one recipient' })], {
  error: (issue) => `expected one of ${AGREEMENT_RECIPIENTS.join('|')} (or a list of them), got ${shown(issue.input)}`,
});

const agreementSchema = z
  .strictObject(
    {
      id: z
        .string({ error: (issue) => `expected an id such as review-within-a-day, got ${shown(issue.input)}` })
        .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, {
          error: (issue) => `expected an id such as review-within-a-day (letters, digits, "_", "-", "."), got ${shown(issue.input)}`,
        }),
      signal: z
        .string({ error: (issue) => `expected a signal kind such as pr.awaiting_review, got ${shown(issue.input)}` })
        .min(1, { error: 'expected a signal kind such as pr.awaiting_review' }),
      teams: z
        .array(z.string().min(1), { error: (issue) => `expected a list of team ids, got ${shown(issue.input)}` })
        .min(1, { error: 'list at least one team id, or leave teams out for all teams' })
        .optional(),
      after: durationSchema,
      notify: notifySchema,
      escalate: z
        .strictObject(
          { after: durationSchema, notify: notifySchema },
          { error: (issue) => `expected { after, notify }, got ${shown(issue.input)}` },
        )
        .optional(),
      channel: z
        .string({ error: (issue) => `expected a Slack channel id such as C0123, got ${shown(issue.input)}` })
        .min(1)
        .optional(),
    },
    { error: (issue) => `expected { id, signal, teams?, after, notify, escalate?, channel? }, got ${shown(issue.input)}` },
  )
  .superRefine((agreement, ctx) => {
    // A channel is one team's room: without teams, every team's nudges would be posted into it.
    if (agreement.channel !== undefined && agreement.teams === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['channel'],
        message: `is for the teams the agreement names, and it names none: add teams (e.g. teams: [payments]) for ${agreement.channel}, or one agreement per team with its own channel`,
      });
    const after = parseDuration(agreement.after);
    const escalate = agreement.escalate && parseDuration(agreement.escalate.after);
    if (after !== undefined && escalate !== undefined && escalate <= after)
      ctx.addIssue({
        code: 'custom',
        path: ['escalate', 'after'],
        message: `must be longer than after (${agreement.after}): escalation comes after the first nudge, got ${agreement.escalate!.after}`,
      });
  });

/** The policy document (docs/approvals.md#the-policy-document), as validated by {@link parsePolicy}. */
export const policyDocumentSchema = z.strictObject(
  {
    /** Action types or globs (`github.*`, `*`) to a mode and/or a risk; the most specific match wins. */
    actions: z
      .record(z.string(), ruleSchema)
      .superRefine((actions, ctx) => {
        for (const key of Object.keys(actions)) {
          if (!ACTION_GLOB_PATTERN.test(key)) {
            ctx.addIssue({
              code: 'custom',
              path: [key],
              message: 'not an action type or glob (letters, digits, "_", "-", "." and "*" only)',
            });
          }
        }
      })
      .optional(),
    /** Who may decide, per risk (`default` applies to risks without their own list): person ids or `team:<id>`. */
    approvers: byRisk(approverListSchema).optional(),
    /** How long a pending approval waits before it expires, per risk (`default` otherwise): `30m`, `4h`, `24h`. */
    ttl: byRisk(durationSchema).optional(),
    /**
     * Numbers handed to executors and preconditions as `ctx.limits` (e.g. `max_channel_size_auto_post`), and
     * `pii_redaction` (default `standard`): how much free text is masked on every surface (docs/security.md#pii-redaction);
     * teamstate itself enforces `max_monthly_cost_usd` and `proposals_per_hour` (docs/security.md).
     */
    limits: z
      .record(z.string(), z.union([z.number(), z.string()], { error: (issue) => `expected a number, got ${shown(issue.input)}` }))
      .superRefine((limits, ctx) => {
        for (const [key, value] of Object.entries(limits)) {
          const named = key === 'pii_redaction';
          if (named ? !(PII_REDACTION_LEVELS as readonly unknown[]).includes(value) : typeof value !== 'number')
            ctx.addIssue({
              code: 'custom',
              path: [key],
              message: named ? oneOf(PII_REDACTION_LEVELS)({ input: value }) : `expected a number, got ${shown(value)}`,
            });
        }
        checkLimitValues(limits, ctx);
      })
      .optional(),
    /**
     * Who reads what about people (docs/security.md). `reports` (default `team`): daily reports, blockers, feedback
     * text and survey answers: `team` (the author, their teammates and their teams' leads), `leads` or `person` (the
     * author and their teams' leads). `wellbeing` (default `leads`): person-level wellbeing signals (`person.*`), the
     * same choices; everyone else gets counts per team and kind. Leads are `teams[].leads` and the approvers below who
     * are members of the team.
     */
    privacy: z
      .strictObject(
        {
          reports: z.enum(PRIVACY, { error: oneOf(PRIVACY) }).optional(),
          wellbeing: z.enum(PRIVACY, { error: oneOf(PRIVACY) }).optional(),
        },
        { error: (issue) => `expected { reports?, wellbeing? }, got ${shown(issue.input)}` },
      )
      .optional(),
    /**
     * Reminders teamstate sends. `reports`: a direct message (`slack.dm.send`, through this policy) at `at` (`HH:MM`,
     * each person's local time, in their `timeZone`, else UTC) on `days` (default mon–fri) to the members of `teams`
     * who have not reported that local day; opt-in per team, and a person can opt out (`people opt-out <p> reminders`).
     */
    reminders: z
      .strictObject(
        {
          reports: z
            .strictObject(
              {
                teams: z
                  .array(z.string().min(1), { error: (issue) => `expected a list of team ids, got ${shown(issue.input)}` })
                  .min(1, { error: 'list at least one team id whose members get reminders (reminders are opt-in per team)' }),
                at: z
                  .string({ error: (issue) => `expected a local time as HH:MM (24-hour), e.g. "16:30", got ${shown(issue.input)}` })
                  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, {
                    error: (issue) => `expected a local time as HH:MM (24-hour), e.g. "16:30", got ${shown(issue.input)}`,
                  }),
                days: z.array(z.enum(WEEKDAYS, { error: oneOf(WEEKDAYS) })).optional(),
              },
              { error: (issue) => `expected { teams, at, days? }, got ${shown(issue.input)}` },
            )
            .optional(),
        },
        { error: (issue) => `expected { reports }, got ${shown(issue.input)}` },
      )
      .optional(),
    /**
     * Working agreements (docs/hub.md#working-agreements-and-nudges): a signal of kind `signal` (in `teams`, default all)
     * open longer than `after` gets a nudge to `notify` (Slack, through this policy, in the recipient's working hours),
     * and after `escalate.after` one to `escalate.notify`; ids are unique.
     */
    agreements: z
      .array(agreementSchema, { error: (issue) => `expected a list of agreements, got ${shown(issue.input)}` })
      .superRefine((agreements, ctx) => {
        const seen = new Set<string>();
        agreements.forEach((agreement, index) => {
          if (seen.has(agreement.id))
            ctx.addIssue({
              code: 'custom',
              path: [index, 'id'],
              message: `"${agreement.id}" is used twice: give each agreement its own id`,
            });
          seen.add(agreement.id);
        });
      })
      .optional(),
  },
  {
    error: (issue) =>
      `expected a mapping with actions, approvers, ttl, limits, privacy, reminders and agreements, got ${shown(issue.input)}`,
  },
);

/** A validated policy document. */
export type PolicyDocument = z.output<typeof policyDocumentSchema>;

const wrapper = z.strictObject({ policy: policyDocumentSchema });

/**
 * Validates a policy document (already parsed from YAML or JSON). Throws a `ValidationError` with code
 * `invalid_policy` listing every problem by path, e.g.
 * `policy.actions["github.pr.merge"].mode: expected one of auto|ask|require_approval|deny, got "yes"`.
 *
 * @example const policy = parsePolicy({ actions: { 'github.pr.merge': { mode: 'require_approval', risk: 'high' } } })
 */
export function parsePolicy(input: unknown, source = 'policy'): PolicyDocument {
  const result = wrapper.safeParse({ policy: input ?? {} });
  if (!result.success) throw new ValidationError('invalid_policy', source, describeZodIssues(wrapper, result.error.issues));
  return result.data.policy;
}

/**
 * Parses and validates a policy file's text, YAML or JSON (JSON is YAML). An empty document is the
 * empty policy, which leaves every action to the built-in defaults.
 *
 * @example const policy = parsePolicyText(readFileSync('policy.yaml', 'utf8'), 'policy.yaml')
 */
export function parsePolicyText(text: string, source = 'policy'): PolicyDocument {
  let document: unknown;
  try {
    document = yaml().parse(text);
  } catch (error) {
    throw new ValidationError('invalid_policy', source, [
      { path: 'policy', message: `is not valid YAML or JSON: ${(error as Error).message}` },
    ]);
  }
  return parsePolicy(document, source);
}
