import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  TeamStateError,
  type WebhookContext,
  type WebhookEvent,
  type WebhookOutcome,
  WebhookPayloadError,
  type WebhookSpec,
  type WorkItemLink,
} from '@teamstate/core';
import { isNotFound, type LinearApi, type LinearCallOptions } from '../client/linear-api.js';
import type { LinearCycle, LinearIssue, LinearRelation } from '../client/linear-types.js';
import { CYCLE_QUERY, ISSUE_QUERY } from '../client/queries.js';
import { accountRef, cycleRecordId, issueUsers, linearTeamId, mapCycle, mapIssue, workItemId } from '../map/map-issue.js';
import type { ResolvedLinearOptions } from '../options.js';
import { completeHistories } from '../sync/complete-histories.js';
import { completeRelations, readRelations } from '../sync/complete-relations.js';
import { linksOf, linksReplaced } from '../sync/store-issues.js';

/** How far a delivery's `webhookTimestamp` may be from now: Linear's advice against replayed deliveries. */
export const WEBHOOK_TOLERANCE_MS = 60_000;

interface LinearWebhookPayload {
  action?: unknown;
  type?: unknown;
  data?: { id?: unknown; issueId?: unknown };
  /** An update's previous values: `issueId` when the relation moved off another issue. */
  updatedFrom?: { issueId?: unknown };
  webhookTimestamp?: unknown;
}

const parse = (rawBody: Buffer): LinearWebhookPayload | undefined => {
  try {
    const value: unknown = JSON.parse(rawBody.toString('utf8'));
    return value && typeof value === 'object' ? (value as LinearWebhookPayload) : undefined;
  } catch {
    return undefined;
  }
};

/** `Linear-Signature`: the hex HMAC-SHA256 of the raw body with the webhook's signing secret, compared in constant time. */
export function verifyLinearSignature(secret: string, rawBody: Buffer, header: string | undefined): boolean {
  if (!header || !/^[0-9a-f]{64}$/i.test(header.trim())) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(header.trim(), 'hex'), expected);
}

// One try per attempt: the webhook queue retries the delivery with back-off instead of waiting here.
const noWaiting = async (_ms: number, reason: string) => {
  throw new TeamStateError('upstream_error', `${reason}: not waiting inside a webhook attempt; the delivery is retried later`);
};

/**
 * `POST /webhooks/linear`: a delivery counts when its `Linear-Signature` matches and its `webhookTimestamp` is within a
 * minute of the injected clock; it is deduplicated by `Linear-Delivery`. An issue created or updated is read back
 * (one request, with its history) and stored as a sync would; a removed one is removed. A cycle is read back and
 * stored as a sprint (its committed scope is the sync's). An issue read back carries its relations in full, as in a
 * sync; an issue relation created, changed or removed has the relations of its issue (`data.issueId`) read again. Links
 * to issues not stored are left out. Other entities are ignored.
 */
export function createLinearWebhooks(options: ResolvedLinearOptions & { webhookSecret: string }, api: LinearApi): WebhookSpec {
  const synced = new Set(options.teams);
  const inScope = (key: string) => synced.size === 0 || synced.has(key.toUpperCase());
  const teamOf = (key: string) => {
    const upper = key.toUpperCase();
    return options.teamOfLinearTeam[upper] ?? (inScope(upper) ? linearTeamId(upper) : undefined);
  };
  const callOf = (ctx: WebhookContext): LinearCallOptions => ({ sleep: noWaiting, now: () => ctx.now().getTime(), signal: ctx.signal });
  // The relation's issue is read again for all its relations: the payload names one, and a removal names none left.
  // An update that moved the relation off another issue (`updatedFrom.issueId`) has that one read again too.
  async function relationEvent(event: WebhookEvent, ctx: WebhookContext): Promise<WebhookOutcome> {
    const payload = event.payload as LinearWebhookPayload;
    const issueId = payload.data?.issueId;
    if (typeof issueId !== 'string' || issueId === '')
      throw new WebhookPayloadError(`${event.name}: data.issueId is missing (expected the UUID of the issue the relation is stored on)`);
    const previous = payload.updatedFrom?.issueId;
    const named = typeof previous === 'string' && previous !== '' && previous !== issueId ? [issueId, previous] : [issueId];
    const stored = await ctx.existing('work item', named.map(workItemId));
    const ids = named.filter((id) => stored.has(workItemId(id)));
    if (ids.length === 0) return { ignored: `issue ${issueId} is not stored (of a team not synced, or not synced yet)` };
    const relations = await relationsOfIssues(ids, ctx);
    if (relations.size === 0) return { ignored: `issue ${issueId} no longer exists in Linear` };
    const workItemLinks: WorkItemLink[] = [];
    for (const [id, list] of relations) workItemLinks.push(...(await knownLinks(ctx, id, list)));
    return { records: { workItemLinks }, replaceLinks: linksReplaced([...relations.keys()].map(workItemId)) };
  }

  // All the relations of `ids` in one request; should one be gone (deleted since: its own removal event takes its links
  // with it), each is read on its own and those gone are left out.
  async function relationsOfIssues(ids: readonly string[], ctx: WebhookContext): Promise<Map<string, LinearRelation[]>> {
    try {
      return await readRelations(api, ids, callOf(ctx), () => {});
    } catch (error) {
      if (!isNotFound(error)) throw error;
      if (ids.length === 1) return new Map();
    }
    const found = new Map<string, LinearRelation[]>();
    for (const id of ids) for (const [key, list] of await relationsOfIssues([id], ctx)) found.set(key, list);
    return found;
  }
  return {
    specificationVersion: 'v1',
    provider: 'linear',
    verify(request, now) {
      if (!verifyLinearSignature(options.webhookSecret, request.rawBody, request.headers['linear-signature'])) return false;
      const stamp = parse(request.rawBody)?.webhookTimestamp;
      return typeof stamp === 'number' && Math.abs(now.getTime() - stamp) <= WEBHOOK_TOLERANCE_MS;
    },
    deliveryId: (request) => request.headers['linear-delivery'] || undefined,
    eventName(request, payload) {
      const { type, action } = (payload ?? {}) as LinearWebhookPayload;
      const entity = typeof type === 'string' ? type : request.headers['linear-event'];
      return entity && typeof action === 'string' ? `${entity}.${action}` : undefined;
    },
    async handle(event: WebhookEvent, ctx: WebhookContext): Promise<WebhookOutcome> {
      const payload = event.payload as LinearWebhookPayload;
      const id = payload.data?.id;
      const [entity, action] = event.name.split('.');
      if (entity === 'IssueRelation') return relationEvent(event, ctx);
      if (entity !== 'Issue' && entity !== 'Cycle') return { ignored: `${event.name}: teamstate reads issues, relations and cycles only` };
      if (typeof id !== 'string' || id === '')
        throw new WebhookPayloadError(`${event.name}: data.id is missing (expected the entity's UUID)`);
      if (entity === 'Issue') {
        if (action === 'remove') return { records: {}, remove: { workItems: [workItemId(id)] } };
        let issue: LinearIssue;
        try {
          issue = (await api.request<{ issue: LinearIssue }>(ISSUE_QUERY, { id }, callOf(ctx))).issue;
        } catch (error) {
          if (isNotFound(error)) return { records: {}, remove: { workItems: [workItemId(id)] } };
          throw error;
        }
        if (!inScope(issue.team.key)) return { ignored: `issue ${issue.identifier} is of team ${issue.team.key}, not a synced one` };
        const histories = await completeHistories(api, [issue], callOf(ctx), () => {});
        const users = issueUsers(issue);
        const ids = await ctx.resolvePeople(users.map(accountRef));
        const people = new Map(users.map((user, n) => [user.id, ids[n]]));
        const known = issue.cycle ? await ctx.existing('sprint', [cycleRecordId(issue.cycle.id)]) : new Set<string>();
        const item = mapIssue(issue, histories.get(issue.id) ?? issue.history.nodes, {
          teamOf,
          isKnownCycle: (cycle) => known.has(cycleRecordId(cycle)),
          personOf: (user) => people.get(user),
        });
        if (!issue.relations) return { records: { workItems: [item] } };
        const relations = await completeRelations(api, [issue], callOf(ctx), () => {});
        const workItemLinks = await knownLinks(ctx, issue.id, relations.get(issue.id) ?? issue.relations.nodes);
        return { records: { workItems: [item], workItemLinks }, replaceLinks: linksReplaced([item.id]) };
      }
      if (action === 'remove') return { records: {}, remove: { sprints: [cycleRecordId(id)] } };
      let cycle: LinearCycle;
      try {
        cycle = (await api.request<{ cycle: LinearCycle }>(CYCLE_QUERY, { id }, callOf(ctx))).cycle;
      } catch (error) {
        if (isNotFound(error)) return { records: {}, remove: { sprints: [cycleRecordId(id)] } };
        throw error;
      }
      const team = teamOf(cycle.team.key);
      if (!team) return { ignored: `cycle ${cycle.number} is of team ${cycle.team.key}, not a synced one` };
      return { records: { sprints: [mapCycle(cycle, team, ctx.now().getTime())] } };
    },
  };
}

/** The links of the relations of Linear issue `issueId` whose other end is stored (or the issue itself). */
async function knownLinks(ctx: WebhookContext, issueId: string, relations: readonly LinearRelation[]): Promise<WorkItemLink[]> {
  const links = linksOf(issueId, relations);
  const stored = await ctx.existing('work item', [...new Set(links.map((l) => l.to))]);
  return links.filter((l) => l.to === workItemId(issueId) || stored.has(l.to));
}
