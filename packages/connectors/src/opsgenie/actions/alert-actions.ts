import { type ActionContext, defineActionType } from '@teamstate/core';
import { z } from 'zod';
import type { OgAlert, OpsgenieApi } from '../client/opsgenie-api.js';

const alertParam = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9-]{6,80}$/, { error: 'expected an Opsgenie alert id such as 70413a06-38d6-4c85-92b8-5ebc900d42e2-1492516206213' });

/** Who did it, as Opsgenie records it: the approver's linked Opsgenie username (an email), else their email. */
function userOf(ctx: Pick<ActionContext, 'approver'>): string | undefined {
  const approver = ctx.approver;
  return approver?.accounts.find((a) => a.provider === 'opsgenie' && a.login)?.login ?? approver?.email ?? undefined;
}

const body = (ctx: ActionContext, note: string) => {
  const user = userOf(ctx);
  return { source: 'teamstate', note, ...(user ? { user } : {}) };
};

/** `opsgenie.alert.acknowledge|close { alert }`: an alert already closed is stale. */
function statusAction(api: () => OpsgenieApi, action: 'acknowledge' | 'close') {
  const done = (alert: OgAlert) => (action === 'acknowledge' ? alert.acknowledged || alert.status === 'closed' : alert.status === 'closed');
  return defineActionType({
    type: `opsgenie.alert.${action}`,
    description: action === 'acknowledge' ? 'Acknowledge an Opsgenie alert' : 'Close an Opsgenie alert',
    risk: 'high',
    params: z.strictObject({ alert: alertParam }),
    async precondition(params) {
      const alert = await api().alert(params.alert);
      return alert.status === 'closed' ? { ok: false, reason: `alert ${alert.tinyId ?? alert.id} is already closed` } : { ok: true };
    },
    async execute(params, ctx) {
      const { requestId } = await api().alertAction(
        params.alert,
        action,
        body(ctx, `${action === 'close' ? 'Closed' : 'Acknowledged'} through teamstate`),
      );
      return { alert: params.alert, requestId };
    },
    async checkExecuted(params) {
      const alert = await api().alert(params.alert);
      return done(alert)
        ? { executed: true, result: { alert: alert.id, status: alert.status, acknowledged: alert.acknowledged } }
        : { executed: false };
    },
  });
}

/** `opsgenie.alert.escalate { alert }`: to the alert's escalation responder, else its first team's default escalation. */
function escalateAction(api: () => OpsgenieApi) {
  return defineActionType({
    type: 'opsgenie.alert.escalate',
    description: 'Escalate an Opsgenie alert to the next responders',
    risk: 'high',
    params: z.strictObject({ alert: alertParam }),
    async precondition(params) {
      const alert = await api().alert(params.alert);
      if (alert.status === 'closed') return { ok: false, reason: `alert ${alert.tinyId ?? alert.id} is already closed` };
      const escalation = alert.responders?.find((r) => r.type === 'escalation');
      if (escalation?.id) return { ok: true, state: { escalation: { id: escalation.id } } };
      const team = alert.teams?.[0]?.id;
      const name = team ? (await api().teams()).find((t) => t.id === team)?.name : undefined;
      if (!name) return { ok: false, reason: `alert ${alert.tinyId ?? alert.id} has no escalation or team to escalate to` };
      // Opsgenie names a team's default escalation `<team>_escalation`.
      return { ok: true, state: { escalation: { name: `${name}_escalation` } } };
    },
    async execute(params, ctx) {
      const escalation = (ctx.proposedState as { escalation?: Record<string, string> } | undefined)?.escalation;
      const { requestId } = await api().alertAction(params.alert, 'escalate', { ...body(ctx, 'Escalated through teamstate'), escalation });
      return { alert: params.alert, requestId };
    },
  });
}

/**
 * `opsgenie.alert.create { alert }`: opens an alert with that message (which notifies the on-call). The approval's
 * idempotency key is the alert's alias, so Opsgenie never opens two for one approval.
 */
function createAction(api: () => OpsgenieApi) {
  return defineActionType({
    type: 'opsgenie.alert.create',
    description: 'Open an Opsgenie alert, notifying the on-call',
    risk: 'high',
    params: z.strictObject({
      alert: z
        .string()
        .trim()
        .min(1, { error: "must not be empty: the new alert's message" })
        .max(130, { error: 'must be at most 130 characters (the longest message Opsgenie takes)' }),
    }),
    async execute(params, ctx) {
      const user = userOf(ctx);
      const { requestId } = await api().createAlert({
        message: params.alert,
        alias: ctx.idempotencyKey,
        source: 'teamstate',
        ...(user ? { user } : {}),
      });
      return { alias: ctx.idempotencyKey, requestId };
    },
    async checkExecuted(_params, ctx) {
      const alert = await api().alertByAlias(ctx.idempotencyKey);
      return alert ? { executed: true, result: { alert: alert.id, alias: ctx.idempotencyKey } } : { executed: false };
    },
  });
}

/** The Opsgenie actions, each high risk and held for a person's approval by the built-in policy. */
export function opsgenieActions(api: () => OpsgenieApi) {
  return [statusAction(api, 'acknowledge'), statusAction(api, 'close'), escalateAction(api), createAction(api)];
}
