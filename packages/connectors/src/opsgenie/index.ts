import type { Connector } from '@teamstate/core';
import { opsgenieActions } from './actions/alert-actions.js';
import { createOpsgenieApi } from './client/opsgenie-api.js';
import { type OpsgenieOptions, resolveOpsgenieOptions } from './options.js';
import { syncOpsgenie } from './sync/sync-opsgenie.js';
import { createOpsgenieWebhooks } from './webhooks/opsgenie-webhooks.js';

// The base class of this connector's request error, named so the declarations can say so.
export type { JsonRequestError } from '../upstream/json-request.js';
export type { UpstreamRequestError } from '../upstream/upstream-request-error.js';
export {
  type OgAlert,
  type OgIncident,
  type OgLog,
  type OgSchedule,
  type OgTeam,
  type OgTimeline,
  OpsgenieRequestError,
} from './client/opsgenie-api.js';
export { incidentId, mapIncident } from './map/map-incident.js';
export { type OpsgenieOptions, type OpsgenieSleep, opsgenieConfigSchema } from './options.js';
export { verifyOpsgenieKey } from './webhooks/opsgenie-webhooks.js';

/**
 * Opsgenie: Incident API records as incidents (their alerts the timeline), schedules' on-call shifts 14 days back and
 * ahead, key-checked webhooks, and the actions `opsgenie.alert.acknowledge|close|escalate|create`, each high risk and
 * held for a person's approval by the built-in policy.
 *
 * @example
 * opsgenie({ apiKey: process.env.OPSGENIE_API_KEY!, teams: ['Payments'] })
 */
export function opsgenie(options: OpsgenieOptions): Connector {
  const resolved = resolveOpsgenieOptions(options);
  const api = createOpsgenieApi(resolved);
  const { webhookKey } = resolved;
  return {
    specificationVersion: 'v1',
    id: resolved.id,
    providers: ['opsgenie'],
    description: `Opsgenie at ${new URL(resolved.baseUrl).host}${resolved.teams.length ? `: teams ${resolved.teams.join(', ')}` : ''}`,
    sync: (ctx) => syncOpsgenie(ctx, api, resolved),
    actions: opsgenieActions(() => api),
    ...(webhookKey ? { webhooks: createOpsgenieWebhooks({ ...resolved, webhookKey }) } : {}),
  };
}
