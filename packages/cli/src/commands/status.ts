import type { SourceFreshness, SpendMonth } from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { configuredConnectors } from '../config/build-connectors.js';
import { colors, configFor, printJson, withTeamState } from '../runtime.js';
import { renderTable } from '../table.js';

/** `3m`, `2h 5m`, `4d` for the LAG column. */
export function spellLag(seconds: number | null): string {
  if (seconds === null) return 'never';
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m`;
  return `${Math.floor(seconds / 86_400)}d`;
}

/** `Spend 2026-03: $12.40 of the $200 cap (6 %)`, or without a cap `Spend 2026-03: $12.40 (no cap: …)`. */
export function spendLine(spend: SpendMonth): string {
  const usd = `$${spend.usd.toFixed(2)}`;
  if (spend.capUsd === null) return `Spend ${spend.month}: ${usd} (no cap: set limits.max_monthly_cost_usd in the policy)`;
  const share = spend.capUsd === 0 ? 100 : Math.floor((spend.usd / spend.capUsd) * 100);
  const stopped = spend.usd >= spend.capUsd ? ': paid calls stopped (cost_cap_reached)' : '';
  return `Spend ${spend.month}: ${usd} of the $${spend.capUsd} cap (${share} %)${stopped}`;
}

/**
 * `teamstate status [--json]`: how fresh each source is, and this month's spend on teamstate's own paid calls (`ts.freshness()`): per configured connector (and any that synced
 * into the database), its last sync and whether it succeeded, its last webhook, and the lag since its newest data.
 * JSON: `{ "sources": [{ source, lastSync, lastSyncOk, lastWebhook, lagSeconds }], "spend": { month, usd, capUsd } }`. Reads only: no connector is built,
 * so no secret is needed.
 */
export const registerStatus: RegisterCommand = (program, ctx) => {
  program
    .command('status')
    .description("this month's spend against the cost cap, and how fresh each source is: last sync and its outcome, last webhook, lag")
    .addHelpText('after', '\nExamples:\n  $ teamstate status\n  $ teamstate status --json')
    .action(
      ctx.action(async (globals) => {
        const loaded = configFor(globals, ctx.io);
        const configured = loaded ? configuredConnectors(loaded) : [];
        const { report, spend } = await withTeamState(globals, ctx.io, async (ts) => ({
          report: await ts.freshness({ sources: configured }),
          spend: await ts.spend.month(),
        }));
        if (globals.json) {
          printJson(ctx.io, { ...report, spend });
          return 0;
        }
        if (report.sources.length === 0) {
          ctx.io.stdout(`No sources: nothing is configured or was ever synced into this database.\n\n${spendLine(spend)}\n`);
          return 0;
        }
        const c = colors(ctx.io);
        const ok = (s: SourceFreshness) => (s.lastSyncOk === null ? '-' : s.lastSyncOk ? c.green('ok') : c.red('failed'));
        const rows = report.sources.map((s) => [s.source, s.lastSync ?? 'never', ok(s), s.lastWebhook ?? '-', spellLag(s.lagSeconds)]);
        ctx.io.stdout(
          `${renderTable(['SOURCE', 'LAST SYNC', 'OK', 'LAST WEBHOOK', 'LAG'], rows, { styled: [2], align: ['left', 'left', 'left', 'left', 'right'] })}\n\n${spendLine(spend)}\n`,
        );
        return 0;
      }),
    );
};
