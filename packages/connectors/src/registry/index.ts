import type { Connector, Provider } from '@teamstate/core';
import type { z } from 'zod';
import { bitbucketConfigSchema } from '../bitbucket/options.js';
import { circleciConfigSchema } from '../circleci/options.js';
import { demoConfigSchema } from '../demo/options.js';
import { emailConfigSchema } from '../email/options.js';
import { githubConfigSchema } from '../github/options.js';
import { gitlabConfigSchema } from '../gitlab/options.js';
import { jiraConfigSchema, jiraTeamFields, teamOfProjectFromTeams } from '../jira/options.js';
import { linearConfigSchema, linearTeamFields, teamOfLinearTeamFromTeams } from '../linear/options.js';
import { opsgenieConfigSchema } from '../opsgenie/options.js';
import { pagerdutyConfigSchema } from '../pagerduty/options.js';
import type { SlackCommandAnswers } from '../slack/commands/slack-commands.js';
import { slackConfigSchema } from '../slack/options.js';
import { statuspageConfigSchema } from '../statuspage/options.js';

/**
 * A team as the configuration declares it: its id, name, members and repositories, plus what each registered
 * connector adds under its {@link ConnectorRegistration.teamFields} (Jira's `jiraProjects`).
 */
export interface ConfiguredTeam {
  id: string;
  name: string;
  members?: readonly string[];
  repositories?: readonly string[];
}

/** The team settings a registration declares, as the configuration gives them (each one optional). */
export type TeamFieldsOf<TeamFields extends z.ZodRawShape> = { readonly [Key in keyof TeamFields]?: z.output<TeamFields[Key]> };

/** What a connector built from the configuration learns besides its own section. */
export interface ConnectorConfigContext<TeamFields extends z.ZodRawShape = z.ZodRawShape> {
  /** The configuration's teams, with the settings the connector's `teamFields` declare. */
  teams: readonly (ConfiguredTeam & TeamFieldsOf<TeamFields>)[];
  /** `server.publicUrl`: where people reach `teamstate serve` (the email connector's approval links). */
  publicUrl?: string;
  /** The names of the connectors the configuration sets up (`connectors.<name>`). */
  configured?: readonly string[];
  /** How the Slack connector answers `/teamstate standup|sprint|triage|ask` (`teamstate serve` passes the digests). */
  slackCommands?: SlackCommandAnswers;
}

/**
 * A connector that a configuration file can name under `connectors.<name>`: the schema of its section,
 * which the CLI's config schema composes, and how to build the connector from a validated section.
 */
export interface ConnectorRegistration<Schema extends z.ZodType = z.ZodType, TeamFields extends z.ZodRawShape = z.ZodRawShape> {
  /** The key under `connectors`. */
  name: string;
  /**
   * The providers of the accounts it syncs that a person in the configuration may name as an identity override
   * (`people[].github: octocat`); each becomes a key of `people[]`.
   */
  providers: readonly Provider[];
  /** The section's schema; loading it costs no client library. */
  configSchema: Schema;
  /** What it adds to each of `teams[]` (Jira: `jiraProjects`); the CLI's config schema composes these too. */
  teamFields?: TeamFields;
  /**
   * Builds the connector. Its client library is imported here, so commands pay only for what is
   * configured. An invalid setting throws a `TeamStateError` whose message starts with `<name>.<key>:` or `<name>:`.
   */
  create(settings: z.output<Schema>, context: ConnectorConfigContext<TeamFields>): Promise<Connector>;
}

// `NoTeamFields` keeps a registration without team settings typed as such.
type NoTeamFields = Record<never, z.ZodType>;
// `const Providers` keeps the provider ids literal, so the config's `people[]` keys are typed.
const register = <Schema extends z.ZodType, const Providers extends readonly Provider[], TeamFields extends z.ZodRawShape = NoTeamFields>(
  registration: ConnectorRegistration<Schema, TeamFields> & { providers: Providers },
) => registration;

/** Which team owns each repository (`teams[].repositories`). */
function teamOfRepository(teams: readonly ConfiguredTeam[]): Record<string, string> {
  return Object.fromEntries(teams.flatMap((team) => (team.repositories ?? []).map((repository) => [repository, team.id])));
}

/**
 * Every connector the configuration file knows, by its key under `connectors`. Adding a connector is
 * adding its entry here (docs/extending.md, "Adding a connector"): the config schema (its section, its team
 * settings, its identity overrides), `config check` and `buildConnectors` follow.
 */
export const connectorRegistry = {
  bitbucket: register({
    name: 'bitbucket',
    providers: ['bitbucket'],
    configSchema: bitbucketConfigSchema,
    async create(settings, { teams }) {
      const { bitbucket } = await import('../bitbucket/index.js');
      return bitbucket({
        ...settings,
        // The section's repositoryTeams win over teams[].repositories for the same repository.
        repositoryTeams: { ...teamOfRepository(teams), ...settings.repositoryTeams },
        configuredTeams: teams.map((team) => ({ id: team.id, name: team.name })),
      });
    },
  }),
  circleci: register({
    name: 'circleci',
    providers: [],
    configSchema: circleciConfigSchema,
    async create(settings, { teams }) {
      const { circleci } = await import('../circleci/index.js');
      return circleci({
        ...settings,
        repositoryTeams: teamOfRepository(teams),
        configuredTeams: teams.map((team) => ({ id: team.id, name: team.name })),
      });
    },
  }),
  demo: register({
    name: 'demo',
    // The demo's accounts are made up: nobody overrides them.
    providers: [],
    configSchema: demoConfigSchema,
    create: async (settings) => (await import('../demo/index.js')).demo(settings),
  }),
  email: register({
    name: 'email',
    providers: [],
    configSchema: emailConfigSchema,
    create: async (settings, context) =>
      (await import('../email/index.js')).email({
        ...settings,
        publicUrl: context.publicUrl ?? '',
        slackConfigured: context.configured?.includes('slack') ?? false,
      }),
  }),
  github: register({
    name: 'github',
    providers: ['github'],
    configSchema: githubConfigSchema,
    async create({ app, ...settings }, { teams }) {
      const { github } = await import('../github/index.js');
      return github({
        ...settings,
        // App auth wins over a token in the same section.
        ...(app ? { token: undefined, app } : {}),
        teamOfRepository: teamOfRepository(teams),
        configuredTeams: teams.map((team) => ({ id: team.id, name: team.name, ...(team.members ? { members: team.members } : {}) })),
      });
    },
  }),
  gitlab: register({
    name: 'gitlab',
    providers: ['gitlab'],
    configSchema: gitlabConfigSchema,
    async create(settings, { teams }) {
      const { gitlab } = await import('../gitlab/index.js');
      return gitlab({
        ...settings,
        // The section's repositoryTeams win over teams[].repositories for the same repository.
        repositoryTeams: { ...teamOfRepository(teams), ...settings.repositoryTeams },
        configuredTeams: teams.map((team) => ({ id: team.id, name: team.name })),
      });
    },
  }),
  jira: register({
    name: 'jira',
    providers: ['jira'],
    configSchema: jiraConfigSchema,
    teamFields: jiraTeamFields,
    async create(settings, { teams }) {
      const owners = teamOfProjectFromTeams(teams);
      const { jira } = await import('../jira/index.js');
      return jira({ ...settings, projects: settings.projects ?? Object.keys(owners), teamOfProject: owners });
    },
  }),
  linear: register({
    name: 'linear',
    providers: ['linear'],
    configSchema: linearConfigSchema,
    teamFields: linearTeamFields,
    async create(settings, { teams }) {
      const { linear } = await import('../linear/index.js');
      return linear({ ...settings, teamOfLinearTeam: teamOfLinearTeamFromTeams(teams) });
    },
  }),
  opsgenie: register({
    name: 'opsgenie',
    providers: ['opsgenie'],
    configSchema: opsgenieConfigSchema,
    create: async (settings) => (await import('../opsgenie/index.js')).opsgenie(settings),
  }),
  pagerduty: register({
    name: 'pagerduty',
    providers: [],
    configSchema: pagerdutyConfigSchema,
    async create(settings) {
      const { pagerduty } = await import('../pagerduty/index.js');
      return pagerduty(settings);
    },
  }),
  slack: register({
    name: 'slack',
    providers: ['slack'],
    configSchema: slackConfigSchema,
    create: async (settings, context) =>
      (await import('../slack/index.js')).slack({ ...settings, ...(context.slackCommands ? { commands: context.slackCommands } : {}) }),
  }),
  statuspage: register({
    name: 'statuspage',
    providers: [],
    configSchema: statuspageConfigSchema,
    create: async (settings) => (await import('../statuspage/index.js')).statuspage(settings),
  }),
} as const;

/** The key of a registered connector. */
export type ConnectorName = keyof typeof connectorRegistry;
