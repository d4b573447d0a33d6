import { z } from 'zod';
import { enumArgument, idArgument, limitArgument, textArgument } from './arguments.js';
import { jsonObject } from './json-value.js';
import { requireTeam } from './references.js';
import { defineTool, readOnly } from './tool-definition.js';

const signal = z.object({
  fingerprint: z.string(),
  kind: z.string(),
  severity: z.enum(['info', 'warning', 'critical']),
  subject: z.object({ type: z.string(), id: z.string() }),
  team: z.string().optional(),
  title: z.string(),
  evidence: jsonObject,
  status: z.enum(['open', 'resolved']),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  resolvedAt: z.string().optional(),
});

/** `list_signals`: what needs attention, refreshed at now. */
export const listSignalsTool = defineTool({
  name: 'list_signals',
  title: 'Signals',
  toolset: 'delivery',
  writes: false,
  description:
    "What needs a manager's attention now, most severe first: PRs waiting for review, stale or large PRs, changes requested with no follow-up, blocked or overdue tickets, people with too much work in progress, review load imbalance, sprints at risk, failed deployments, open incidents. Each has a one-sentence title and the evidence behind it. Refreshed at the time of the call. Use it first when asked what is blocking a team or what needs attention. Wellbeing signals (person.*: working late, no reports, blocked for days, stretched thin) are prompts for a kind conversation, never a judgement of a person: they name a person only for callers the team's privacy setting allows (the person, their leads); `wellbeing` counts them per team and kind for everyone.",
  input: z.strictObject({
    team: idArgument('Only this team.').optional(),
    kind: textArgument(100, 'Only this kind, e.g. item.blocked or pr.awaiting_review.').optional(),
    severity: enumArgument(z.enum(['info', 'warning', 'critical']), 'Only this severity.').optional(),
    status: enumArgument(z.enum(['open', 'resolved', 'all']), 'open (default), resolved or all.').optional(),
    limit: limitArgument(200, 50),
  }),
  output: z.object({
    signals: z.array(signal),
    open: z.int(),
    wellbeing: z.array(z.object({ team: z.string().optional(), kind: z.string(), count: z.int() })),
  }),
  annotations: readOnly,
  async run(input, { teamState, onBehalfOf }) {
    if (input.team) await requireTeam(teamState, input.team);
    const refresh = await teamState.signals.refresh();
    // Person-level wellbeing signals only for whom the caller may see them (none when nobody knows who calls).
    const signals = await teamState.signals.list({ ...input, viewer: onBehalfOf ?? null });
    const wellbeing = await teamState.signals.wellbeing({ team: input.team });
    return { signals, open: refresh.open, wellbeing };
  },
});
