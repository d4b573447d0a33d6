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
