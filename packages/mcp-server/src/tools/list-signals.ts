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
    'Use first for "what is blocking / needs attention": stale PRs, blocked or overdue tickets, overload, sprints at risk, failed deploys, incidents; most severe first, with evidence. Wellbeing signals (person.*) invite a kind conversation, never a judgement.',
  input: z.strictObject({
    team: idArgument().optional(),
    kind: textArgument(100, 'e.g. item.blocked, pr.awaiting_review.').optional(),
    severity: enumArgument(z.enum(['info', 'warning', 'critical'])).optional(),
    status: enumArgument(z.enum(['open', 'resolved', 'all']), 'Default open.').optional(),
    limit: limitArgument(200, 50),
  }),
  output: z.object({
    signals: z.array(signal),
    open: z.int(),
    wellbeing: z.array(z.object({ team: z.string().optional(), kind: z.string(), count: z.int() })),
  }),
  annotations: readOnly,
  async run(input, { teamState }) {
    if (input.team) await requireTeam(teamState, input.team);
    // Incremental, and ages up to a minute old are fine for a reader called again and again (its data never is).
    const refresh = await teamState.signals.refresh({ maxAgeMs: 60_000 });
    // Person-level wellbeing signals only of whom the caller may read (the server's facade reads as the caller).
    const signals = await teamState.signals.list(input);
    const wellbeing = await teamState.signals.wellbeing({ team: input.team });
    return { signals, open: refresh.open, wellbeing };
  },
});
