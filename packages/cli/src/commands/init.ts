import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { TeamStateError } from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { ExitCode } from '../errors.js';
import { colors, printJson } from '../runtime.js';
import { selfName } from '../self-command.js';
import { yaml } from '../yaml.js';

type Source = 'github' | 'gitlab' | 'jira' | 'linear' | 'slack';

interface Answers {
  sources: Source[];
  team: { id: string; name: string };
  githubOrg?: string;
  githubRepositories?: string[];
  gitlabUrl?: string;
  gitlabGroups?: string[];
  gitlabProjects?: string[];
  jiraHost?: string;
  jiraProjects?: string[];
  linearTeams?: string[];
  slackChannel?: string;
}

const DEFAULTS: Answers = { sources: [], team: { id: 'my-team', name: 'My Team' } };

const list = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** The questions' input ended (Ctrl-D): the prompt will never answer. */
class InputEnded extends Error {}

/**
 * `answers`, or an {@link InputEnded} when nothing is left to wait for: Ctrl-D closes the prompt's input without
 * settling its promise, so Node would exit with a warning about an unsettled top-level await; `beforeExit` (the event
 * loop is empty) is the moment to say what happened instead.
 */
async function untilInputEnds<T>(answers: Promise<T>): Promise<T> {
  let onBeforeExit = () => {};
  const ended = new Promise<never>((_, reject) => {
    onBeforeExit = () => reject(new InputEnded('input ended'));
    process.once('beforeExit', onBeforeExit);
  });
  try {
    return await Promise.race([answers, ended]);
  } finally {
    process.off('beforeExit', onBeforeExit);
  }
}

async function ask(): Promise<Answers> {
  // Loaded here, not at start-up: only `teamstate init` on a terminal asks questions.
  const { checkbox, input } = await import('@inquirer/prompts');
  const sources = await checkbox<Source>({
    message: 'Which sources should teamstate connect?',
    choices: [
      { name: 'GitHub (pull requests, reviews, deployments)', value: 'github' },
      { name: 'GitLab (merge requests, approvals, pipelines, deployments)', value: 'gitlab' },
      { name: 'Jira (issues, sprints, status history)', value: 'jira' },
      { name: 'Linear (issues, cycles, state history)', value: 'linear' },
      { name: 'Slack (people, approvals by button)', value: 'slack' },
    ],
  });
  const name = await input({ message: 'Your team’s name', default: DEFAULTS.team.name });
  const id = await input({
    message: 'Team id',
    default:
      name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '') || 'my-team',
    validate: (v) => /^[a-z0-9][a-z0-9_-]*$/.test(v) || 'lower-case letters, digits, "-" and "_"',
  });
  const answers: Answers = { sources, team: { id, name } };
  if (sources.includes('github')) {
    answers.githubOrg = await input({ message: 'GitHub organisation', required: true });
    answers.githubRepositories = list(
      await input({
        message: 'Repositories your team owns (owner/name, comma separated)',
        validate: (v) => list(v).every((r) => /^[^/\s]+\/[^/\s]+$/.test(r)) || 'use owner/name, e.g. acme/api',
      }),
    );
  }
  if (sources.includes('gitlab')) {
    answers.gitlabUrl = await input({
      message: 'GitLab instance',
      default: 'https://gitlab.com',
      validate: (v) => URL.canParse(v) || 'a URL, e.g. https://gitlab.example.com',
    });
    answers.gitlabGroups = list(await input({ message: 'GitLab groups to sync (paths, comma separated)', required: true }));
    answers.gitlabProjects = list(
      await input({
        message: 'GitLab projects your team owns (group/name, comma separated)',
        validate: (v) => list(v).every((r) => /^[^/\s]+(\/[^/\s]+)+$/.test(r)) || 'use group/name, e.g. acme/checkout',
      }),
    );
  }
  if (sources.includes('jira')) {
    answers.jiraHost = await input({
      message: 'Jira site',
      default: 'https://your-site.atlassian.net',
      validate: (v) => URL.canParse(v) || 'a URL, e.g. https://acme.atlassian.net',
    });
    answers.jiraProjects = list(await input({ message: 'Jira project keys (comma separated)', required: true }));
  }
  if (sources.includes('linear'))
    answers.linearTeams = list(
      await input({
        message: 'Linear team keys (comma separated, e.g. PAY)',
        required: true,
        validate: (v) => list(v).every((k) => /^[A-Za-z0-9][A-Za-z0-9_]{0,6}$/.test(k)) || 'team keys such as PAY',
      }),
    ).map((k) => k.toUpperCase());
  if (sources.includes('slack'))
    answers.slackChannel = await input({ message: 'Slack channel id for approval requests (e.g. C0123ABC)', required: true });
  return answers;
}

/** The environment variables each source's section reads. */
const ENV_OF: Record<Source, string[]> = {
  github: ['GITHUB_TOKEN', 'GITHUB_WEBHOOK_SECRET'],
  gitlab: ['GITLAB_TOKEN', 'GITLAB_WEBHOOK_SECRET'],
  jira: ['JIRA_EMAIL', 'JIRA_API_TOKEN'],
  linear: ['LINEAR_API_KEY', 'LINEAR_WEBHOOK_SECRET'],
  slack: ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET'],
};

/** The config document for the answers: secrets only as ${ENV} references, never values. */
export function configFromAnswers(answers: Answers): Record<string, unknown> {
  const connectors: Record<string, unknown> = {};
  if (answers.sources.includes('github'))
    connectors.github = {
      token: '${GITHUB_TOKEN}',
      org: answers.githubOrg,
      repositories: answers.githubRepositories,
      webhookSecret: '${GITHUB_WEBHOOK_SECRET}',
    };
  if (answers.sources.includes('gitlab'))
    connectors.gitlab = {
      token: '${GITLAB_TOKEN}',
      ...(answers.gitlabUrl && answers.gitlabUrl.replace(/\/+$/, '') !== 'https://gitlab.com' ? { baseUrl: answers.gitlabUrl } : {}),
      groups: answers.gitlabGroups,
      webhookSecret: '${GITLAB_WEBHOOK_SECRET}',
    };
  if (answers.sources.includes('jira'))
    connectors.jira = { host: answers.jiraHost, email: '${JIRA_EMAIL}', apiToken: '${JIRA_API_TOKEN}', projects: answers.jiraProjects };
  if (answers.sources.includes('linear'))
    connectors.linear = { apiKey: '${LINEAR_API_KEY}', teams: answers.linearTeams, webhookSecret: '${LINEAR_WEBHOOK_SECRET}' };
  if (answers.sources.includes('slack'))
    connectors.slack = { token: '${SLACK_BOT_TOKEN}', signingSecret: '${SLACK_SIGNING_SECRET}', approvalChannel: answers.slackChannel };
  const repositories = [...(answers.githubRepositories ?? []), ...(answers.gitlabProjects ?? [])];
  return {
    database: 'file:.teamstate/teamstate.db',
    workspace: 'default',
    ...(Object.keys(connectors).length > 0 ? { connectors } : {}),
    teams: [
      {
        ...answers.team,
        ...(repositories.length ? { repositories } : {}),
        ...(answers.jiraProjects?.length ? { jiraProjects: answers.jiraProjects } : {}),
        ...(answers.linearTeams?.length ? { linearTeams: answers.linearTeams } : {}),
      },
    ],
    policy: './policy.yaml',
  };
}

/** The starter policy's rules for GitLab's actions, when GitLab is connected. */
const GITLAB_RULES = `  gitlab.mr.comment: { risk: low, mode: ask }
  gitlab.mr.label: { risk: low, mode: auto }
  gitlab.mr.merge: { risk: high, mode: require_approval }
`;

/** A starter policy that spells out the built-in defaults, with the team as approvers, for the team to edit. */
export const starterPolicy = (
  team: string,
  sources: readonly Source[] = [],
) => `# What an assistant may do on its own, what waits for a person, and what is refused.
# Keys are action types or globs; the most specific match wins. Modes:
#   auto: runs at once · ask: any approver · require_approval: an approver for the risk · deny: refused
actions:
  github.pr.comment: { risk: low, mode: ask }
  github.pr.label: { risk: low, mode: auto }
  github.pr.merge: { risk: high, mode: require_approval }
  github.pr.close: { risk: high, mode: require_approval }
${sources.includes('gitlab') ? GITLAB_RULES : ''}  jira.issue.transition: { risk: medium, mode: require_approval }
  slack.message.post: { risk: medium, mode: ask }
  "*": { mode: ask }
approvers:              # person ids, or team:<id>
  high: [team:${team}]
  medium: [team:${team}]
ttl: { default: 24h, high: 4h }
limits: { max_channel_size_auto_post: 10 }
`;

/** `teamstate init`: writes teamstate.config.yaml and a starter policy (interactive on a TTY). */
export const registerInit: RegisterCommand = (program, ctx) => {
  program
    .command('init')
    .description('create teamstate.config.yaml and a starter policy.yaml (asks a few questions on a terminal)')
    .option('-y, --yes', 'use defaults without asking')
    .option('--force', 'overwrite an existing config')
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate init\n  $ teamstate init --yes\n  $ teamstate --config ops/teamstate.config.yaml init --force',
    )
    .action(
      ctx.action(async (globals, options: { yes?: boolean; force?: boolean }) => {
        const { io } = ctx;
        const path = resolve(io.cwd, globals.config ?? 'teamstate.config.yaml');
        if (existsSync(path) && !options.force) {
          throw new TeamStateError('invalid_config', `${path} already exists (edit it, or run \`teamstate init --force\` to overwrite it)`);
        }
        const interactive = !options.yes && io.isTTY && Boolean(process.stdin.isTTY);
        let answers: Answers = DEFAULTS;
        if (interactive) {
          try {
            answers = await untilInputEnds(ask());
          } catch (error) {
            if (error instanceof InputEnded) {
              io.stderr('\ninit: input ended (Ctrl-D) before the questions were answered; nothing was written\n');
              return ExitCode.interrupted;
            }
            // Ctrl-C at a prompt: stop like any interrupted program (130), without an error line; nothing is written.
            if ((error as Error).name === 'ExitPromptError') {
              io.stderr('\n');
              return ExitCode.interrupted;
            }
            throw error;
          }
        }
        const config = configFromAnswers(answers);
        writeFileSync(
          path,
          `# teamstate configuration: docs/configuration.md\n${yaml().stringify(config, { aliasDuplicateObjects: false })}`,
        );
        const policyPath = join(dirname(path), 'policy.yaml');
        const wrotePolicy = !existsSync(policyPath) || Boolean(options.force);
        if (wrotePolicy) writeFileSync(policyPath, starterPolicy(answers.team.id, answers.sources));
        if (globals.json) {
          printJson(io, { config: path, policy: wrotePolicy ? policyPath : null, sources: answers.sources });
          return 0;
        }
        const c = colors(io);
        io.stdout(`${c.green('✓')} wrote ${path}\n`);
        if (wrotePolicy) io.stdout(`${c.green('✓')} wrote ${policyPath}\n`);
        if (answers.sources.length === 0) {
          // A config with no source syncs nothing: say so, rather than let `sync` look as if it had read something.
          io.stdout(
            `\nNothing is connected yet: to read GitHub, GitLab, Jira, Linear or Slack, add a source under connectors: in ${path}\n` +
              `(docs/connectors/ shows each source's options), or run ${selfName()} init --force on a terminal to choose.\n` +
              `Meanwhile, ${selfName()} demo fills a database with a synthetic organisation.\n`,
          );
          return 0;
        }
        const env = answers.sources.flatMap((s) => ENV_OF[s]);
        io.stdout(
          `\nNext:\n${env.length > 0 ? `  export ${env.map((e) => `${e}=…`).join(' ')}\n` : ''}  ${selfName()} config check\n  ${selfName()} sync\n`,
        );
        return 0;
      }),
    );
};
