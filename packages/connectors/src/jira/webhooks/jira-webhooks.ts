import {
  type Sprint,
  type SyncBatch,
  TeamStateError,
  verifySha256Signature,
  type WebhookContext,
  type WebhookEvent,
  type WebhookOutcome,
  WebhookPayloadError,
  type WebhookSpec,
} from '@teamstate/core';
import type { Issue } from 'jira.js/cloud';
import type { JiraApi } from '../client/jira-api.js';
import type { JiraTransport } from '../client/jira-transport.js';
import { historyFields, loadSiteMetadata, type SiteMetadata } from '../client/site-metadata.js';
import { jiraInstant } from '../map/jira-time.js';
import { issueUsers, mapIssue, sprintRecordId, workItemId } from '../map/map-issue.js';
import type { JiraSleep, ResolvedJiraOptions } from '../options.js';
import { fetchChangelogs } from '../sync/fetch-changelogs.js';
import { resolveUsers } from '../sync/jira-users.js';
import { linksToKnownItems, relinked } from '../sync/known-links.js';
import { projectTeamId } from '../sync/project-teams.js';
import { sprintCandidates } from '../sync/sprint-candidates.js';
import { sprintRefs, sprintsAt } from '../sync/sprint-membership.js';

/** How long fields and statuses read for webhooks are reused before being read again. */
const METADATA_TTL_MS = 60 * 60_000;

// One try per attempt: a failed request is not waited out here, the webhook queue retries the delivery with back-off.
const noWaiting: JiraSleep = async (_ms, reason) => {
  throw new TeamStateError('upstream_error', `${reason}: not waiting inside a webhook attempt; the delivery is retried later`);
};

const ISSUE_EVENTS = new Set(['jira:issue_created', 'jira:issue_updated']);
const SPRINT_EVENTS = new Set(['sprint_created', 'sprint_updated', 'sprint_started', 'sprint_closed']);

interface IssuePayload {
  issue?: { id?: unknown; key?: unknown; fields?: Record<string, unknown> };
}
interface SprintPayload {
  sprint?: {
    id?: unknown;
    name?: unknown;
    state?: unknown;
    startDate?: unknown;
    endDate?: unknown;
    completeDate?: unknown;
    originBoardId?: unknown;
  };
}

/**
 * Receives Jira webhooks at `POST /webhooks/jira` (a site admin registers them with a secret). Deliveries
 * must carry `X-Hub-Signature: sha256=<HMAC of the raw body>`; they are deduplicated by
 * `X-Atlassian-Webhook-Identifier`. Issue created/updated events store the issue exactly as a sync would
 * (its full status history is read back, one request; its links, when the payload has `issuelinks`, replace the
 * stored ones); deleted issues and sprints are removed; sprint
 * events update the sprint, and `sprint_started` records its committed scope. Other events are ignored.
 */
export function createJiraWebhooks(options: ResolvedJiraOptions & { webhookSecret: string }, transport: JiraTransport): WebhookSpec {
  let metadata: { at: number; value: Promise<SiteMetadata> } | undefined;
  const boardTeams = new Map<number, { team?: string; own?: { id: string; name: string } }>();
  const site = (api: JiraApi, now: number) => {
    if (!metadata || now - metadata.at > METADATA_TTL_MS) {
      const value = loadSiteMetadata(api, options.storyPointsField);
      metadata = { at: now, value };
      value.catch(() => {
        metadata = undefined;
      });
    }
    return metadata.value;
  };
  const synced = new Set(options.projects);
  const teamOf = (key: string) => options.teamOfProject[key] ?? (synced.has(key) ? projectTeamId(key) : undefined);

  async function issueEvent(event: WebhookEvent, ctx: WebhookContext): Promise<WebhookOutcome> {
    const issue = (event.payload as IssuePayload).issue;
    const id = typeof issue?.id === 'string' || typeof issue?.id === 'number' ? String(issue.id) : undefined;
    if (!issue || !id) throw new WebhookPayloadError(`${event.name}: issue.id is missing (expected the issue the event is about)`);
    if (event.name === 'jira:issue_deleted') return { records: {}, remove: { workItems: [workItemId(id)] } };
    const fields = issue.fields;
    const project = (fields?.project as { key?: unknown; name?: unknown } | undefined) ?? {};
    if (typeof project.key !== 'string') throw new WebhookPayloadError(`${event.name}: issue.fields.project.key is missing`);
    if (!synced.has(project.key)) return { ignored: `issue of project ${project.key}, which is not synced (jira.projects)` };
    const api = await transport.api(noWaiting);
    const { fields: siteFields, categories } = await site(api, ctx.now().getTime());
    const histories = (await fetchChangelogs(api, [id], historyFields(siteFields))).get(id) ?? [];
    const asIssue = { id, key: issue.key, fields } as Issue;
    const people = await resolveUsers(issueUsers(asIssue), (accounts) => ctx.resolvePeople(accounts));
    const sprintIds = siteFields.sprint ? sprintRefs(fields?.[siteFields.sprint]).map((r) => sprintRecordId(r.id)) : [];
    const knownSprints = await ctx.existing('sprint', sprintIds);
    const mapped = mapIssue(asIssue, histories, {
      fields: siteFields,
      categories,
      siteUrl: options.siteUrl,
      teamOf,
      isKnownSprint: (sprint) => knownSprints.has(sprintRecordId(sprint)),
      personOf: (accountId) => people.get(accountId),
    });
    if (!mapped) throw new WebhookPayloadError(`${event.name}: issue.key, issue.fields.status or issue.fields.created is missing`);
    const records: SyncBatch = { workItems: [mapped.item] };
    const links = await linksToKnownItems(ctx, [asIssue], records.workItems!);
    if (links.length > 0) records.workItemLinks = links;
    const team = teamOf(project.key);
    // A project's own team may not be stored yet (a webhook before the first sync).
    if (team === projectTeamId(project.key) && !(await ctx.existing('team', [team])).has(team))
      records.teams = [{ id: team, name: typeof project.name === 'string' ? project.name : project.key }];
    return { records, replaceLinks: relinked([asIssue], records.workItems!) };
  }

  async function sprintEvent(event: WebhookEvent, ctx: WebhookContext): Promise<WebhookOutcome> {
    const sprint = (event.payload as SprintPayload).sprint;
    const jiraId = Number(sprint?.id);
    if (!sprint || !Number.isInteger(jiraId) || jiraId <= 0)
      throw new WebhookPayloadError(`${event.name}: sprint.id is missing (expected a sprint id)`);
    if (event.name === 'sprint_deleted') return { records: {}, remove: { sprints: [sprintRecordId(jiraId)] } };
    const startedAt = jiraInstant(sprint.startDate);
    const endAt = jiraInstant(sprint.endDate);
    if (startedAt === undefined || endAt === undefined) return { ignored: `sprint ${jiraId} has no start and end dates yet` };
    const api = await transport.api(noWaiting);
    const boardId = Number(sprint.originBoardId);
    if (!boardTeams.has(boardId)) {
      const board = Number.isInteger(boardId) && boardId > 0 ? await api.getBoard(boardId) : undefined;
      const key = board?.location?.projectKey;
      const team = key ? teamOf(key) : undefined;
      boardTeams.set(boardId, {
        ...(team ? { team } : {}),
        ...(key && team === projectTeamId(key) ? { own: { id: team, name: board?.location?.projectName ?? key } } : {}),
      });
    }
    const { team, own } = boardTeams.get(boardId) ?? {};
    if (!team) return { ignored: `sprint ${jiraId} is on board ${boardId}, which belongs to no synced project` };
    const state = sprint.state === 'active' || sprint.state === 'closed' ? sprint.state : 'future';
    const completedAt = jiraInstant(sprint.completeDate);
    const record: Sprint = {
      id: sprintRecordId(jiraId),
      name: typeof sprint.name === 'string' && sprint.name ? sprint.name : `Sprint ${jiraId}`,
      team,
      state,
      startAt: new Date(startedAt).toISOString(),
      endAt: new Date(endAt).toISOString(),
      ...(state === 'closed' && completedAt !== undefined ? { completedAt: new Date(completedAt).toISOString() } : {}),
    };
    if (event.name === 'sprint_started') {
      // At the start event, the committed scope is what is in the sprint right now.
      const { fields: siteFields } = await site(api, ctx.now().getTime());
      if (siteFields.sprint) {
        const candidates = await sprintCandidates(api, options, jiraId, siteFields.sprint, new Set());
        const committed = [...candidates].filter(([, history]) => sprintsAt(history, startedAt).has(jiraId)).map(([id]) => id);
        const stored = await ctx.existing('work item', committed);
        record.committedItems = committed.filter((id) => stored.has(id)).sort();
      }
    }
    const records: SyncBatch = { sprints: [record] };
    if (own && !(await ctx.existing('team', [own.id])).has(own.id)) records.teams = [own];
    return { records };
  }

  return {
    provider: 'jira',
    verify: (request) => verifySha256Signature(options.webhookSecret, request.rawBody, request.headers['x-hub-signature']),
    deliveryId: (request) => request.headers['x-atlassian-webhook-identifier'],
    eventName: (_request, payload) => {
      const name = (payload as { webhookEvent?: unknown } | null)?.webhookEvent;
      return typeof name === 'string' && name ? name : undefined;
    },
    async handle(event, ctx) {
      if (ISSUE_EVENTS.has(event.name) || event.name === 'jira:issue_deleted') return issueEvent(event, ctx);
      if (SPRINT_EVENTS.has(event.name) || event.name === 'sprint_deleted') return sprintEvent(event, ctx);
      return { ignored: `${event.name} is not an event teamstate stores` };
    },
  };
}
