/**
 * A custom connector: incidents from an on-call tool ("pager") into teamstate, and one action on them.
 * docs/extending.md walks through it; docs/examples/examples.test.ts runs it against a real database.
 *
 * A connector only maps the source's answers into records. Core validates every batch, stores it with
 * the cursor in one transaction, and does identity, policy, approvals and the audit ledger.
 */
import { type Connector, defineActionType, type Incident } from '@teamstate/core';
import { z } from 'zod';

/** An incident as the on-call tool's API returns it. */
export interface PagerIncident {
  id: string;
  title: string;
  urgency: 'high' | 'low';
  /** The on-call service, e.g. `payments-api`. */
  service: string;
  createdAt: string;
  updatedAt: string;
  resolvedAt?: string;
}

/** One page of incidents, oldest update first; `nextPage` is absent on the last page. */
export interface PagerPage {
  incidents: PagerIncident[];
  nextPage?: string;
}

/** The calls the connector needs: HTTP against the real tool, an in-memory fake in tests. */
export interface PagerClient {
  /** Incidents updated at or after `updatedSince` (every incident without it), oldest update first. */
  listIncidents(query: { updatedSince?: string; page?: string }): Promise<PagerPage>;
  getIncident(id: string): Promise<PagerIncident | undefined>;
  /** Adds a note; `idempotencyKey` makes a repeated call add nothing. */
  addNote(incidentId: string, note: { text: string; idempotencyKey: string }): Promise<{ noteId: string }>;
}

/** Options of {@link pager}. */
export interface PagerOptions {
  client: PagerClient;
  /** The repository (`owner/name`) of each on-call service, so its incidents count for the team that owns it. */
  repositoryOfService?: Record<string, string>;
}

/** The cursor: the newest `updatedAt` stored so far. */
const CURSOR = 'incidents:updatedSince';

/** Maps the tool's incident to teamstate's incident record (the `incidents` list of a bundle). */
function toIncident(incident: PagerIncident, repository: string | undefined): Incident {
  return {
    id: `pager-${incident.id}`,
    title: incident.title,
    severity: incident.urgency === 'high' ? 'sev1' : 'sev3',
    createdAt: incident.createdAt,
    ...(incident.resolvedAt ? { resolvedAt: incident.resolvedAt } : {}),
    ...(repository ? { repository } : {}),
  };
}

/**
 * `pager.incident.note`: adds a note to an open incident. Low risk; the policy decides the mode (with the
 * built-in policy, a person approves it). The precondition is checked when it is proposed and again
 * right before it runs, so a note is never added to an incident that was resolved in between.
 */
function addNoteAction(client: PagerClient) {
  return defineActionType({
    type: 'pager.incident.note',
    description: 'Add a note to an open incident of the on-call tool',
    risk: 'low',
    params: z.strictObject({
      incident: z.string().min(1).describe('The incident id in the on-call tool, e.g. "P123"'),
      text: z.string().min(1).max(2000).describe('The note'),
    }),
    async precondition(params) {
      const incident = await client.getIncident(params.incident);
      if (!incident) return { ok: false, reason: `incident ${params.incident} does not exist` };
      if (incident.resolvedAt) return { ok: false, reason: `incident ${params.incident} was resolved at ${incident.resolvedAt}` };
      return { ok: true, state: { updatedAt: incident.updatedAt } };
    },
    async execute(params, ctx) {
      // The idempotency key is fixed for the approval's life: the upstream API deduplicates on it.
      return client.addNote(params.incident, { text: params.text, idempotencyKey: ctx.idempotencyKey });
    },
  });
}

/**
 * The on-call tool as a teamstate connector.
 *
 * @example
 * const ts = await createTeamState({ connectors: [pager({ client, repositoryOfService: { 'payments-api': 'acme/payments-api' } })] })
 * await ts.sync({ only: ['pager'] })
 */
export function pager(options: PagerOptions): Connector {
  const { client } = options;
  const mapping = options.repositoryOfService ?? {};
  return {
    specificationVersion: 'v1',
    id: 'pager',
    description: 'Incidents from the on-call tool',
    actions: [addNoteAction(client)],
    async sync(ctx) {
      // An incident may only name a repository that exists (references must resolve), so map a
      // service only to repositories already in the store (synced from GitHub, or in a bundle).
      const known = await ctx.existing('repository', [...new Set(Object.values(mapping))]);
      const repositoryOf = (service: string) => {
        const repository = mapping[service];
        return repository && known.has(repository) ? repository : undefined;
      };
      // Resume from the newest update stored. Incidents updated exactly then are read again: upserts
      // of unchanged records change nothing, and nothing updated in the same instant is missed.
      const updatedSince = await ctx.getCursor(CURSOR);
      let newest = updatedSince;
      let page: string | undefined;
      let pages = 0;
      do {
        ctx.progress({ phase: 'incidents', pages });
        const answer = await client.listIncidents({ updatedSince, page });
        pages++;
        for (const incident of answer.incidents) if (newest === undefined || incident.updatedAt > newest) newest = incident.updatedAt;
        // Records and cursor in one transaction: a crash after this line never loses this page, and a
        // crash before it stores nothing of it, so the next run reads it again.
        await ctx.emit(
          { incidents: answer.incidents.map((incident) => toIncident(incident, repositoryOf(incident.service))) },
          newest === undefined ? {} : { cursors: { [CURSOR]: newest } },
        );
        page = answer.nextPage;
      } while (page !== undefined);
    },
  };
}

/**
 * An in-memory on-call tool with the same answers as the real API: for trying the connector without one
 * (`docs/extending.md`) and for its test. `pageSize` incidents per page.
 */
export function inMemoryPager(
  incidents: PagerIncident[],
  pageSize = 2,
): PagerClient & { notes: Map<string, { incident: string; text: string }> } {
  const notes = new Map<string, { incident: string; text: string }>();
  return {
    notes,
    async listIncidents({ updatedSince, page }) {
      const matching = incidents
        .filter((incident) => updatedSince === undefined || incident.updatedAt >= updatedSince)
        .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.id.localeCompare(b.id));
      const start = page === undefined ? 0 : Number(page);
      const end = start + pageSize;
      return { incidents: matching.slice(start, end), ...(end < matching.length ? { nextPage: String(end) } : {}) };
    },
    async getIncident(id) {
      return incidents.find((incident) => incident.id === id);
    },
    async addNote(incident, { text, idempotencyKey }) {
      if (!notes.has(idempotencyKey)) notes.set(idempotencyKey, { incident, text });
      return { noteId: `note-${idempotencyKey}` };
    },
  };
}
