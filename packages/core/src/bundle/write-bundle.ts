import type { Transaction } from '@libsql/client';
import type { Bundle } from '../model/bundle.js';
import { parseTimestamp } from '../model/timestamp.js';
import { existingIds, txExecute } from '../store/existing-ids.js';
import { tableSpecs as t, toRow } from '../store/table-specs.js';
import { replaceChildRows, upsertRows } from '../store/upsert.js';

const ms = (value: string | undefined): number | null => (value === undefined ? null : (parseTimestamp(value) ?? null));
const flag = (value: boolean | undefined): number | null => (value === undefined ? null : value ? 1 : 0);

/** Per-kind counts of records in a validated bundle. */
export type RecordCounts = Record<Exclude<keyof Bundle, 'format'>, number>;

/** Any subset of a validated bundle's lists (a chunk of an import, a connector's batch). */
export type BundleLists = Partial<Omit<Bundle, 'format'>>;

/**
 * Writes a validated bundle (or sync batch) into the open transaction. Records are upserted; a child
 * list that is present (reviews, transitions, assignees, accounts, teams of a person, committed items)
 * replaces the stored one, an absent one leaves it as it is. Returns how many rows changed.
 */
export async function writeBundle(tx: Transaction, workspace: string, lists: BundleLists): Promise<number> {
  const w = workspace;
  const bundle = {
    teams: lists.teams ?? [],
    people: lists.people ?? [],
    repositories: lists.repositories ?? [],
    workItems: lists.workItems ?? [],
    sprints: lists.sprints ?? [],
    deployments: lists.deployments ?? [],
    incidents: lists.incidents ?? [],
  };
  const existing = (kind: Parameters<typeof existingIds>[1], ids: string[]) => existingIds(txExecute(tx), kind, w, ids);
  const storedPeople = await existing(
    'person',
    bundle.people.map((p) => p.id),
  );
  const storedItems = await existing(
    'work item',
    bundle.workItems.map((i) => i.id),
  );
  const storedSprints = await existing(
    'sprint',
    bundle.sprints.map((s) => s.id),
  );
  const storedDeployments = await existing(
    'deployment',
    bundle.deployments.map((d) => d.id),
  );
  const storedTeams = await existing(
    'team',
    bundle.teams.map((team) => team.id),
  );
  let changes = 0;
  changes += await upsertRows(
    tx,
    t.teams,
    bundle.teams.map((team) => toRow(t.teams, { workspace: w, id: team.id, name: team.name })),
  );
  const withMembers = bundle.teams.filter((team) => team.members !== undefined);
  changes += await replaceChildRows(
    tx,
    t.memberships,
    'team_id',
    w,
    withMembers.map((team) => team.id),
    storedTeams,
    withMembers.flatMap((team) =>
      [...new Set(team.members)].map((person) => toRow(t.memberships, { workspace: w, team_id: team.id, person_id: person })),
    ),
  );

  changes += await upsertRows(
    tx,
    t.people,
    bundle.people.map((p) => toRow(t.people, { workspace: w, id: p.id, name: p.name, email: p.email?.toLowerCase() })),
  );
  const withAccounts = bundle.people.filter((p) => p.accounts !== undefined);
  changes += await replaceChildRows(
    tx,
    t.accounts,
    'person_id',
    w,
    withAccounts.map((p) => p.id),
    storedPeople,
    withAccounts.flatMap((p) =>
      (p.accounts ?? []).map((a) =>
        toRow(t.accounts, { workspace: w, provider: a.provider, external_id: a.id, login: a.login, person_id: p.id }),
      ),
    ),
  );
  const withTeams = bundle.people.filter((p) => p.teams !== undefined);
  changes += await replaceChildRows(
    tx,
    t.memberships,
    'person_id',
    w,
    withTeams.map((p) => p.id),
    storedPeople,
    withTeams.flatMap((p) => [...new Set(p.teams)].map((team) => toRow(t.memberships, { workspace: w, team_id: team, person_id: p.id }))),
  );

  changes += await upsertRows(
    tx,
    t.repositories,
    bundle.repositories.map((r) => toRow(t.repositories, { workspace: w, id: r.id, team_id: r.team })),
  );

  changes += await upsertRows(
    tx,
    t.workItems,
    bundle.workItems.map((i) =>
      toRow(t.workItems, {
        workspace: w,
        id: i.id,
        source: i.source,
        kind: i.kind,
        key: i.key,
        title: i.title,
        state: i.state,
        status_category: i.statusCategory,
        team_id: i.team,
        repository_id: i.repository,
        author_id: i.author,
        created_at: ms(i.createdAt),
        updated_at: ms(i.updatedAt),
        first_commit_at: ms(i.firstCommitAt),
        ready_at: ms(i.readyAt),
        merged_at: ms(i.mergedAt),
        closed_at: ms(i.closedAt),
        resolved_at: ms(i.resolvedAt),
        due_at: ms(i.dueAt),
        draft: flag(i.draft),
        additions: i.additions,
        deletions: i.deletions,
        story_points: i.storyPoints,
        sprint_id: i.sprint,
        labels: i.labels === undefined ? null : JSON.stringify(i.labels),
        flagged: flag(i.flagged),
        parent: i.parent,
        head_sha: i.headSha,
        url: i.url,
        body: i.body,
      }),
    ),
  );
  const withAssignees = bundle.workItems.filter((i) => i.assignees !== undefined);
  changes += await replaceChildRows(
    tx,
    t.workItemAssignees,
    'work_item_id',
    w,
    withAssignees.map((i) => i.id),
    storedItems,
    withAssignees.flatMap((i) =>
      [...new Set(i.assignees)].map((person) => toRow(t.workItemAssignees, { workspace: w, work_item_id: i.id, person_id: person })),
    ),
  );
  const withReviews = bundle.workItems.filter((i) => i.reviews !== undefined);
  changes += await replaceChildRows(
    tx,
    t.reviews,
    'work_item_id',
    w,
    withReviews.map((i) => i.id),
    storedItems,
    withReviews.flatMap((i) =>
      (i.reviews ?? []).map((r, seq) =>
        toRow(t.reviews, {
          workspace: w,
          work_item_id: i.id,
          seq,
          reviewer_id: r.reviewer,
          state: r.state,
          submitted_at: ms(r.submittedAt),
        }),
      ),
    ),
  );
  const withTransitions = bundle.workItems.filter((i) => i.transitions !== undefined);
  changes += await replaceChildRows(
    tx,
    t.transitions,
    'work_item_id',
    w,
    withTransitions.map((i) => i.id),
    storedItems,
    withTransitions.flatMap((i) =>
      (i.transitions ?? []).map((tr, seq) =>
        toRow(t.transitions, {
          workspace: w,
          work_item_id: i.id,
          seq,
          at: ms(tr.at),
          from_status: tr.from,
          to_status: tr.to,
          from_category: tr.fromCategory,
          to_category: tr.toCategory,
        }),
      ),
    ),
  );

  changes += await upsertRows(
    tx,
    t.sprints,
    bundle.sprints.map((s) =>
      toRow(t.sprints, {
        workspace: w,
        id: s.id,
        name: s.name,
        team_id: s.team,
        state: s.state,
        start_at: ms(s.startAt),
        end_at: ms(s.endAt),
        completed_at: ms(s.completedAt),
      }),
    ),
  );
  const withCommitted = bundle.sprints.filter((s) => s.committedItems !== undefined);
  changes += await replaceChildRows(
    tx,
    t.sprintCommittedItems,
    'sprint_id',
    w,
    withCommitted.map((s) => s.id),
    storedSprints,
    withCommitted.flatMap((s) =>
      [...new Set(s.committedItems)].map((item) => toRow(t.sprintCommittedItems, { workspace: w, sprint_id: s.id, work_item_id: item })),
    ),
  );

  changes += await upsertRows(
    tx,
    t.deployments,
    bundle.deployments.map((d) =>
      toRow(t.deployments, {
        workspace: w,
        id: d.id,
        repository_id: d.repository,
        environment: d.environment,
        status: d.status,
        started_at: ms(d.startedAt),
        finished_at: ms(d.finishedAt),
        sha: d.sha,
        has_pull_request_list: d.pullRequests === undefined ? 0 : 1,
      }),
    ),
  );
  // A deployment's PR list is authoritative when given, so an absent list clears a stored one.
  changes += await replaceChildRows(
    tx,
    t.deploymentPullRequests,
    'deployment_id',
    w,
    bundle.deployments.map((d) => d.id),
    storedDeployments,
    bundle.deployments.flatMap((d) =>
      [...new Set(d.pullRequests ?? [])].map((item) =>
        toRow(t.deploymentPullRequests, { workspace: w, deployment_id: d.id, work_item_id: item }),
      ),
    ),
  );

  changes += await upsertRows(
    tx,
    t.incidents,
    bundle.incidents.map((i) =>
      toRow(t.incidents, {
        workspace: w,
        id: i.id,
        title: i.title,
        severity: i.severity,
        created_at: ms(i.createdAt),
        resolved_at: ms(i.resolvedAt),
        repository_id: i.repository,
        deployment_id: i.deployment,
      }),
    ),
  );
  return changes;
}
