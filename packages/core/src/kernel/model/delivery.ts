import { z } from 'zod';
import { idSchema } from './common.js';
import { parseTimestamp, timestampSchema } from './timestamp.js';

/** A sprint of a team; `committedItems` are the work items in it when it started. */
export const sprintSchema = z
  .strictObject({
    id: idSchema,
    name: z.string().min(1),
    team: idSchema,
    state: z.enum(['future', 'active', 'closed']),
    startAt: timestampSchema,
    endAt: timestampSchema,
    completedAt: timestampSchema.optional(),
    committedItems: z.array(idSchema).optional(),
  })
  .superRefine((sprint, ctx) => {
    const start = parseTimestamp(sprint.startAt);
    const end = parseTimestamp(sprint.endAt);
    if (start !== undefined && end !== undefined && end < start) {
      ctx.addIssue({ code: 'custom', path: ['endAt'], message: `must not be before startAt (${sprint.startAt})` });
    }
  });
export type Sprint = z.output<typeof sprintSchema>;

/** A deployment of a repository to an environment, with the pull requests it shipped when known. */
export const deploymentSchema = z.strictObject({
  id: idSchema,
  repository: z.string().min(1),
  environment: z.string().min(1),
  status: z.enum(['success', 'failure', 'error', 'in_progress']),
  startedAt: timestampSchema.optional(),
  finishedAt: timestampSchema,
  sha: z.string().optional(),
  pullRequests: z.array(idSchema).optional(),
});
export type Deployment = z.infer<typeof deploymentSchema>;

/** One entry of an incident's timeline (from its source: PagerDuty log entries, Statuspage updates). */
export const incidentEventSchema = z.strictObject({
  at: timestampSchema,
  kind: z.enum(['triggered', 'acknowledged', 'escalated', 'note', 'resolved', 'status_update']),
  actor: z.string().optional(),
  text: z.string().max(20_000).optional(),
});
export type IncidentEvent = z.infer<typeof incidentEventSchema>;

/**
 * A production incident, optionally tied to a repository and the deployment that caused it. Incidents from an
 * on-call tool (PagerDuty) carry their `source`, `service`, status, responders and timeline; `team` names the team
 * when the source knows it (PagerDuty's `serviceTeams`), else the team is its repository's.
 */
export const incidentSchema = z.strictObject({
  id: idSchema,
  title: z.string(),
  severity: z.string().optional(),
  createdAt: timestampSchema,
  resolvedAt: timestampSchema.optional(),
  repository: z.string().optional(),
  deployment: idSchema.optional(),
  source: z.string().min(1).optional(),
  externalId: z.string().min(1).optional(),
  service: z.string().min(1).optional(),
  team: idSchema.optional(),
  urgency: z.enum(['high', 'low']).optional(),
  status: z.enum(['triggered', 'acknowledged', 'resolved']).optional(),
  acknowledgedAt: timestampSchema.optional(),
  responders: z.array(z.string().min(1)).optional(),
  timeline: z.array(incidentEventSchema).optional(),
});
export type Incident = z.infer<typeof incidentSchema>;

/**
 * Who is on call (an on-call tool's shift, e.g. a PagerDuty `/oncalls` entry): `person` at `level` of an escalation
 * policy, through a `schedule` when the rule names one, for a `service` (named as its incidents name it) and the
 * service's `team`, from `start` to `end` (either left out: without bound, as when a rule names a person directly).
 */
export const oncallSchema = z
  .strictObject({
    source: z.string({ error: 'expected the on-call tool, e.g. "pagerduty"' }).min(1),
    escalationPolicy: z.string({ error: 'expected the escalation policy id, e.g. "PESCPOL"' }).min(1),
    escalationPolicyName: z.string().min(1).optional(),
    level: z
      .number({ error: 'expected the escalation level as a whole number, 1 for the first' })
      .int({ error: 'expected the escalation level as a whole number, 1 for the first' })
      .min(1, { error: 'expected an escalation level of 1 or more' })
      .default(1),
    schedule: z.string().min(1).optional(),
    scheduleName: z.string().min(1).optional(),
    service: z.string().min(1).optional(),
    team: idSchema.optional(),
    person: idSchema,
    start: timestampSchema.optional(),
    end: timestampSchema.optional(),
  })
  .superRefine((oncall, ctx) => {
    const start = oncall.start === undefined ? undefined : parseTimestamp(oncall.start);
    const end = oncall.end === undefined ? undefined : parseTimestamp(oncall.end);
    if (start !== undefined && end !== undefined && end < start)
      ctx.addIssue({ code: 'custom', path: ['end'], message: `must not be before start (${oncall.start})` });
    if (oncall.service === undefined && oncall.team === undefined)
      ctx.addIssue({ code: 'custom', path: ['service'], message: 'an on-call entry needs its service or its team (or both)' });
  });
export type OncallInput = z.input<typeof oncallSchema>;
export type Oncall = z.output<typeof oncallSchema>;
