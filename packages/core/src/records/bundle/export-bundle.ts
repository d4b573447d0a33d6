import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { BUNDLE_FORMAT, type RecordsBundle } from '../../kernel/model/bundle.js';
import type { Store } from '../../kernel/store/open-store.js';
import { type BundleDocument, type BundleSection, withLists } from '../feature.js';
import {
  accountFromRow,
  deploymentFromRow,
  groupBy,
  incidentFromRow,
  personFromRow,
  repositoryFromRow,
  reviewFromRow,
  sprintFromRow,
  teamFromRow,
  transitionFromRow,
  workItemFromRow,
} from '../store/records.js';
import { type TypedTableSpec, tableSpecs as t } from '../store/table-specs.js';

/** Reads a whole workspace back as a `teamstate.bundle/v1` document, every list ordered by id. */
export async function exportBundle<S extends BundleSection>(
  store: Store,
  workspace: string,
  sections: readonly S[],
): Promise<BundleDocument<S>> {
  // Every list is read as its table's typed row (`TypedTableSpec.select()` names the columns by property).
  const all = async <T extends SQLiteTable>(spec: TypedTableSpec<T>, orderBy: string): Promise<T['$inferSelect'][]> =>
    spec.rows.all(
      (await store.execute(`SELECT ${spec.select()} FROM ${spec.name} WHERE workspace = ? ORDER BY ${orderBy}`, [workspace])).rows,
    );
  const [
    teams,
    people,
    accounts,
    memberships,
    repositories,
    items,
    assignees,
    reviews,
    requests,
    transitions,
    sprints,
    committed,
    deployments,
    deployed,
    incidents,
    leads,
    ...lists
  ] = await Promise.all([
    all(t.teams, 'id'),
    all(t.people, 'id'),
    all(t.accounts, 'person_id, provider, external_id'),
    all(t.memberships, 'person_id, team_id'),
    all(t.repositories, 'id'),
    all(t.workItems, 'id'),
    all(t.workItemAssignees, 'work_item_id, person_id'),
    all(t.reviews, 'work_item_id, seq'),
    all(t.reviewRequests, 'work_item_id, person_id'),
    all(t.transitions, 'work_item_id, seq'),
    all(t.sprints, 'id'),
    all(t.sprintCommittedItems, 'sprint_id, work_item_id'),
    all(t.deployments, 'id'),
    all(t.deploymentPullRequests, 'deployment_id, work_item_id'),
    all(t.incidents, 'id'),
    all(t.teamLeads, 'team_id, person_id'),
    ...sections.map((section) => section.read(store.execute, workspace)),
  ]);
  const byPerson = (r: { personId: string }) => r.personId;
  const byItem = (r: { workItemId: string }) => r.workItemId;
  const accountsOf = groupBy(accounts, byPerson, accountFromRow);
  const teamsOf = groupBy(memberships, byPerson, (r) => r.teamId);
  const leadsOf = groupBy(
    leads,
    (r) => r.teamId,
    (r) => r.personId,
  );
  const assigneesOf = groupBy(assignees, byItem, (r) => r.personId);
  const reviewsOf = groupBy(reviews, byItem, reviewFromRow);
  const requestedOf = groupBy(requests, byItem, (r) => r.personId);
  const transitionsOf = groupBy(transitions, byItem, transitionFromRow);
  const committedOf = groupBy(
    committed,
    (r) => r.sprintId,
    (r) => r.workItemId,
  );
  const deployedOf = groupBy(
    deployed,
    (r) => r.deploymentId,
    (r) => r.workItemId,
  );
  const bundle: RecordsBundle = {
    format: BUNDLE_FORMAT,
    teams: teams.map((r) => {
      const teamLeads = leadsOf.get(r.id);
      return teamLeads ? { ...teamFromRow(r), leads: teamLeads } : teamFromRow(r);
    }),
    people: people.map((r) => personFromRow(r, teamsOf.get(r.id) ?? [], accountsOf.get(r.id) ?? [])),
    repositories: repositories.map(repositoryFromRow),
    workItems: items.map((r) =>
      workItemFromRow(r, {
        assignees: assigneesOf.get(r.id),
        reviews: reviewsOf.get(r.id),
        transitions: transitionsOf.get(r.id),
        requestedReviewers: requestedOf.get(r.id),
      }),
    ),
    sprints: sprints.map((r) => sprintFromRow(r, committedOf.get(r.id) ?? [])),
    deployments: deployments.map((r) => deploymentFromRow(r, deployedOf.get(r.id) ?? [])),
    incidents: incidents.map(incidentFromRow),
  };
  return withLists(bundle, sections, lists);
}
