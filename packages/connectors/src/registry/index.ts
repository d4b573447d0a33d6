import { type Connector, TeamStateError } from '@teamstate/core';
import type { z } from 'zod';
import { demoConfigSchema } from '../demo/options.js';
import { githubConfigSchema } from '../github/options.js';
import { jiraConfigSchema } from '../jira/options.js';
import type { SlackCommandAnswers } from '../slack/commands/slack-commands.js';
import { slackConfigSchema } from '../slack/options.js';

/** A team as the configuration declares it: who owns which repositories and Jira projects. */
export interface ConfiguredTeam {
  id: string;
  name: string;
  members?: readonly string[];
  repositories?: readonly string[];
  jiraProjects?: readonly string[];
}

/** What a connector built from the configuration learns besides its own section. */
export interface ConnectorConfigContext {
  teams: readonly ConfiguredTeam[];
  /** How the Slack connector answers `/teamstate standup|sprint|triage|ask` (`teamstate serve` passes the digests). */
  slackCommands?: SlackCommandAnswers;
}

/**
 * A connector that a configuration file can name under `connectors.<name>`: the schema of its section,
 * which the CLI's config schema composes, and how to build the connector from a validated section.
 */
export interface ConnectorRegistration<Schema extends z.ZodType = z.ZodType> {
  /** The key under `connectors`. */
  name: string;
  /** The section's schema; loading it costs no client library. */
  configSchema: Schema;
  /**
   * Builds the connector. Its client library is imported here, so commands pay only for what is
   * configured. An invalid setting throws a `TeamStateError` whose message starts with `<name>.<key>:` or `<name>:`.
   */
  create(settings: z.output<Schema>, context: ConnectorConfigContext): Promise<Connector>;
}

const register = <Schema extends z.ZodType>(registration: ConnectorRegistration<Schema>) => registration;

/** Which team owns each repository (`teams[].repositories`). */
function teamOfRepository(teams: readonly ConfiguredTeam[]): Record<string, string> {
  return Object.fromEntries(teams.flatMap((team) => (team.repositories ?? []).map((repository) => [repository, team.id])));
}

/** Which team owns each Jira project (`teams[].jiraProjects`); a project owned twice is refused. */
function teamOfProject(teams: readonly ConfiguredTeam[]): Record<string, string> {
  const owners: Record<string, string> = {};
  for (const team of teams)
    for (const project of team.jiraProjects ?? []) {
      const owner = owners[project];
      if (owner && owner !== team.id)
        throw new TeamStateError(
          'invalid_config',
          `teams: Jira project ${project} is owned by both "${owner}" and "${team.id}" (keep it in one team's jiraProjects)`,
        );
      owners[project] = team.id;
    }
  return owners;
}

/**
 * Every connector the configuration file knows, by its key under `connectors`. Adding a connector is
 * adding it here: the config schema, `config check` and `buildConnectors` follow.
 */
export const connectorRegistry = {
  demo: register({
    name: 'demo',
    configSchema: demoConfigSchema,
    create: async (settings) => (await import('../demo/index.js')).demo(settings),
  }),
  github: register({
    name: 'github',
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
  jira: register({
    name: 'jira',
    configSchema: jiraConfigSchema,
    async create(settings, { teams }) {
      const owners = teamOfProject(teams);
      const { jira } = await import('../jira/index.js');
      return jira({ ...settings, projects: settings.projects ?? Object.keys(owners), teamOfProject: owners });
    },
  }),
  slack: register({
    name: 'slack',
    configSchema: slackConfigSchema,
    create: async (settings, context) =>
      (await import('../slack/index.js')).slack({ ...settings, ...(context.slackCommands ? { commands: context.slackCommands } : {}) }),
  }),
} as const;

/** The key of a registered connector. */
export type ConnectorName = keyof typeof connectorRegistry;
