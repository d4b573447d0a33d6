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

const idsOf = (records: readonly { id: string }[]) => records.map((record) => record.id);

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
  // The parents stored before this write: only they can have child rows to delete.
  const execute = txExecute(tx);
  const storedPeople = await existingIds(execute, 'person', w, idsOf(bundle.people));
  const storedItems = await existingIds(execute, 'work item', w, idsOf(bundle.workItems));
  const storedSprints = await existingIds(execute, 'sprint', w, idsOf(bundle.sprints));
  const storedDeployments = await existingIds(execute, 'deployment', w, idsOf(bundle.deployments));
  const storedTeams = await existingIds(execute, 'team', w, idsOf(bundle.teams));
  let changes = 0;
  changes += await writeTeams(tx, w, bundle.teams, storedTeams);
  changes += await writePeople(tx, w, bundle.people, storedPeople);
  changes += await upsertRows(
    tx,
    t.repositories,
    bundle.repositories.map((r) => toRow(t.repositories, repositoryToRow(w, r))),
  );
  changes += await writeWorkItems(tx, w, bundle.workItems, storedItems);
  changes += await writeSprints(tx, w, bundle.sprints, storedSprints);
  changes += await writeDeployments(tx, w, bundle.deployments, storedDeployments);
  changes += await upsertRows(
    tx,
    t.incidents,
    bundle.incidents.map((i) => toRow(t.incidents, incidentToRow(w, i))),
  );
  // The features' lists (reports, AI usage, survey answers, AI feedback), each written by the feature that owns it.
  for (const section of sections) {
    const items = lists[section.list];
    if (Array.isArray(items) && items.length > 0) changes += await section.write(tx, w, items, now);
  }
  return changes;
}

/** Teams, with their members and leads where given. */
async function writeTeams(tx: Transaction, w: string, teams: RecordsBundle['teams'], storedTeams: ReadonlySet<string>): Promise<number> {
  let changes = await upsertRows(
    tx,
    t.teams,
    teams.map((team) => toRow(t.teams, teamToRow(w, team))),
  );
  const withMembers = teams.filter((team) => team.members !== undefined);
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

  const withLeads = teams.filter((team) => team.leads !== undefined);
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
  return changes;
}

/** People, their time zone and joining date where given, and their accounts and teams where given. */
async function writePeople(
  tx: Transaction,
  w: string,
  people: RecordsBundle['people'],
  storedPeople: ReadonlySet<string>,
): Promise<number> {
  // A person's time zone is written only when given (a sync of people without one, or a provider's, keeps it).
  let changes = await upsertRows(
    tx,
    PEOPLE_WITHOUT_TIME_ZONE,
    people.map((p) => {
      const row = toRow(t.people, personToRow(w, p));
      return PEOPLE_COLUMN_INDEXES.map((i) => row[i]!);
    }),
  );
  for (const p of people.filter((person) => person.timeZone !== undefined)) {
    const result = await tx.execute({
      sql: `UPDATE people SET time_zone = ?1, time_zone_source = NULL
            WHERE workspace = ?2 AND id = ?3 AND (time_zone IS NOT ?1 OR time_zone_source IS NOT NULL)`,
      args: [p.timeZone!, w, p.id],
    });
    changes += result.rowsAffected;
  }
  for (const p of people.filter((person) => person.joinedAt !== undefined)) {
    const joinedAt = parseTimestamp(p.joinedAt!)!;
    const result = await tx.execute({
      sql: 'UPDATE people SET joined_at = ?1 WHERE workspace = ?2 AND id = ?3 AND joined_at IS NOT ?1',
      args: [joinedAt, w, p.id],
    });
    changes += result.rowsAffected;
  }
  const withAccounts = people.filter((p) => p.accounts !== undefined);
  changes += await replaceChildRows(
    tx,
    t.accounts,
    'person_id',
    w,
    withAccounts.map((p) => p.id),
    storedPeople,
    withAccounts.flatMap((p) => (p.accounts ?? []).map((a) => toRow(t.accounts, accountToRow(w, p.id, a)))),
  );
  const withTeams = people.filter((p) => p.teams !== undefined);
  changes += await replaceChildRows(
    tx,
    t.memberships,
    'person_id',
    w,
    withTeams.map((p) => p.id),
    storedPeople,
    withTeams.flatMap((p) => [...new Set(p.teams)].map((team) => toRow(t.memberships, { workspace: w, teamId: team, personId: p.id }))),
  );
  return changes;
}

/** Work items, their child lists where given, and the columns derived from them. */
async function writeWorkItems(
  tx: Transaction,
  w: string,
  items: RecordsBundle['workItems'],
  storedItems: ReadonlySet<string>,
): Promise<number> {
  let changes = await upsertRows(
    tx,
    t.workItems,
    items.map((i) => toRow(t.workItems, workItemToRow(w, i))),
  );
  const withAssignees = items.filter((i) => i.assignees !== undefined);
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
  const withRequests = items.filter((i) => i.requestedReviewers !== undefined);
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
  const withReviews = items.filter((i) => i.reviews !== undefined);
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
    items.map((i) => i.id),
  );
  const withTransitions = items.filter((i) => i.transitions !== undefined);
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
  return changes;
}

/** Sprints, with their committed items where given. */
async function writeSprints(
  tx: Transaction,
  w: string,
  sprints: RecordsBundle['sprints'],
  storedSprints: ReadonlySet<string>,
): Promise<number> {
  let changes = await upsertRows(
    tx,
    t.sprints,
    sprints.map((s) => toRow(t.sprints, sprintToRow(w, s))),
  );
  const withCommitted = sprints.filter((s) => s.committedItems !== undefined);
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
  return changes;
}

/** Deployments, with their pull request lists. */
async function writeDeployments(
  tx: Transaction,
  w: string,
  deployments: RecordsBundle['deployments'],
  storedDeployments: ReadonlySet<string>,
): Promise<number> {
  let changes = await upsertRows(
    tx,
    t.deployments,
    deployments.map((d) => toRow(t.deployments, deploymentToRow(w, d))),
  );
  // A deployment's PR list is authoritative when given, so an absent list clears a stored one.
  changes += await replaceChildRows(
    tx,
    t.deploymentPullRequests,
    'deployment_id',
    w,
    deployments.map((d) => d.id),
    storedDeployments,
    deployments.flatMap((d) =>
      [...new Set(d.pullRequests ?? [])].map((item) =>
        toRow(t.deploymentPullRequests, { workspace: w, deploymentId: d.id, workItemId: item }),
      ),
    ),
  );
  return changes;
}
