import type { LinksReplaced, WorkItem, WorkItemLink } from '@teamstate/core';
import type { LinearIssue, LinearIssueHistory, LinearRelation, LinearUser } from '../client/linear-types.js';
import { accountRef, cycleAt, cycleRecordId, issueUsers, mapIssue, workItemId } from '../map/map-issue.js';
import { completeHistories } from './complete-histories.js';
import { completeRelations } from './complete-relations.js';
import { type CycleScope, type LinearRun, scopeCursor } from './linear-run.js';

/** Maps, links and stores a page of issues (the history of each complete), with the scope cursors it changed. */
export async function storeIssues(run: LinearRun, issues: LinearIssue[], extraCursors: Record<string, string> = {}): Promise<void> {
  const { ctx, people, knownCycles, scopes } = run;
  const histories = await completeHistories(run.api, issues, run.call, () => {
    run.pages += 1;
  });
  const relations = await completeRelations(run.api, issues, run.call, () => {
    run.pages += 1;
  });
  await resolveUsers(run, issues);
  await learnStoredCycles(run, issues);
  const workItems: WorkItem[] = [];
  const changed = new Set<string>();
  for (const issue of issues) {
    const history = histories.get(issue.id) ?? issue.history.nodes;
    const item = mapIssue(issue, history, {
      teamOf: run.teamOf,
      isKnownCycle: (id) => knownCycles.has(id),
      personOf: (id) => people.get(id),
    });
    workItems.push(item);
    for (const id of commitToScopes(scopes, issue, history, item.id)) changed.add(id);
    if (run.latest === undefined || issue.updatedAt > run.latest) run.latest = issue.updatedAt;
  }
  for (const id of changed) run.changedScopes.add(id);
  const workItemLinks = await knownLinks(run, relationsOf(issues, relations), new Set(workItems.map((item) => item.id)));
  await ctx.emit(
    { workItems, workItemLinks },
    {
      cursors: {
        ...Object.fromEntries([...changed].map((id) => [scopeCursor(id), JSON.stringify(scopes.get(id))])),
        ...extraCursors,
      },
      replaceLinks: linksReplaced(issues.flatMap((i) => (i.relations ? [workItemId(i.id)] : []))),
    },
  );
  run.items += workItems.length;
}

/** Resolves the people of the users of `issues` the run has not met yet. */
async function resolveUsers(run: LinearRun, issues: readonly LinearIssue[]): Promise<void> {
  const users = new Map<string, LinearUser>();
  for (const user of issues.flatMap(issueUsers)) if (!run.people.has(user.id)) users.set(user.id, user);
  if (users.size === 0) return;
  const list = [...users.values()];
  const ids = await run.ctx.resolvePeople(list.map(accountRef));
  list.forEach((user, n) => {
    run.people.set(user.id, ids[n]);
  });
}

/** Adds to the known cycles those of `issues` this run did not read but a previous one stored. */
async function learnStoredCycles(run: LinearRun, issues: readonly LinearIssue[]): Promise<void> {
  const { knownCycles } = run;
  const unknown = [...new Set(issues.flatMap((i) => (i.cycle && !knownCycles.has(i.cycle.id) ? [cycleRecordId(i.cycle.id)] : [])))];
  const stored = unknown.length > 0 ? await run.ctx.existing('sprint', unknown) : new Set<string>();
  for (const issue of issues) if (issue.cycle && stored.has(cycleRecordId(issue.cycle.id))) knownCycles.add(issue.cycle.id);
}

/**
 * Adds work item `itemId` to the committed scope of each started cycle `issue` was in when that cycle started;
 * returns the ids of the cycles whose scope changed.
 */
function commitToScopes(
  scopes: ReadonlyMap<string, CycleScope>,
  issue: LinearIssue,
  history: readonly LinearIssueHistory[],
  itemId: string,
): string[] {
  const changed: string[] = [];
  const candidates = new Set([issue.cycle?.id, ...history.flatMap((h) => [h.fromCycleId, h.toCycleId])]);
  for (const id of candidates) {
    const scope = id ? scopes.get(id) : undefined;
    if (!id || !scope || scope.committed.includes(itemId)) continue;
    if (cycleAt(issue, history, scope.startedAt) === id) {
      scope.committed = [...scope.committed, itemId].sort();
      changed.push(id);
    }
  }
  return changed;
}

/**
 * Linear relations as work item links: `blocks` from the issue to the one it blocks, `related` as `relates` (an
 * issue's relations completed past their first page are in `complete`).
 */
function relationsOf(issues: readonly LinearIssue[], complete: ReadonlyMap<string, readonly LinearRelation[]>): WorkItemLink[] {
  return issues.flatMap((issue) => linksOf(issue.id, complete.get(issue.id) ?? issue.relations?.nodes ?? []));
}

/** The work item links of the relations an issue names (`blocks` as is, `related` as `relates`; duplicates are none). */
export function linksOf(issueId: string, relations: readonly LinearRelation[]): WorkItemLink[] {
  return relations.flatMap((relation): WorkItemLink[] => {
    const kind = relation.type === 'blocks' ? 'blocks' : relation.type === 'related' ? 'relates' : undefined;
    return kind ? [{ from: workItemId(issueId), to: workItemId(relation.relatedIssue.id), kind }] : [];
  });
}

/** The links an issue read with its relations carries in full: its own (those of other issues to it are theirs to name). */
export function linksReplaced(items: string[]): LinksReplaced {
  return { items, sides: 'from', kinds: ['blocks', 'relates'] };
}

/** The links whose related issue is in the page or stored; the others wait for the end of the run. */
async function knownLinks(run: LinearRun, links: readonly WorkItemLink[], here: ReadonlySet<string>): Promise<WorkItemLink[]> {
  if (links.length === 0) return [];
  const stored = await run.ctx.existing(
    'work item',
    [...new Set(links.map((l) => l.to))].filter((id) => !here.has(id)),
  );
  const known = links.filter((l) => here.has(l.to) || stored.has(l.to));
  run.pendingLinks.push(...links.filter((l) => !known.includes(l)));
  return known;
}

/** Stores the relations to issues read later in the run (an issue of a team not synced stays out). */
export async function storePendingLinks(run: LinearRun): Promise<void> {
  const pending = run.pendingLinks;
  if (pending.length === 0) return;
  const stored = await run.ctx.existing('work item', [...new Set(pending.flatMap((l) => [l.from, l.to]))]);
  const links = pending.filter((l) => stored.has(l.from) && stored.has(l.to));
  if (links.length > 0) await run.ctx.emit({ workItemLinks: links });
}
