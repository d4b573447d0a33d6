import type { Person, Repository, Team } from '../kernel/model/identity.js';
import type { InValue } from '../kernel/store/driver.js';
import { columns, text } from '../kernel/store/row-decoder.js';
import { byPerson, inList, type ReaderContext, rows } from './reader-rows.js';
import { accountFromRow, groupBy, personFromRow, repositoryFromRow, teamFromRow } from './store/records.js';
import { tableSpecs as t } from './store/table-specs.js';

/** A team with its members and repositories. */
export interface TeamSummary extends Team {
  members: string[];
  repositories: string[];
}

const memberRows = columns({ teamId: text, personId: text });
const teamRepositoryRows = columns({ id: text, teamId: text });
const personIdRows = columns({ id: text });

/** People (those of `ids`, of `team`, or every one) with their teams and accounts, ordered by id. */
export async function peopleByIds(reader: ReaderContext, ids: string[] | undefined, team?: string): Promise<Person[]> {
  const where = [
    ids ? `p.id IN (${inList(ids)})` : '',
    team ? 'p.id IN (SELECT person_id FROM memberships WHERE workspace = ?1 AND team_id = ?)' : '',
  ]
    .filter(Boolean)
    .map((c) => ` AND ${c}`)
    .join('');
  const people = await rows(
    reader,
    t.people.rows,
    `SELECT ${t.people.select('p')} FROM people p WHERE p.workspace = ?${where} ORDER BY p.id`,
    [...(ids ?? []), ...(team ? [team] : [])],
  );
  if (people.length === 0) return [];
  const personIds = people.map((p) => p.id);
  const [memberships, accounts] = await Promise.all([
    rows(
      reader,
      t.memberships.rows,
      `SELECT ${t.memberships.select()} FROM memberships WHERE workspace = ? AND person_id IN (${inList(personIds)}) ORDER BY person_id, team_id`,
      personIds,
    ),
    rows(
      reader,
      t.accounts.rows,
      `SELECT ${t.accounts.select()} FROM accounts WHERE workspace = ? AND person_id IN (${inList(personIds)}) ORDER BY person_id, provider, external_id`,
      personIds,
    ),
  ]);
  const teamsOf = groupBy(memberships, byPerson, (r) => r.teamId);
  const accountsOf = groupBy(accounts, byPerson, accountFromRow);
  return people.map((r) => personFromRow(r, teamsOf.get(r.id) ?? [], accountsOf.get(r.id) ?? []));
}

/** One person by id, or by an account login/id or email; `undefined` when unknown. */
export async function getPerson(reader: ReaderContext, idOrLogin: string): Promise<Person | undefined> {
  const [byId] = await peopleByIds(reader, [idOrLogin]);
  if (byId) return byId;
  // ?1 is the workspace (prepended by rows()), ?2 the id, login or email looked up.
  const match = await rows(
    reader,
    personIdRows,
    `SELECT person_id AS id FROM accounts WHERE workspace = ?1 AND (external_id = ?2 OR login = ?2)
     UNION SELECT id FROM people WHERE workspace = ?1 AND email = lower(?2) LIMIT 1`,
    [idOrLogin],
  );
  return match[0] ? (await peopleByIds(reader, [match[0].id]))[0] : undefined;
}

/** Teams (every one, or the one with `id`) with their members and repositories, ordered by id. */
export async function teamSummaries(reader: ReaderContext, id?: string): Promise<TeamSummary[]> {
  const args: InValue[] = id === undefined ? [] : [id];
  const teamFilter = id === undefined ? '' : ' AND team_id = ?';
  const [teams, members, repos] = await Promise.all([
    rows(
      reader,
      t.teams.rows,
      `SELECT ${t.teams.select()} FROM teams WHERE workspace = ?${id === undefined ? '' : ' AND id = ?'} ORDER BY id`,
      args,
    ),
    rows(
      reader,
      memberRows,
      `SELECT team_id AS teamId, person_id AS personId FROM memberships WHERE workspace = ?${teamFilter} ORDER BY person_id`,
      args,
    ),
    rows(
      reader,
      teamRepositoryRows,
      // `+id` for one team: its few repositories from the team index, sorted, not every repository in id order.
      `SELECT id, team_id AS teamId FROM repositories WHERE workspace = ? AND team_id IS NOT NULL${teamFilter} ORDER BY ${id === undefined ? 'id' : '+id'}`,
      args,
    ),
  ]);
  const m = groupBy(members, (row) => row.teamId, byPerson);
  const r = groupBy(
    repos,
    (row) => row.teamId,
    (row) => row.id,
  );
  return teams.map((row) => ({
    ...teamFromRow(row),
    members: m.get(row.id) ?? [],
    repositories: r.get(row.id) ?? [],
  }));
}

/** Repositories, optionally of one team. */
export async function listRepositories(reader: ReaderContext, query: { team?: string } = {}): Promise<Repository[]> {
  const list = await rows(
    reader,
    t.repositories.rows,
    `SELECT ${t.repositories.select()} FROM repositories WHERE workspace = ?${query.team ? ' AND team_id = ?' : ''} ORDER BY id`,
    query.team ? [query.team] : [],
  );
  return list.map(repositoryFromRow);
}
