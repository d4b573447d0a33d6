import { type Approval, type TeamState, TeamStateError, type WebhookInstallStep } from '@teamstate/core';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { buildConnectors } from '../config/build-connectors.js';
import { configFor, printJson, withTeamState } from '../runtime.js';
import { selfName } from '../self-command.js';
import { renderTable } from '../table.js';

/** One line of `webhooks install`: a hook a source needs, what was found and what was done about it. */
export interface InstalledWebhook {
  source: string;
  scope: string;
  /** `ok`: there as wanted; `create`/`repair`: what is (or, with --dry-run, would be) proposed. */
  status: WebhookInstallStep['status'];
  detail: string;
  /** The action proposed for it (or already proposed by an earlier run), with the approval's id and status. */
  action?: { type: string; target: string; approval?: { id: string; status: Approval['status'] } };
}

const WAITING: readonly Approval['status'][] = ['pending', 'approved', 'executing'];

/**
 * Plans and proposes, for every configured source that can install its webhooks (GitHub, Jira): each hook is `ok`, or its
 * `github.webhook.create` / `jira.webhook.create` action is proposed through the policy (`ask` by default), unless an
 * earlier run's proposal of the same action still waits. With `dryRun`, nothing is proposed.
 */
export async function installWebhooks(ts: TeamState, publicUrl: string, options: { dryRun: boolean }): Promise<InstalledWebhook[]> {
  const lines: InstalledWebhook[] = [];
  for (const connector of ts.connectors) {
    if (!connector.webhookInstall) continue;
    for (const step of await connector.webhookInstall.plan({ url: publicUrl, now: ts.now })) {
      const line: InstalledWebhook = { source: connector.id, scope: step.scope, status: step.status, detail: step.detail };
      lines.push(line);
      if (!step.action) continue;
      const { type, target, params } = step.action;
      line.action = { type, target };
      if (options.dryRun) continue;
      const earlier = (await ts.approvals.list({ type })).find(
        (a) => WAITING.includes(a.status) && a.target === target && JSON.stringify(a.params) === JSON.stringify(params),
      );
      const approval =
        earlier ??
        (await ts.actions.propose({
          type,
          target,
          params,
          reason: `teamstate webhooks install: ${step.status} ${connector.id} webhook for ${step.scope} (${step.detail})`,
          requestedBy: 'teamstate-cli',
        }));
      line.action.approval = { id: approval.id, status: approval.status };
    }
  }
  return lines;
}

function render(lines: readonly InstalledWebhook[], dryRun: boolean): string {
  if (lines.length === 0) return 'No configured source installs webhooks (configure connectors.github or connectors.jira).\n';
  const what = (l: InstalledWebhook) => {
    if (l.status === 'ok') return 'nothing to do';
    if (dryRun || !l.action?.approval) return `would propose ${l.action?.type ?? ''}`;
    const { id, status } = l.action.approval;
    if (status === 'executed') return `done (approval ${id})`;
    if (status === 'pending') return `waiting for approval ${id}`;
    return `approval ${id} is ${status}`;
  };
  const table = renderTable(
    ['SOURCE', 'SCOPE', 'STATUS', 'DETAIL', 'ACTION'],
    lines.map((l) => [l.source, l.scope, l.status, l.detail, what(l)]),
    { drop: [3] },
  );
  const pending = lines.flatMap((l) => (l.action?.approval?.status === 'pending' ? [l.action.approval.id] : []));
  const next =
    pending.length > 0
      ? `\n\nApprove with ${selfName()} approvals approve <id> (${pending.join(', ')}); then run this again to check.`
      : lines.every((l) => l.status === 'ok')
        ? '\n\nEvery webhook is installed.'
        : '';
  return `${table}${next}\n`;
}

/** `teamstate webhooks install [--dry-run]`, under `webhooks`. */
export function registerWebhooksInstall(webhooks: Command, ctx: CommandContext): void {
  webhooks
    .command('install')
    .description('create or repair the GitHub and Jira webhooks pointing at server.publicUrl (proposed through the policy)')
    .option('--dry-run', 'list what it would propose, and propose nothing')
    .addHelpText('after', '\nExamples:\n  $ teamstate webhooks install --dry-run\n  $ teamstate webhooks install --json')
    .action(
      ctx.action(async (globals, options: { dryRun?: boolean }) => {
        const loaded = configFor(globals, ctx.io);
        if (!loaded)
          throw new TeamStateError(
            'invalid_config',
            `no teamstate.config.yaml found in ${ctx.io.cwd} or above (run \`teamstate init\`, or pass --config <file>)`,
          );
        const publicUrl = loaded.config.server?.publicUrl;
        if (!publicUrl)
          throw new TeamStateError(
            'invalid_config',
            `server.publicUrl: not set in ${loaded.path}; set it to the public https URL of teamstate serve (e.g. server: { publicUrl: https://teamstate.acme.dev })`,
          );
        const names = Object.keys(loaded.config.connectors ?? {}).filter((name) => name === 'github' || name === 'jira');
        const connectors = await buildConnectors(loaded, {}, { only: names });
        const dryRun = options.dryRun === true;
        const lines = await withTeamState(
          globals,
          ctx.io,
          (ts) => installWebhooks(ts, publicUrl, { dryRun }),
          { connectors },
          {
            create: true,
          },
        );
        if (globals.json) printJson(ctx.io, { dryRun, webhooks: lines });
        else ctx.io.stdout(render(lines, dryRun));
        return 0;
      }),
    );
}
