import { z } from 'zod';
import { enumArgument, idArgument, limitArgument, textArgument } from './arguments.js';
import { caller } from './caller.js';
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
  ack: z.object({ by: z.string(), at: z.string() }).optional(),
  snoozedUntil: z.string().optional(),
  owner: z.string().optional(),
});

/** `list_signals`: what needs attention, refreshed at now. */
export const listSignalsTool = defineTool({
  name: 'list_signals',
  title: 'Signals',
  toolset: 'delivery',
  writes: false,
  description:
    'First for what blocks or needs attention: stale PRs, blocked or overdue tickets, overload, sprints at risk, failed deploys, incidents; most severe first, with evidence. Wellbeing signals (person.*) invite a kind talk, never a judgement.',
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

/** `ack_signal`: the caller acknowledges (or snoozes) a signal, which stops working agreements' nudges about it. */
export const ackSignalTool = defineTool({
  name: 'ack_signal',
  title: 'Acknowledge a signal',
  toolset: 'delivery',
  writes: true,
  description:
    'Acknowledges a signal (fingerprint from list_signals) as the caller, its new owner; snooze only pauses working-agreement nudges. Only when the person asks.',
  input: z.strictObject({
    signal: textArgument(500),
    snooze: textArgument(10, 'e.g. 4h, 2d.').optional(),
  }),
  output: z.object({
    signal: z.object({
      fingerprint: z.string(),
      title: z.string(),
      ack: z.object({ by: z.string(), at: z.string() }).optional(),
      snoozedUntil: z.string().optional(),
      owner: z.string().optional(),
    }),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run(input, context) {
    const by = caller(context, undefined, () => '');
    const acked =
      input.snooze === undefined
        ? await context.teamState.signals.ack(input.signal, { by })
        : await context.teamState.signals.snooze(input.signal, { by, for: input.snooze });
    const { fingerprint, title, ack, snoozedUntil, owner } = acked;
    return { signal: { fingerprint, title, ack, snoozedUntil, owner } };
  },
});
