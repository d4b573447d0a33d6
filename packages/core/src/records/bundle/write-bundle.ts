import type { RecordsBundle } from '../../kernel/model/bundle.js';
import { parseTimestamp } from '../../kernel/model/timestamp.js';
import type { Transition } from '../../kernel/model/work-item.js';
import type { InValue, Transaction } from '../../kernel/store/driver.js';
import { replaceChildRows, upsertRows } from '../../kernel/store/upsert.js';
import type { BundleSection } from '../feature.js';
import { refreshDerivedColumns, refreshFirstInProgress } from '../store/derived-columns.js';
import { existingIds, txExecute } from '../store/existing-ids.js';
import {
  accountToRow,
  deploymentToRow,
  incidentToRow,
  personToRow,
  repositoryToRow,
  reviewToRow,
  sprintToRow,
  teamToRow,
  transitionToRow,
  workItemToRow,
} from '../store/records.js';
import { tableSpecs as t, toRow } from '../store/table-specs.js';

// The people columns an upsert writes: the time zone and joining date are written apart, only when given.
const PEOPLE_WITHOUT_TIME_ZONE = {
  ...t.people,
  columns: t.people.columns.filter((column) => column !== 'time_zone' && column !== 'time_zone_source' && column !== 'joined_at'),
};
const PEOPLE_COLUMN_INDEXES = PEOPLE_WITHOUT_TIME_ZONE.columns.map((column) => t.people.columns.indexOf(column));

// A written history is the item's whole history, so each transition's end (`next_at`: `at` of the next transition in
// `(at, seq)` order, NULL for the last) comes from the list itself, written with the rows.
const TRANSITIONS_WITH_ENDS = { ...t.transitions, columns: [...t.transitions.columns, 'next_at'] };

function transitionRowsWithEnds(workspace: string, workItemId: string, transitions: readonly Transition[]): InValue[][] {
  const rows = transitions.map((transition, seq) => toRow(t.transitions, transitionToRow(workspace, workItemId, seq, transition)));
  const at = t.transitions.columns.indexOf('at');
  const order = rows.map((_, seq) => seq).sort((a, b) => Number(rows[a]![at]) - Number(rows[b]![at]) || a - b);
  const ends = new Array<InValue>(rows.length).fill(null);
  for (let i = 0; i + 1 < order.length; i++) ends[order[i]!] = rows[order[i + 1]!]![at]!;
  return rows.map((row, seq) => [...row, ends[seq]!]);
}

/** Per-kind counts of records in a validated bundle. */
export type RecordCounts = Record<string, number>;

/** Any subset of a validated bundle's lists (a chunk of an import, a connector's batch). */
export type BundleLists = Partial<Omit<RecordsBundle, 'format'>> & { readonly [list: string]: unknown };

/**
 * Writes a validated bundle (or sync batch) into the open transaction. Records are upserted; a child
 * list that is present (reviews, requested reviewers, transitions, assignees, accounts, teams of a person, committed items)
 * replaces the stored one, an absent one leaves it as it is; so does an absent `timeZone` of a person. The features'
 * lists are written by their `sections` (a list without one is not written).
 * Returns how many rows changed.
 */
export async function writeBundle(
  tx: Transaction,
  workspace: string,
  lists: BundleLists,
  now: number,
  sections: readonly BundleSection[] = [],
): Promise<number> {
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
    bundle.teams.map((team) => toRow(t.teams, teamToRow(w, team))),
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
      [...new Set(team.members)].map((person) => toRow(t.memberships, { workspace: w, teamId: team.id, personId: person })),
    ),
  );

  const withLeads = bundle.teams.filter((team) => team.leads !== undefined);
  changes += await replaceChildRows(
    tx,
    t.teamLeads,
    'team_id',
    w,
    withLeads.map((team) => team.id),
    storedTeams,
    withLeads.flatMap((team) =>
      [...new Set(team.leads)].map((person) => toRow(t.teamLeads, { workspace: w, teamId: team.id, personId: person })),
    ),
  );

  // A person's time zone is written only when given (a sync of people without one, or a provider's, keeps it).
  changes += await upsertRows(
    tx,
    PEOPLE_WITHOUT_TIME_ZONE,
    bundle.people.map((p) => {
      const row = toRow(t.people, personToRow(w, p));
      return PEOPLE_COLUMN_INDEXES.map((i) => row[i]!);
    }),
  );
  for (const p of bundle.people.filter((person) => person.timeZone !== undefined)) {
    const result = await tx.execute({
      sql: `UPDATE people SET time_zone = ?1, time_zone_source = NULL
            WHERE workspace = ?2 AND id = ?3 AND (time_zone IS NOT ?1 OR time_zone_source IS NOT NULL)`,
      args: [p.timeZone!, w, p.id],
    });
    changes += result.rowsAffected;
  }
  for (const p of bundle.people.filter((person) => person.joinedAt !== undefined)) {
    const joinedAt = parseTimestamp(p.joinedAt!)!;
    const result = await tx.execute({
      sql: 'UPDATE people SET joined_at = ?1 WHERE workspace = ?2 AND id = ?3 AND joined_at IS NOT ?1',
      args: [joinedAt, w, p.id],
    });
    changes += result.rowsAffected;
  }
  const withAccounts = bundle.people.filter((p) => p.accounts !== undefined);
  changes += await replaceChildRows(
    tx,
    t.accounts,
    'person_id',
    w,
    withAccounts.map((p) => p.id),
    storedPeople,
    withAccounts.flatMap((p) => (p.accounts ?? []).map((a) => toRow(t.accounts, accountToRow(w, p.id, a)))),
  );
  const withTeams = bundle.people.filter((p) => p.teams !== undefined);
  changes += await replaceChildRows(
    tx,
    t.memberships,
    'person_id',
    w,
    withTeams.map((p) => p.id),
    storedPeople,
    withTeams.flatMap((p) => [...new Set(p.teams)].map((team) => toRow(t.memberships, { workspace: w, teamId: team, personId: p.id }))),
  );

  changes += await upsertRows(
    tx,
    t.repositories,
    bundle.repositories.map((r) => toRow(t.repositories, repositoryToRow(w, r))),
  );

  changes += await upsertRows(
    tx,
    t.workItems,
    bundle.workItems.map((i) => toRow(t.workItems, workItemToRow(w, i))),
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
      [...new Set(i.assignees)].map((person) => toRow(t.workItemAssignees, { workspace: w, workItemId: i.id, personId: person })),
    ),
  );
  const withRequests = bundle.workItems.filter((i) => i.requestedReviewers !== undefined);
  changes += await replaceChildRows(
    tx,
    t.reviewRequests,
    'work_item_id',
    w,
    withRequests.map((i) => i.id),
    storedItems,
    withRequests.flatMap((i) =>
      [...new Set(i.requestedReviewers)].map((person) => toRow(t.reviewRequests, { workspace: w, workItemId: i.id, personId: person })),
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
    withReviews.flatMap((i) => (i.reviews ?? []).map((r, seq) => toRow(t.reviews, reviewToRow(w, i.id, seq, r)))),
  );
  // A written item may have a new author, new reviews or be new: its first review is derived again.
  await refreshDerivedColumns(
    tx,
    w,
    bundle.workItems.map((i) => i.id),
  );
  const withTransitions = bundle.workItems.filter((i) => i.transitions !== undefined);
  changes += await replaceChildRows(
    tx,
    TRANSITIONS_WITH_ENDS,
    'work_item_id',
    w,
    withTransitions.map((i) => i.id),
    storedItems,
    withTransitions.flatMap((i) => transitionRowsWithEnds(w, i.id, i.transitions ?? [])),
  );
  // The item's first move into progress is derived again for the items whose history was given.
  await refreshFirstInProgress(
    tx,
    w,
    withTransitions.map((i) => i.id),
  );

  changes += await upsertRows(
    tx,
    t.sprints,
    bundle.sprints.map((s) => toRow(t.sprints, sprintToRow(w, s))),
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
      [...new Set(s.committedItems)].map((item) => toRow(t.sprintCommittedItems, { workspace: w, sprintId: s.id, workItemId: item })),
    ),
  );

  changes += await upsertRows(
    tx,
    t.deployments,
    bundle.deployments.map((d) => toRow(t.deployments, deploymentToRow(w, d))),
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
        toRow(t.deploymentPullRequests, { workspace: w, deploymentId: d.id, workItemId: item }),
      ),
    ),
  );

  changes += await upsertRows(
    tx,
    t.incidents,
    bundle.incidents.map((i) => toRow(t.incidents, incidentToRow(w, i))),
  );

  // The features' lists, each written by the feature that owns it.
  for (const section of sections) {
    const items = lists[section.list];
    if (Array.isArray(items) && items.length > 0) changes += await section.write(tx, w, items, now);
  }
  return changes;
}
