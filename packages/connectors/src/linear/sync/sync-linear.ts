import { type Sprint, type SyncContext, type Team, TeamStateError, type WorkItem } from '@teamstate/core';
import type { LinearApi, LinearCallOptions } from '../client/linear-api.js';
import type { LinearConnection, LinearCycle, LinearIssue, LinearIssueHistory, LinearTeam, LinearUser } from '../client/linear-types.js';
import { CYCLE_ISSUES_QUERY, HISTORY_BATCH, historyQuery, syncPageQuery } from '../client/queries.js';
import { accountRef, cycleAt, cycleRecordId, issueUsers, linearTeamId, mapCycle, mapIssue } from '../map/map-issue.js';
import type { ResolvedLinearOptions } from '../options.js';

/** The cursor of the issues: the latest `updatedAt` of the issues stored so far (for this set of teams). */
export const issuesCursor = (teams: readonly string[]): string => `issues:${teams.join(',') || '*'}:updatedAt`;
/** The cursor of the cycles: the latest `updatedAt` of the cycles stored so far. */
export const cyclesCursor = (teams: readonly string[]): string => `cycles:${teams.join(',') || '*'}:updatedAt`;
/** The started cycles whose committed scope the connector keeps (JSON list of cycle ids). */
const startedCursor = (teams: readonly string[]): string => `cycles:${teams.join(',') || '*'}:started`;
/** A started cycle's record and committed scope. */
const scopeCursor = (cycleId: string): string => `cycle:${cycleId}`;

/** What the connector keeps per started cycle (the issues in it when it started). */
interface CycleScope {
  record: Sprint;
  startedAt: number;
  committed: string[];
  /** Whether the issues not synced since the start were looked up (or the run that saw it start read every issue). */
  scanned: boolean;
}

interface SyncPage {
  teams?: { nodes: LinearTeam[] };
  cycles?: LinearConnection<LinearCycle>;
  issues?: LinearConnection<LinearIssue>;
}

/**
 * One sync run. The first request reads the teams, a page of the cycles changed since the last run or not yet
 * completed, and the first page of the issues updated since the last run (oldest update first), so an unchanged
 * re-sync is one request. More cycles, more issues (100 a page) and the rest of long histories (20 issues a request)
 * follow; cycles that started since the last run have their current issues read once for the committed scope. The
 * issues' cursor is written with the last page: a sync that stops early reads the same issues again next time.
 */
export async function syncLinear(ctx: SyncContext, options: ResolvedLinearOptions, api: LinearApi): Promise<void> {
  const injected = options.sleep;
  const call: LinearCallOptions = {
    sleep: injected
      ? async (ms, reason) => {
          ctx.progress({ waitingMs: ms, message: reason });
          await injected(ms, reason);
        }
      : ctx.sleep,
    now: () => ctx.now().getTime(),
    signal: ctx.signal,
  };
  const keys = [...options.teams].sort();
  const since = await ctx.getCursor(issuesCursor(keys));
  const cyclesSince = await ctx.getCursor(cyclesCursor(keys));
  const teamPart = keys.length > 0 ? { team: { key: { in: keys } } } : {};
  const variables = {
    teamFilter: keys.length > 0 ? { key: { in: keys } } : {},
    cycleFilter: {
      // Changed since the last run, or still running (Linear completes a cycle at its end, which updates it).
      and: [teamPart, cyclesSince ? { or: [{ updatedAt: { gt: cyclesSince } }, { endsAt: { gt: ctx.now().toISOString() } }] } : {}],
    },
    issueFilter: { ...teamPart, ...(since ? { updatedAt: { gt: since } } : {}) },
    first: options.pageSize,
  };
  let pages = 0;
  ctx.progress({ phase: 'teams, cycles and issues' });
  const first = await api.request<SyncPage>(syncPageQuery({ teams: true, cycles: true, issues: true }), variables, call);
  pages += 1;

  // Teams: the configured keys must exist; each gets its owning team (configured, else one of its own).
  const linearTeams = first.teams?.nodes ?? [];
  const found = new Set(linearTeams.map((t) => t.key.toUpperCase()));
  for (const key of keys)
    if (!found.has(key))
      throw new TeamStateError('invalid_config', `linear.teams: team ${key} does not exist or the API key cannot see it (check the key)`);
  const configured = [...new Set(Object.values(options.teamOfLinearTeam))];
  const existingTeams = await ctx.existing('team', configured);
  for (const [key, team] of Object.entries(options.teamOfLinearTeam))
    if (found.has(key) && !existingTeams.has(team))
      throw new TeamStateError(
        'invalid_config',
        `teams: team "${team}" (owner of Linear team ${key}) does not exist (declare it under teams in the config, or import it first)`,
      );
  const synced = new Set(keys.length > 0 ? keys : [...found]);
  const teamOf = (key: string) => {
    const upper = key.toUpperCase();
    return options.teamOfLinearTeam[upper] ?? (synced.has(upper) ? linearTeamId(upper) : undefined);
  };
  const ownTeams: Team[] = linearTeams
    .filter((t) => synced.has(t.key.toUpperCase()) && options.teamOfLinearTeam[t.key.toUpperCase()] === undefined)
    .map((t) => ({ id: linearTeamId(t.key), name: t.name }));

  // Cycles (all pages before the issues: the committed scope of started cycles is worked out from the issues).
  const cycles = [...(first.cycles?.nodes ?? [])];
  for (let info = first.cycles?.pageInfo; info?.hasNextPage; ) {
    const page = await api.request<SyncPage>(
      syncPageQuery({ teams: false, cycles: true, issues: false }),
      { cycleFilter: variables.cycleFilter, cycleAfter: info.endCursor },
      call,
    );
    pages += 1;
    cycles.push(...(page.cycles?.nodes ?? []));
    info = page.cycles?.pageInfo;
  }
  const now = ctx.now().getTime();
  const records = new Map<string, Sprint>();
  for (const cycle of cycles) {
    const team = teamOf(cycle.team.key);
    if (team) records.set(cycle.id, mapCycle(cycle, team, now));
  }
  const startedIds = new Set<string>(JSON.parse((await ctx.getCursor(startedCursor(keys))) ?? '[]') as string[]);
  const scopes = new Map<string, CycleScope>();
  for (const id of startedIds) {
    const raw = await ctx.getCursor(scopeCursor(id));
    if (raw) scopes.set(id, JSON.parse(raw) as CycleScope);
  }
  const scopeCursors: Record<string, string> = {};
  for (const [id, record] of records) {
    if (record.state === 'future') continue;
    const known = scopes.get(id);
    const scope: CycleScope = known
      ? { ...known, record }
      : { record, startedAt: Date.parse(record.startAt), committed: [], scanned: since === undefined };
    scopes.set(id, scope);
    startedIds.add(id);
    scopeCursors[scopeCursor(id)] = JSON.stringify(scope);
  }
  const latestCycle = cycles.reduce<string | undefined>(
    (max, c) => (max === undefined || c.updatedAt > max ? c.updatedAt : max),
    cyclesSince,
  );
  await ctx.emit(
    { teams: ownTeams, sprints: [...records.values()] },
    {
      cursors: {
        ...scopeCursors,
        [startedCursor(keys)]: JSON.stringify([...startedIds].sort()),
        ...(latestCycle ? { [cyclesCursor(keys)]: latestCycle } : {}),
      },
    },
  );

  const people = new Map<string, string | undefined>();
  const knownCycles = new Set(records.keys());
  const changedScopes = new Set<string>();
  let items = 0;
  let latest = since;

  /** Maps, links and stores a page of issues (the history of each complete), with the scope cursors it changed. */
  const store = async (issues: LinearIssue[], extraCursors: Record<string, string> = {}) => {
    const histories = await completeHistories(api, issues, call, () => {
      pages += 1;
    });
    const users = new Map<string, LinearUser>();
    for (const user of issues.flatMap(issueUsers)) if (!people.has(user.id)) users.set(user.id, user);
    if (users.size > 0) {
      const list = [...users.values()];
      const ids = await ctx.resolvePeople(list.map(accountRef));
      list.forEach((user, n) => {
        people.set(user.id, ids[n]);
      });
    }
    const unknown = [...new Set(issues.flatMap((i) => (i.cycle && !knownCycles.has(i.cycle.id) ? [cycleRecordId(i.cycle.id)] : [])))];
    const stored = unknown.length > 0 ? await ctx.existing('sprint', unknown) : new Set<string>();
    for (const issue of issues) if (issue.cycle && stored.has(cycleRecordId(issue.cycle.id))) knownCycles.add(issue.cycle.id);
    const workItems: WorkItem[] = [];
    const changed = new Set<string>();
    for (const issue of issues) {
      const history = histories.get(issue.id) ?? issue.history.nodes;
      const item = mapIssue(issue, history, {
        teamOf,
        isKnownCycle: (id) => knownCycles.has(id),
        personOf: (id) => people.get(id),
      });
      workItems.push(item);
      const candidates = new Set([issue.cycle?.id, ...history.flatMap((h) => [h.fromCycleId, h.toCycleId])]);
      for (const id of candidates) {
        const scope = id ? scopes.get(id) : undefined;
        if (!id || !scope || scope.committed.includes(item.id)) continue;
        if (cycleAt(issue, history, scope.startedAt) === id) {
          scope.committed = [...scope.committed, item.id].sort();
          changed.add(id);
        }
      }
      if (latest === undefined || issue.updatedAt > latest) latest = issue.updatedAt;
    }
    for (const id of changed) changedScopes.add(id);
    await ctx.emit(
      { workItems },
      {
        cursors: {
          ...Object.fromEntries([...changed].map((id) => [scopeCursor(id), JSON.stringify(scopes.get(id))])),
          ...extraCursors,
        },
      },
    );
    items += workItems.length;
  };

  let issues = first.issues;
  while (issues) {
    ctx.progress({ phase: 'issues', pages, items });
    const info: LinearConnection<LinearIssue>['pageInfo'] = issues.pageInfo;
    const next = info.hasNextPage
      ? api.request<SyncPage>(
          syncPageQuery({ teams: false, cycles: false, issues: true }),
          { issueFilter: variables.issueFilter, issueAfter: info.endCursor, first: options.pageSize },
          call,
        )
      : undefined;
    next?.catch(() => {});
    const nodes = issues.nodes;
    // The issues' cursor moves with the last page only (Linear's order by update is not a resumable position).
    const last = !info.hasNextPage;
    const candidate = nodes.reduce<string | undefined>((max, i) => (max === undefined || i.updatedAt > max ? i.updatedAt : max), latest);
    if (nodes.length > 0 || (last && candidate !== since)) await store(nodes, last && candidate ? { [issuesCursor(keys)]: candidate } : {});
    issues = next ? (await next).issues : undefined;
    if (next) pages += 1;
  }

  // Cycles that started since the last run: the issues in them that this run did not read.
  for (const [id, scope] of scopes) {
    if (scope.scanned) continue;
    ctx.progress({ phase: `cycle ${scope.record.name}`, pages, items });
    for (let after: string | null = null; ; ) {
      const page: { cycle: { issues: LinearConnection<LinearIssue> } | null } = await api.request(CYCLE_ISSUES_QUERY, { id, after }, call);
      pages += 1;
      const found = page.cycle?.issues;
      if (!found) break;
      if (!found.pageInfo.hasNextPage) scope.scanned = true;
      await store(found.nodes, scope.scanned ? { [scopeCursor(id)]: JSON.stringify(scope) } : {});
      if (!found.pageInfo.hasNextPage) break;
      after = found.pageInfo.endCursor;
    }
    scope.scanned = true;
    changedScopes.add(id);
  }

  // Every cycle read or changed, with its committed items (those still stored).
  const emitted = [...new Set([...records.keys(), ...changedScopes])].filter((id) => records.has(id) || scopes.has(id));
  const committedIds = [...new Set(emitted.flatMap((id) => scopes.get(id)?.committed ?? []))];
  const exists = committedIds.length > 0 ? await ctx.existing('work item', committedIds) : new Set<string>();
  const sprints = emitted.map((id) => {
    const record = records.get(id) ?? scopes.get(id)!.record;
    const committed = (scopes.get(id)?.committed ?? []).filter((item) => exists.has(item));
    return record.state === 'future' ? record : { ...record, committedItems: committed };
  });
  if (sprints.length > 0)
    await ctx.emit(
      { sprints },
      {
        cursors: Object.fromEntries(emitted.filter((id) => scopes.has(id)).map((id) => [scopeCursor(id), JSON.stringify(scopes.get(id))])),
      },
    );
  ctx.progress({ phase: 'done', pages, items, message: `${api.requests} requests` });
}

/**
 * The complete histories of the issues whose first page of history had more: the rest is read for up to
 * {@link HISTORY_BATCH} issues per request, 50 entries each, until none has more.
 */
export async function completeHistories(
  api: LinearApi,
  issues: readonly LinearIssue[],
  call: LinearCallOptions,
  onPage: () => void,
): Promise<Map<string, LinearIssueHistory[]>> {
  const complete = new Map<string, LinearIssueHistory[]>();
  let open = issues
    .filter((i) => i.history.pageInfo.hasNextPage)
    .map((i) => {
      complete.set(i.id, [...i.history.nodes]);
      return { id: i.id, after: i.history.pageInfo.endCursor };
    });
  while (open.length > 0) {
    const batch = open.slice(0, HISTORY_BATCH);
    const variables = Object.fromEntries(batch.flatMap((entry, n) => [[`id${n}`, entry.id] as const, [`after${n}`, entry.after] as const]));
    const answer = await api.request<Record<string, { id: string; history: LinearConnection<LinearIssueHistory> } | null>>(
      historyQuery(batch.length),
      variables,
      call,
    );
    onPage();
    const more: { id: string; after: string | null }[] = [];
    batch.forEach((entry, n) => {
      const issue = answer[`i${n}`];
      if (!issue) return;
      complete.get(entry.id)!.push(...issue.history.nodes);
      if (issue.history.pageInfo.hasNextPage) more.push({ id: entry.id, after: issue.history.pageInfo.endCursor });
    });
    open = [...more, ...open.slice(HISTORY_BATCH)];
  }
  return complete;
}
