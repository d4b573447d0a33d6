import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { Provider } from '../../kernel/model/common.js';

// The people and teams of a workspace, their accounts and repositories, and what an erasure remembers.

export const teams = sqliteTable(
  'teams',
  {
    workspace: text('workspace').notNull(),
    id: text('id').notNull(),
    name: text('name').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.id] })],
);

export const people = sqliteTable(
  'people',
  {
    workspace: text('workspace').notNull(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    email: text('email'),
    /** IANA time zone (`Europe/Berlin`): where the person's day starts and ends (their daily report's day). */
    timeZone: text('time_zone'),
    /**
     * Where `time_zone` came from: NULL when declared (config, bundle), else the provider whose profile gave it
     * (`slack`). A provider's profile fills or updates only a time zone that was not declared.
     */
    timeZoneSource: text('time_zone_source'),
    /** When the person joined (config, bundle `people[].joinedAt`); NULL: their first activity counts (onboarding). */
    joinedAt: integer('joined_at'),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.id] }), index('people_email_idx').on(t.workspace, t.email)],
);

export const accounts = sqliteTable(
  'accounts',
  {
    workspace: text('workspace').notNull(),
    provider: text('provider').$type<Provider>().notNull(),
    externalId: text('external_id').notNull(),
    login: text('login'),
    personId: text('person_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.provider, t.externalId] }),
    index('accounts_person_idx').on(t.workspace, t.personId),
    // An identity override names an account by login (resolvePeople): a seek, not a walk of the provider's accounts.
    index('accounts_login_idx').on(t.workspace, t.provider, t.login),
  ],
);

export const memberships = sqliteTable(
  'memberships',
  {
    workspace: text('workspace').notNull(),
    teamId: text('team_id').notNull(),
    personId: text('person_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.teamId, t.personId] }),
    // Covering (team_id included) for "a person's first team": without it the planner walks the workspace's
    // memberships by primary key for every person.
    index('memberships_person_team_idx').on(t.workspace, t.personId, t.teamId),
  ],
);

/**
 * Who leads a team (`teams[].leads`): they read its members' reports, feedback and wellbeing as the policy's
 * `privacy` allows. A lead need not be a member.
 */
export const teamLeads = sqliteTable(
  'team_leads',
  {
    workspace: text('workspace').notNull(),
    teamId: text('team_id').notNull(),
    personId: text('person_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.teamId, t.personId] }), index('team_leads_person_idx').on(t.workspace, t.personId)],
);

export const repositories = sqliteTable(
  'repositories',
  {
    workspace: text('workspace').notNull(),
    id: text('id').notNull(),
    teamId: text('team_id'),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.id] }), index('repositories_team_idx').on(t.workspace, t.teamId)],
);

/**
 * Erased people (`ts.people.erase`): the sha256 of each identifier they had (person id, account ids and logins, email), each
 * mapped to the pseudonym their activity is kept under, so a later sync or import maps them to it instead of
 * bringing their identity or reports back. The identifiers themselves are never stored.
 */
export const erasures = sqliteTable(
  'erasures',
  {
    workspace: text('workspace').notNull(),
    /** sha256 (hex) of `<kind>:<value>` (`person:ana`, `account:github:1234`, `email:ana@acme.dev`, `handle:anag`). */
    keyHash: text('key_hash').notNull(),
    /** The person id the activity is kept under, `erased-<hex>`. */
    pseudonym: text('pseudonym').notNull(),
    erasedAt: integer('erased_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.keyHash] }), index('erasures_pseudonym_idx').on(t.workspace, t.pseudonym)],
);
