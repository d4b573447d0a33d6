import { type SyncContext, type Team, TeamStateError } from '@teamstate/core';
import type { LinearApi, LinearCallOptions } from '../client/linear-api.js';
import type { LinearConnection, LinearCycle, LinearIssue, LinearTeam } from '../client/linear-types.js';
import { CYCLE_ISSUES_QUERY, syncPageQuery } from '../client/queries.js';
import { linearTeamId, mapCycle } from '../map/map-issue.js';
import type { ResolvedLinearOptions } from '../options.js';
import { type CycleScope, type LinearRun, scopeCursor } from './linear-run.js';
import { storeIssues, storePendingLinks } from './store-issues.js';

/** The cursor of the issues: the latest `updatedAt` of the issues stored so far (for this set of teams). */
export const issuesCursor = (teams: readonly string[]): string => `issues:${teams.join(',') || '*'}:updatedAt`;
/** The cursor of the cycles: the latest `updatedAt` of the cycles stored so far. */
export const cyclesCursor = (teams: readonly string[]): string => `cycles:${teams.join(',') || '*'}:updatedAt`;
/** The started cycles whose committed scope the connector keeps (JSON list of cycle ids). */
const startedCursor = (teams: readonly string[]): string => `cycles:${teams.join(',') || '*'}:started`;

interface SyncPage {
  teams?: { nodes: LinearTeam[] };
  cycles?: LinearConnection<LinearCycle>;
  issues?: LinearConnection<LinearIssue>;
}

/** The filters of the first request, and of the next pages of cycles and issues (a type: it passes as variables). */
type SyncFilters = {
  teamFilter: object;
  cycleFilter: object;
  issueFilter: object;
  first: number;
};

/**
 * One sync run. The first request reads the teams, a page of the cycles changed since the last run or not yet
 * completed, and the first page of the issues updated since the last run (oldest update first), so an unchanged
 * re-sync is one request. More cycles, more issues (100 a page) and the rest of long histories (20 issues a request)
 * follow; cycles that started since the last run have their current issues read once for the committed scope. The
 * issues' cursor is written with the last page: a sync that stops early reads the same issues again next time.
 */
export async function syncLinear(ctx: SyncContext, options: ResolvedLinearOptions, api: LinearApi): Promise<void> {
  const call = callOptions(ctx, options);
  const keys = [...options.teams].sort();
  const since = await ctx.getCursor(issuesCursor(keys));
  const cyclesSince = await ctx.getCursor(cyclesCursor(keys));
  const filters = syncFilters(ctx, options, keys, since, cyclesSince);
  ctx.progress({ phase: 'teams, cycles and issues' });
  const first = await api.request<SyncPage>(syncPageQuery({ teams: true, cycles: true, issues: true }), filters, call);
  const { teamOf, ownTeams } = await linearTeams(ctx, options, keys, first.teams?.nodes ?? []);
  const run: LinearRun = {
    ctx,
    api,
    call,
    options,
    keys,
    since,
    pages: 1,
    items: 0,
    latest: since,
    teamOf,
    records: new Map(),
    scopes: new Map(),
    changedScopes: new Set(),
    people: new Map(),
    knownCycles: new Set(),
    pendingLinks: [],
  };
  // Cycles (all pages before the issues: the committed scope of started cycles is worked out from the issues).
  const cycles = await readCycles(run, first.cycles, filters.cycleFilter);
  await storeCycles(run, cycles, cyclesSince, ownTeams);
  await readIssues(run, first.issues, filters.issueFilter);
  await scanStartedCycles(run);
  await storeCommittedScopes(run);
  await storePendingLinks(run);
  ctx.progress({ phase: 'done', pages: run.pages, items: run.items, message: `${api.requests} requests` });
}

/** How the run calls Linear: with the context's clock and signal, and its sleep (reported as progress when injected). */
function callOptions(ctx: SyncContext, options: ResolvedLinearOptions): LinearCallOptions {
  const injected = options.sleep;
  return {
    sleep: injected
      ? async (ms, reason) => {
          ctx.progress({ waitingMs: ms, message: reason });
          await injected(ms, reason);
        }
      : ctx.sleep,
    now: () => ctx.now().getTime(),
    signal: ctx.signal,
  };
}

function syncFilters(
  ctx: SyncContext,
  options: ResolvedLinearOptions,
  keys: readonly string[],
  since: string | undefined,
  cyclesSince: string | undefined,
): SyncFilters {
  const teamPart = keys.length > 0 ? { team: { key: { in: keys } } } : {};
  return {
    teamFilter: keys.length > 0 ? { key: { in: keys } } : {},
    cycleFilter: {
      // Changed since the last run, or still running (Linear completes a cycle at its end, which updates it).
      and: [teamPart, cyclesSince ? { or: [{ updatedAt: { gt: cyclesSince } }, { endsAt: { gt: ctx.now().toISOString() } }] } : {}],
    },
    issueFilter: { ...teamPart, ...(since ? { updatedAt: { gt: since } } : {}) },
    first: options.pageSize,
  };
}

/**
 * Teams: the configured keys must exist; each gets its owning team (configured, else one of its own, returned in
 * `ownTeams` to store).
 */
async function linearTeams(
  ctx: SyncContext,
  options: ResolvedLinearOptions,
  keys: readonly string[],
  linearTeams: readonly LinearTeam[],
): Promise<{ teamOf: (key: string) => string | undefined; ownTeams: Team[] }> {
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
  return { teamOf, ownTeams };
}

/** The first request's cycles and those of the pages after it. */
async function readCycles(run: LinearRun, firstPage: SyncPage['cycles'], cycleFilter: object): Promise<LinearCycle[]> {
  const cycles = [...(firstPage?.nodes ?? [])];
  for (let info = firstPage?.pageInfo; info?.hasNextPage; ) {
    const page = await run.api.request<SyncPage>(
      syncPageQuery({ teams: false, cycles: true, issues: false }),
      { cycleFilter, cycleAfter: info.endCursor },
      run.call,
    );
    run.pages += 1;
    cycles.push(...(page.cycles?.nodes ?? []));
    info = page.cycles?.pageInfo;
  }
  return cycles;
}

/**
 * Stores the teams of the connector's own and the cycles read as sprints, and keeps a scope for each started cycle
 * (the ones kept before, and those that started since, unscanned unless this run reads every issue).
 */
async function storeCycles(run: LinearRun, cycles: readonly LinearCycle[], cyclesSince: string | undefined, ownTeams: Team[]) {
  const { ctx, keys, records, scopes } = run;
  const now = ctx.now().getTime();
  for (const cycle of cycles) {
    const team = run.teamOf(cycle.team.key);
    if (team) records.set(cycle.id, mapCycle(cycle, team, now));
  }
  const startedIds = new Set<string>(JSON.parse((await ctx.getCursor(startedCursor(keys))) ?? '[]') as string[]);
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
      : { record, startedAt: Date.parse(record.startAt), committed: [], scanned: run.since === undefined };
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
  for (const id of records.keys()) run.knownCycles.add(id);
}

/** The first request's issues and those of the pages after it (each next page asked for while one is stored). */
async function readIssues(run: LinearRun, firstPage: SyncPage['issues'], issueFilter: object): Promise<void> {
  const { ctx, api, options, keys, since } = run;
  let issues = firstPage;
  while (issues) {
    ctx.progress({ phase: 'issues', pages: run.pages, items: run.items });
    const info: LinearConnection<LinearIssue>['pageInfo'] = issues.pageInfo;
    const next = info.hasNextPage
      ? api.request<SyncPage>(
          syncPageQuery({ teams: false, cycles: false, issues: true }),
          { issueFilter, issueAfter: info.endCursor, first: options.pageSize },
          run.call,
        )
      : undefined;
    next?.catch(() => {});
    const nodes = issues.nodes;
    // The issues' cursor moves with the last page only (Linear's order by update is not a resumable position).
    const last = !info.hasNextPage;
    const candidate = nodes.reduce<string | undefined>(
      (max, i) => (max === undefined || i.updatedAt > max ? i.updatedAt : max),
      run.latest,
    );
    if (nodes.length > 0 || (last && candidate !== since))
      await storeIssues(run, nodes, last && candidate ? { [issuesCursor(keys)]: candidate } : {});
    issues = next ? (await next).issues : undefined;
    if (next) run.pages += 1;
  }
}

/** Cycles that started since the last run: the issues in them that this run did not read. */
async function scanStartedCycles(run: LinearRun): Promise<void> {
  for (const [id, scope] of run.scopes) {
    if (scope.scanned) continue;
    run.ctx.progress({ phase: `cycle ${scope.record.name}`, pages: run.pages, items: run.items });
    for (let after: string | null = null; ; ) {
      const page: { cycle: { issues: LinearConnection<LinearIssue> } | null } = await run.api.request(
        CYCLE_ISSUES_QUERY,
        { id, after },
        run.call,
      );
      run.pages += 1;
      const found = page.cycle?.issues;
      if (!found) break;
      if (!found.pageInfo.hasNextPage) scope.scanned = true;
      await storeIssues(run, found.nodes, scope.scanned ? { [scopeCursor(id)]: JSON.stringify(scope) } : {});
      if (!found.pageInfo.hasNextPage) break;
      after = found.pageInfo.endCursor;
    }
    scope.scanned = true;
    run.changedScopes.add(id);
  }
}

/** Every cycle read or changed, with its committed items (those still stored). */
async function storeCommittedScopes(run: LinearRun): Promise<void> {
  const { ctx, records, scopes } = run;
  const emitted = [...new Set([...records.keys(), ...run.changedScopes])].filter((id) => records.has(id) || scopes.has(id));
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
}
