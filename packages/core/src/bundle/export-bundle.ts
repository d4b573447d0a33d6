import { BUNDLE_FORMAT, type Bundle } from '../model/bundle.js';
import type { Account } from '../model/identity.js';
import type { Store } from '../store/open-store.js';
import {
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
} from '../store/row-mapping.js';

/** Reads a whole workspace back as a `teamstate.bundle/v1` document, every list ordered by id. */
export async function exportBundle(store: Store, workspace: string): Promise<Bundle> {
  const all = async (sql: string) => (await store.execute(sql, [workspace])).rows;
  const [
    teams,
    people,
    accounts,
    memberships,
    repositories,
    items,
    assignees,
    reviews,
    transitions,
    sprints,
    committed,
    deployments,
    deployed,
    incidents,
  ] = await Promise.all([
    all('SELECT * FROM teams WHERE workspace = ? ORDER BY id'),
    all('SELECT * FROM people WHERE workspace = ? ORDER BY id'),
    all('SELECT * FROM accounts WHERE workspace = ? ORDER BY person_id, provider, external_id'),
    all('SELECT * FROM memberships WHERE workspace = ? ORDER BY person_id, team_id'),
    all('SELECT * FROM repositories WHERE workspace = ? ORDER BY id'),
    all('SELECT * FROM work_items WHERE workspace = ? ORDER BY id'),
    all('SELECT * FROM work_item_assignees WHERE workspace = ? ORDER BY work_item_id, person_id'),
    all('SELECT * FROM reviews WHERE workspace = ? ORDER BY work_item_id, seq'),
    all('SELECT * FROM transitions WHERE workspace = ? ORDER BY work_item_id, seq'),
    all('SELECT * FROM sprints WHERE workspace = ? ORDER BY id'),
    all('SELECT * FROM sprint_committed_items WHERE workspace = ? ORDER BY sprint_id, work_item_id'),
    all('SELECT * FROM deployments WHERE workspace = ? ORDER BY id'),
    all('SELECT * FROM deployment_pull_requests WHERE workspace = ? ORDER BY deployment_id, work_item_id'),
    all('SELECT * FROM incidents WHERE workspace = ? ORDER BY id'),
  ]);
  const accountsOf = groupBy(accounts, 'person_id', (r): Account => {
    const account: Account = { provider: String(r.provider) as Account['provider'], id: String(r.external_id) };
    if (r.login !== null) account.login = String(r.login);
    return account;
  });
  const teamsOf = groupBy(memberships, 'person_id', (r) => String(r.team_id));
  const assigneesOf = groupBy(assignees, 'work_item_id', (r) => String(r.person_id));
  const reviewsOf = groupBy(reviews, 'work_item_id', reviewFromRow);
  const transitionsOf = groupBy(transitions, 'work_item_id', transitionFromRow);
  const committedOf = groupBy(committed, 'sprint_id', (r) => String(r.work_item_id));
  const deployedOf = groupBy(deployed, 'deployment_id', (r) => String(r.work_item_id));
  return {
    format: BUNDLE_FORMAT,
    teams: teams.map(teamFromRow),
    people: people.map((r) => personFromRow(r, teamsOf.get(String(r.id)) ?? [], accountsOf.get(String(r.id)) ?? [])),
    repositories: repositories.map(repositoryFromRow),
    workItems: items.map((r) => {
      const id = String(r.id);
      return workItemFromRow(r, { assignees: assigneesOf.get(id), reviews: reviewsOf.get(id), transitions: transitionsOf.get(id) });
    }),
    sprints: sprints.map((r) => sprintFromRow(r, committedOf.get(String(r.id)) ?? [])),
    deployments: deployments.map((r) => deploymentFromRow(r, deployedOf.get(String(r.id)) ?? [])),
    incidents: incidents.map(incidentFromRow),
  };
}
