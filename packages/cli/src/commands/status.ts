import type { SourceFreshness } from '@teamstate/core';
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

/**
 * `teamstate status [--json]`: how fresh each source is (`ts.freshness()`): per configured connector (and any that synced
 * into the database), its last sync and whether it succeeded, its last webhook, and the lag since its newest data.
 * JSON: `{ "sources": [{ source, lastSync, lastSyncOk, lastWebhook, lagSeconds }] }`. Reads only: no connector is built,
 * so no secret is needed.
 */
export const registerStatus: RegisterCommand = (program, ctx) => {
  program
    .command('status')
    .description('how fresh each source is: last sync and its outcome, last webhook, lag in seconds')
    .addHelpText('after', '\nExamples:\n  $ teamstate status\n  $ teamstate status --json')
    .action(
      ctx.action(async (globals) => {
        const loaded = configFor(globals, ctx.io);
        const configured = loaded ? configuredConnectors(loaded) : [];
        const report = await withTeamState(globals, ctx.io, (ts) => ts.freshness({ sources: configured }));
        if (globals.json) {
          printJson(ctx.io, report);
          return 0;
        }
        if (report.sources.length === 0) {
          ctx.io.stdout('No sources: nothing is configured or was ever synced into this database.\n');
          return 0;
        }
        const c = colors(ctx.io);
        const ok = (s: SourceFreshness) => (s.lastSyncOk === null ? '-' : s.lastSyncOk ? c.green('ok') : c.red('failed'));
        const rows = report.sources.map((s) => [s.source, s.lastSync ?? 'never', ok(s), s.lastWebhook ?? '-', spellLag(s.lagSeconds)]);
        ctx.io.stdout(
          `${renderTable(['SOURCE', 'LAST SYNC', 'OK', 'LAST WEBHOOK', 'LAG'], rows, { styled: [2], align: ['left', 'left', 'left', 'left', 'right'] })}\n`,
        );
        return 0;
      }),
    );
};
