import type { Incident, SyncContext } from '@teamstate/core';
import type { PagerDutyApi } from '../client/pagerduty-api.js';
import { mapIncident } from '../map/map-incident.js';
import type { ResolvedPagerDutyOptions } from '../options.js';
import { syncOncalls } from './sync-oncalls.js';

/** The sync cursor: the window being read and the offset reached; `since` alone once a window is done. */
interface IncidentsCursor {
  since: string;
  until?: string;
  offset?: number;
  /** The earliest creation of an incident still open seen so far in this window. */
  open?: string;
}
export const INCIDENTS_CURSOR = 'incidents';
const DAY = 24 * 3_600_000;

/**
 * Reads the incidents created since the cursor (the first sync: 180 days back, PagerDuty's limit) a page of 100 at a
 * time, each with its log entries, and emits each page with the cursor in the same transaction. The next window
 * starts at the earliest creation of an incident still open (its status may change), else at this window's end.
 * Then stores who is on call (`syncOncalls`).
 */
export async function syncPagerDuty(ctx: SyncContext, options: ResolvedPagerDutyOptions, api: PagerDutyApi): Promise<void> {
  const now = ctx.now();
  const stored = await ctx.getCursor(INCIDENTS_CURSOR);
  const cursor: IncidentsCursor = stored
    ? (JSON.parse(stored) as IncidentsCursor)
    : { since: new Date(now.getTime() - options.days * DAY).toISOString() };
  const until = cursor.until ?? now.toISOString();
  let offset = cursor.offset ?? 0;
  let earliestOpen: string | undefined = cursor.open;
  for (;;) {
    const page = await api.incidents({ since: cursor.since, until, offset, serviceIds: options.services });
    const incidents: Incident[] = [];
    for (const incident of page.incidents) {
      incidents.push(mapIncident(incident, await api.logEntries(incident.id), options));
      if (incident.status !== 'resolved' && (earliestOpen === undefined || incident.created_at < earliestOpen))
        earliestOpen = new Date(incident.created_at).toISOString();
    }
    offset += page.incidents.length;
    const done = !page.more || page.incidents.length === 0;
    const next = done
      ? { since: earliestOpen ?? until }
      : { since: cursor.since, until, offset, ...(earliestOpen ? { open: earliestOpen } : {}) };
    await ctx.emit({ incidents }, { cursors: { [INCIDENTS_CURSOR]: JSON.stringify(next) } });
    ctx.progress({ phase: 'incidents', items: offset });
    if (done) break;
  }
  await syncOncalls(ctx, options, api);
}
