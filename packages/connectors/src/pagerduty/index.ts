import type { Connector } from '@teamstate/core';
import { pagerdutyActions } from './actions/incident-actions.js';
import { createPagerDutyApi } from './client/pagerduty-api.js';
import { type PagerDutyOptions, resolvePagerDutyOptions } from './options.js';
import { syncPagerDuty } from './sync/sync-pagerduty.js';
import { createPagerDutyWebhooks } from './webhooks/pagerduty-webhooks.js';

// The base class of this connector's request error, named so the declarations can say so.
export type { UpstreamRequestError } from '../upstream/upstream-request-error.js';
export { PagerDutyRequestError, type PdIncident, type PdLogEntry, type PdOncall, type PdService } from './client/pagerduty-api.js';
export { incidentId, mapIncident } from './map/map-incident.js';
export type { PagerDutyOptions, PagerDutySleep } from './options.js';
export { verifyPagerDutySignature } from './webhooks/pagerduty-webhooks.js';

/**
 * PagerDuty (REST API v2 and webhooks v3): incidents with their log entries as the incident timeline, mapped to teams
 * by `serviceTeams` and to repositories by `serviceRepositories`; who is on call (`/oncalls`), linked to people by email; the actions acknowledge, resolve, escalate and page,
 * each high risk and held for a person's approval by the built-in policy.
 *
 * @example
 * pagerduty({ token: process.env.PAGERDUTY_TOKEN!, serviceTeams: { PSVC123: 'payments' }, from: 'oncall-bot@acme.example' })
 */
export function pagerduty(options: PagerDutyOptions): Connector {
  const resolved = resolvePagerDutyOptions(options);
  const api = createPagerDutyApi(resolved);
  const { webhookSecret } = resolved;
  return {
    specificationVersion: 'v1',
    id: resolved.id,
    providers: ['pagerduty'],
    description: `PagerDuty at ${new URL(resolved.baseUrl).host}${resolved.services.length ? `: services ${resolved.services.join(', ')}` : ''}`,
    sync: (ctx) => syncPagerDuty(ctx, resolved, api),
    actions: pagerdutyActions(() => api, resolved.from),
    ...(webhookSecret ? { webhooks: createPagerDutyWebhooks({ ...resolved, webhookSecret }) } : {}),
  };
}
