import type { SyncContext } from '@teamstate/core';
import type { StatuspageApi } from '../client/statuspage-api.js';
import { mapIncident } from '../map/map-incident.js';

export const PAGE_CURSOR = 'incidents-page';

/**
 * Reads the page's incidents (with their updates) 100 a page, newest first, storing each page with the next page
 * number as its cursor; once every page is read the cursor goes back to the first, so the next sync sees new updates.
 */
export async function syncStatuspage(ctx: SyncContext, api: StatuspageApi): Promise<void> {
  let page = Number((await ctx.getCursor(PAGE_CURSOR)) ?? 1);
  for (;;) {
    const incidents = await api.incidents(page);
    const done = incidents.length < 100;
    await ctx.emit({ incidents: incidents.map(mapIncident) }, { cursors: { [PAGE_CURSOR]: String(done ? 1 : page + 1) } });
    ctx.progress({ phase: 'incidents', pages: page });
    if (done) return;
    page++;
  }
}
