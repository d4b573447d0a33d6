import { TeamStateError, unknownId } from '../../kernel/errors.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, text } from '../../kernel/store/row-decoder.js';

// Who may read what: the one rule every reader of people's words and person-level facts goes through (daily
// reports, timelines, feedback text, survey answers, wellbeing signals). Surfaces build a viewer from their
// credential and pass it; they never filter on their own. docs/security.md has the table.

/** How far a kind of personal data reaches (the policy's `privacy.reports` and `privacy.wellbeing`). */
export type ReadingPrivacy = 'team' | 'leads' | 'person';

/** What the reading rule needs from the policy. */
export interface ReadingRules {
  /** `privacy.reports` (default `team`): reports, feedback text and survey answers. */
  readonly reports: ReadingPrivacy;
  /** `privacy.wellbeing` (default `leads`): person-level wellbeing signals. */
  readonly wellbeing: ReadingPrivacy;
  /** Every approver reference of the policy (person ids and `team:<id>`): approvers who are members lead their teams. */
  readonly approvers: readonly string[];
}

/** The kinds of personal data the rule governs; feedback text and survey answers follow `reports`. */
export type PersonalData = 'reports' | 'wellbeing';

/**
 * Who is reading. `person` is absent for a credential that names nobody (a shared HTTP token, an unlinked Slack
 * user): such a viewer reads aggregates and what everyone may read, and no person's words. Code that passes no viewer
 * at all acts as the database's owner (the SDK, the CLI, stdio without a person) and reads everything.
 */
export interface Viewer {
  readonly person?: string;
  /** The teams the person belongs to. */
  readonly teams: readonly string[];
  /** The teams the person leads: `teams[].leads`, and their own teams when the policy names them an approver. */
  readonly lead: readonly string[];
  /** The credential's scopes (`read`, `propose`, `write`), when it has any. */
  readonly scopes?: readonly string[];
}

/** Whose personal data a viewer may read: everyone's (`all`), or exactly these people's. */
export type Readable = { readonly all: true } | { readonly all: false; readonly people: ReadonlySet<string> };

const EVERYONE: Readable = { all: true };
const teamRow = columns({ team: text });
const personRow = columns({ person: text });

/** The policy's reading rules: `privacy.reports` default `team`, `privacy.wellbeing` default `leads`. */
export function readingRules(policy: {
  privacy?: { reports?: ReadingPrivacy; wellbeing?: ReadingPrivacy };
  approvers?: Record<string, readonly string[] | undefined>;
}): ReadingRules {
  return {
    reports: policy.privacy?.reports ?? 'team',
    wellbeing: policy.privacy?.wellbeing ?? 'leads',
    approvers: [...new Set(Object.values(policy.approvers ?? {}).flatMap((list) => list ?? []))],
  };
}

/**
 * The viewer of `person` (a known person id; anyone else is refused with a suggestion), or of nobody when `person`
 * is undefined.
 */
export async function viewerOf(
  store: Pick<Store, 'execute'>,
  workspace: string,
  rules: ReadingRules,
  who: { person?: string; scopes?: readonly string[] },
): Promise<Viewer> {
  const scopes = who.scopes ? { scopes: [...who.scopes] } : {};
  if (who.person === undefined) return { teams: [], lead: [], ...scopes };
  const person = who.person;
  const known = await store.execute('SELECT 1 FROM people WHERE workspace = ? AND id = ?', [workspace, person]);
  if (known.rows.length === 0) {
    const ids = (await store.execute('SELECT id FROM people WHERE workspace = ? ORDER BY id', [workspace])).rows.map((row) => row.id);
    throw unknownId(
      'person',
      person,
      ids.filter((id): id is string => typeof id === 'string'),
      { what: 'person' },
    );
  }
  const teams = teamRow
    .all(
      (
        await store.execute('SELECT team_id AS team FROM memberships WHERE workspace = ? AND person_id = ? ORDER BY team_id', [
          workspace,
          person,
        ])
      ).rows,
    )
    .map((row) => row.team);
  const lead = [...(await teamLeads(store, workspace, rules.approvers, person)).keys()].sort();
  return { person, teams, lead, ...scopes };
}

const leadRow = columns({ team: text, person: text });

/**
 * Each team's leads, the one definition every feature uses (the reading rule, nudges to `leads`, onboarding, the
 * incident brief): the people named in `teams[].leads`, plus every approver of the policy (`approvers`: person ids and
 * `team:<id>`, the latter naming that team's members) who is a member of the team. With `person`, only that person's
 * rows: the teams they lead.
 */
export async function teamLeads(
  store: Pick<Store, 'execute'>,
  workspace: string,
  approvers: readonly string[],
  person?: string,
): Promise<Map<string, string[]>> {
  const only = person === undefined ? '' : ' AND person_id = ?3';
  const { rows } = await store.execute(
    `SELECT team_id AS team, person_id AS person FROM team_leads WHERE workspace = ?1${only}
     UNION
     SELECT m.team_id, m.person_id FROM memberships m WHERE m.workspace = ?1${only.replace('person_id', 'm.person_id')}
       AND (m.person_id IN (SELECT value FROM json_each(?2))
         OR EXISTS (SELECT 1 FROM memberships am WHERE am.workspace = m.workspace AND am.person_id = m.person_id
           AND 'team:' || am.team_id IN (SELECT value FROM json_each(?2))))
     ORDER BY 1, 2`,
    person === undefined ? [workspace, JSON.stringify(approvers)] : [workspace, JSON.stringify(approvers), person],
  );
  const leads = new Map<string, string[]>();
  for (const row of leadRow.all(rows)) leads.set(row.team, [...(leads.get(row.team) ?? []), row.person]);
  return leads;
}

/** Whose `kind` data `viewer` may read; no viewer is the database's owner, who reads everyone's. */
export async function readablePeople(
  store: Pick<Store, 'execute'>,
  workspace: string,
  rules: ReadingRules,
  viewer: Viewer | undefined,
  kind: PersonalData,
): Promise<Readable> {
  if (viewer === undefined) return EVERYONE;
  if (viewer.person === undefined) return { all: false, people: new Set() };
  const teams = [...new Set([...viewer.lead, ...(rules[kind] === 'team' ? viewer.teams : [])])];
  const members = personRow
    .all(
      (
        await store.execute(
          'SELECT DISTINCT person_id AS person FROM memberships WHERE workspace = ? AND team_id IN (SELECT value FROM json_each(?))',
          [workspace, JSON.stringify(teams)],
        )
      ).rows,
    )
    .map((row) => row.person);
  return { all: false, people: new Set([viewer.person, ...members]) };
}

/** Whether `readable` covers `person`. */
export const mayRead = (readable: Readable, person: string): boolean => readable.all || readable.people.has(person);

const NOUN: Record<PersonalData, string> = { reports: 'reports', wellbeing: 'wellbeing signals' };

/** The refusal for a viewer who may not read a person's or a team's `kind`: says who may, and what the viewer lacks. */
export function forbidden(
  rules: ReadingRules,
  viewer: Viewer,
  kind: PersonalData,
  subject: { team: string } | { person: string },
): TeamStateError {
  const byTeam = rules[kind] === 'team';
  const detail =
    'team' in subject
      ? `${NOUN[kind]} of team ${subject.team} are visible to ${byTeam ? 'that team and its leads' : 'each author and the team’s leads'}`
      : `${NOUN[kind]} of ${subject.person} are visible to ${byTeam ? 'them, their teammates and their teams’ leads' : 'them and their teams’ leads'}`;
  const lacks = viewer.person === undefined ? '; this credential names no person (use a per-person token or --person)' : '';
  return new TeamStateError('forbidden', `forbidden: ${detail}${lacks}`);
}

/**
 * Refuses a request for one team's or one person's `kind` data that the viewer may not read. A team is readable when
 * the viewer may read every member's data (a lead, or a member under `team`); a person when they are readable.
 */
export async function assertMayRead(
  store: Pick<Store, 'execute'>,
  workspace: string,
  rules: ReadingRules,
  viewer: Viewer | undefined,
  kind: PersonalData,
  subject: { team?: string; person?: string },
): Promise<Readable> {
  const readable = await readablePeople(store, workspace, rules, viewer, kind);
  if (readable.all || viewer === undefined) return readable;
  if (subject.person !== undefined && !mayRead(readable, subject.person)) throw forbidden(rules, viewer, kind, { person: subject.person });
  if (subject.team !== undefined) {
    const team = subject.team;
    const allowed = viewer.lead.includes(team) || (rules[kind] === 'team' && viewer.teams.includes(team));
    if (!allowed) throw forbidden(rules, viewer, kind, { team });
  }
  return readable;
}

/** Who is reading, as a feature's reads see it: the rule applied to one viewer, resolved again at every read. */
export interface Reading {
  /** The viewer, or `undefined` for the database's owner. */
  viewer(): Promise<Viewer | undefined>;
  /** Whose `kind` data may be read. */
  readable(kind: PersonalData): Promise<Readable>;
  /** Refuses a team or person whose `kind` data may not be read; else whose may. */
  check(kind: PersonalData, subject: { team?: string; person?: string }): Promise<Readable>;
}

/**
 * The reading of `who` (`undefined`: the database's owner, who reads everything). The viewer is built at each read,
 * so a membership or lead changed by a sync applies to the next read.
 */
export function reading(
  store: Pick<Store, 'execute'>,
  workspace: string,
  rules: ReadingRules,
  who?: { person?: string; scopes?: readonly string[] },
): Reading {
  const valid =
    who === undefined ||
    (typeof who === 'object' &&
      who !== null &&
      (who.person === undefined || typeof who.person === 'string') &&
      (who.scopes === undefined || (Array.isArray(who.scopes) && who.scopes.every((scope) => typeof scope === 'string'))));
  if (!valid)
    throw new TeamStateError(
      'invalid_argument',
      `viewer: expected a person id or { person?, scopes? } ({} for a credential that names nobody), got ${JSON.stringify(who)}`,
    );
  const viewer = async () => (who === undefined ? undefined : viewerOf(store, workspace, rules, who));
  return {
    viewer,
    readable: async (kind) => readablePeople(store, workspace, rules, await viewer(), kind),
    check: async (kind, subject) => assertMayRead(store, workspace, rules, await viewer(), kind, subject),
  };
}

/** A SQL condition keeping rows whose `column` (a person id) is readable, or `undefined` when everyone's is. */
export function readableCondition(readable: Readable, column: string): { sql: string; arg: string } | undefined {
  return readable.all ? undefined : { sql: `${column} IN (SELECT value FROM json_each(?))`, arg: JSON.stringify([...readable.people]) };
}
