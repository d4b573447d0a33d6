import { safeText, TeamStateError, type WebhookDelivery } from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { buildConnectors } from '../config/build-connectors.js';
import { UsageError } from '../errors.js';
import { configFor, printJson, refuseNow, withTeamState } from '../runtime.js';
import { selfName } from '../self-command.js';
import { renderTable } from '../table.js';
import { wrapText } from '../wrap.js';
import { registerWebhooksInstall } from './webhooks-install.js';

function parseLimit(value: string): number {
  const limit = Number(value);
  if (!/^\d+$/.test(value) || limit < 1 || limit > 1000)
    throw new UsageError(`--limit: expected a whole number from 1 to 1000, got ${JSON.stringify(value.slice(0, 80))}`);
  return limit;
}

/** What came from a sender or upstream (ids, event names, an error), on one line without escapes. */
const shownText = (text: string, maxLength = 300) => safeText(text, { singleLine: true, maxLength });

/**
 * The deliveries as a table; when a last error had to be cut (or its column left out) to fit, a line after it says
 * where to read it whole.
 */
function renderDeliveries(list: readonly WebhookDelivery[]): string {
  const rows = list.map((d) => [d.id, d.provider, d.event, d.status, d.attempts, d.receivedAt, d.nextAttemptAt ?? '', d.lastError ?? '']);
  // On a narrow terminal the times, then PROVIDER and ATTEMPTS go before the error is cut short.
  const table = renderTable(['ID', 'PROVIDER', 'EVENT', 'STATUS', 'ATTEMPTS', 'RECEIVED', 'NEXT ATTEMPT', 'LAST ERROR'], rows, {
    drop: [5, 6, 1, 4],
  });
  const cut = list.some((d) => d.lastError !== undefined && !table.includes(shownText(d.lastError, LONGEST_ERROR)));
  return cut ? `${table}\n\nLAST ERROR cut to fit: ${selfName()} webhooks show <id> prints it whole.` : table;
}

/** The longest last error shown (the queue stores at most a few hundred characters). */
const LONGEST_ERROR = 4000;

/** One delivery, every field on its own line and the last error whole, wrapped to the terminal's width. */
function renderDelivery(d: WebhookDelivery): string {
  const line = (label: string, value: string | number | undefined) =>
    value === undefined ? '' : `  ${label.padEnd(13)} ${typeof value === 'number' ? value : shownText(value, LONGEST_ERROR)}\n`;
  return wrapText(
    [
      `${shownText(d.id)}  ${d.status}\n`,
      line('provider', d.provider),
      line('event', d.event),
      line('attempts', d.attempts),
      line('received', d.receivedAt),
      line('attempted', d.attemptedAt),
      line('next attempt', d.nextAttemptAt),
      line('last error', d.lastError),
    ].join(''),
  );
}

/**
 * `teamstate webhooks list [--failed] [--provider <p>] [--limit N]`, `webhooks show <id> [--provider <p>]` and
 * `webhooks retry <id> [--provider <p>]`: the queue of stored webhook deliveries (`teamstate serve` processes it
 * with retries and back-off), one delivery with its last error whole, and a replay of one delivery now; and
 * `webhooks install [--dry-run]` (webhooks-install.ts), which creates or repairs the hooks upstream.
 */
export const registerWebhooks: RegisterCommand = (program, ctx) => {
  const webhooks = program
    .command('webhooks')
    .description('webhooks: install them upstream, see the queue of stored deliveries and replay one');

  webhooks
    .command('list')
    .description('list stored webhook deliveries, newest first (never their bodies)')
    .option('--failed', 'only deliveries whose processing failed (waiting for a retry, or given up)')
    .option('--provider <name>', 'only deliveries of this provider (github, jira)')
    .option('--limit <n>', 'at most this many (default 50)', '50')
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate webhooks list --failed\n  $ teamstate webhooks list --provider github --limit 10 --json',
    )
    .action(
      ctx.action(async (globals, options: { failed?: boolean; provider?: string; limit: string }) => {
        const limit = parseLimit(options.limit);
        const list = await withTeamState(globals, ctx.io, (ts) =>
          ts.webhooks.list({ failed: options.failed === true, provider: options.provider, limit }),
        );
        if (globals.json) printJson(ctx.io, { deliveries: list });
        else if (list.length === 0) ctx.io.stdout(options.failed ? 'No failed webhook deliveries.\n' : 'No webhook deliveries.\n');
        else ctx.io.stdout(`${renderDeliveries(list)}\n`);
        return 0;
      }),
    );

  webhooks
    .command('show')
    .description('show one stored delivery, with its last error whole (never its body)')
    .argument('<id>', 'the delivery id (X-GitHub-Delivery, X-Atlassian-Webhook-Identifier), as webhooks list shows it')
    .option('--provider <name>', 'the provider, when two providers used the same id')
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate webhooks show 72d3162e-cc78-11e3-81ab-4c9367dc0958\n  $ teamstate webhooks show 72d3162e-cc78-11e3-81ab-4c9367dc0958 --json',
    )
    .action(
      ctx.action(async (globals, id: string, options: { provider?: string }) => {
        if (id.trim() === '') throw new UsageError('<id>: expected a delivery id (see teamstate webhooks list), got an empty string');
        const delivery = await withTeamState(globals, ctx.io, (ts) => ts.webhooks.get(id, { provider: options.provider }));
        if (delivery === undefined) {
          const of = options.provider === undefined ? '' : ` of ${shownText(options.provider, 80)}`;
          throw new TeamStateError(
            'not_found',
            `webhook delivery ${JSON.stringify(shownText(id, 200))}${of} is not stored (see teamstate webhooks list for the ids)`,
          );
        }
        if (globals.json) printJson(ctx.io, { delivery });
        else ctx.io.stdout(renderDelivery(delivery));
        return 0;
      }),
    );

  webhooks
    .command('retry')
    .description('process a stored delivery now, whatever its back-off (with the connectors of the config)')
    .argument('<id>', 'the delivery id (X-GitHub-Delivery, X-Atlassian-Webhook-Identifier), as webhooks list shows it')
    .option('--provider <name>', 'the provider, when two providers used the same id')
    .addHelpText('after', '\nExample:\n  $ teamstate webhooks retry 72d3162e-cc78-11e3-81ab-4c9367dc0958')
    .action(
      ctx.action(async (globals, id: string, options: { provider?: string }) => {
        refuseNow(globals, 'webhooks retry');
        if (id.trim() === '') throw new UsageError('<id>: expected a delivery id (see teamstate webhooks list), got an empty string');
        const loaded = configFor(globals, ctx.io);
        // The provider's connector processes it: with --provider only that one (its secrets required); else every
        // configured one, leaving out with a warning those whose secrets are not set.
        const selection = options.provider
          ? { only: [options.provider] }
          : { onUnresolved: (warning: string) => ctx.io.stderr(`warning: ${warning}\n`) };
        const delivery = await withTeamState(globals, ctx.io, (ts) => ts.webhooks.retry(id, { provider: options.provider }), {
          connectors: loaded ? await buildConnectors(loaded, {}, selection) : [],
        });
        const done = delivery.status === 'processed' || delivery.status === 'ignored';
        // Ids and event names come from the senders' headers and bodies: data, shown on one line without escapes.
        const shown = shownText(`${delivery.id} (${delivery.provider} ${delivery.event})`);
        if (globals.json) printJson(ctx.io, { delivery });
        else if (done) ctx.io.stdout(`Delivery ${shown} ${delivery.status}.\n`);
        else ctx.io.stdout(renderDelivery(delivery));
        if (!done)
          ctx.io.stderr(
            `Delivery ${shown} failed again (attempt ${delivery.attempts}); ${globals.json ? 'see lastError' : 'its last error is above'}.\n`,
          );
        return done ? 0 : 1;
      }),
    );

  registerWebhooksInstall(webhooks, ctx);
};
