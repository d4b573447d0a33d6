import type { Connector } from '@teamstate/core';
import { statuspageActions } from './actions/incident-actions.js';
import { createStatuspageApi } from './client/statuspage-api.js';
import { resolveStatuspageOptions, type StatuspageOptions } from './options.js';
import { syncStatuspage } from './sync/sync-statuspage.js';

// The base class of this connector's request error, named so the declarations can say so.
export type { JsonRequestError } from '../upstream/json-request.js';
export type { UpstreamRequestError } from '../upstream/upstream-request-error.js';
export { type SpComponent, type SpIncident, type SpIncidentUpdate, StatuspageRequestError } from './client/statuspage-api.js';
export { incidentId, mapIncident } from './map/map-incident.js';
export type { StatuspageOptions, StatuspageSleep } from './options.js';

/**
 * Statuspage (REST API v1, one page): its incidents with their updates as status updates in the incident timeline;
 * the actions `statuspage.incident.create|update`, high risk and held for a person's approval by the built-in policy.
 *
 * @example
 * statuspage({ token: process.env.STATUSPAGE_TOKEN!, pageId: 'kctbh9vrtdwd' })
 */
export function statuspage(options: StatuspageOptions): Connector {
  const resolved = resolveStatuspageOptions(options);
  const api = createStatuspageApi(resolved);
  return {
    specificationVersion: 'v1',
    id: resolved.id,
    providers: [],
    description: `Statuspage page ${resolved.pageId}`,
    sync: (ctx) => syncStatuspage(ctx, api),
    actions: statuspageActions(api),
  };
}
