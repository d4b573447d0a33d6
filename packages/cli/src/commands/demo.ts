import { resolve } from 'node:path';
import { DEMO_ANCHOR_CURSOR, demo, demoAnchor, demoHandbook } from '@teamstate/connectors/demo';
import { formatWindow, type TeamState, TeamStateError } from '@teamstate/core';
import { columns, resolveDatabaseUrl, text } from '@teamstate/core/store';
import type { RegisterCommand } from '../command-context.js';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { renderOverview } from '../render-overview.js';
import { renderSignals } from '../render-signals.js';
import { clockFrom, colors, printJson, withTeamState } from '../runtime.js';
import { selfCommand, selfName, shellWord } from '../self-command.js';
import { plantDemoPulse } from './demo-pulse.js';
import { printTable } from './metrics.js';

const DAY = 86_400_000;

/**
 * What the demo shows beyond the overview: the DORA and flow metrics of the last 30 days, the top signals,
 * and one pending approval (an assistant's proposed note, so the approval loop can be tried at once).
 */
async function demoState(ts: TeamState) {
  const to = ts.now();
  const window = { from: new Date(to.getTime() - 30 * DAY).toISOString(), to: to.toISOString() };
  const ids = ts.metrics.list().flatMap((m) => (['dora', 'flow'].includes(m.category ?? '') ? [m.id] : []));
  const metrics = await ts.metrics.compute(ids, window);
  await ts.signals.refresh();
  const signals = await ts.signals.list({ limit: 5 });
  const [blocked] = await ts.signals.list({ kind: 'item.blocked', limit: 1 });
  const key = String(blocked?.evidence.key ?? 'PAY-1');
  const [existing] = await ts.approvals.list({ status: 'pending', type: 'demo.note.add', limit: 1 });
  const pendingApproval =
    existing ??
    (await ts.actions.propose({
      type: 'demo.note.add',
      target: key,
      params: { key, text: 'Blocked on the vendor sandbox for days: can someone escalate with the vendor?' },
      reason: `${key} has been blocked for days; the team should see a note on it`,
      requestedBy: 'assistant',
    }));
  const approver = (await ts.people.list({ team: blocked?.team ?? 'payments' }))[0]?.id ?? 'ana-garcia';
  // The demo workspace is synthetic and local: it is created in local-trust mode, so the printed
  // `approvals approve … --as <person>` works without a credential (audited once, as a setting change).
  if ((await ts.settings.get('approvals.localTrust')) !== true) await ts.settings.set('approvals.localTrust', true, 'teamstate demo');
  return { window, metrics, signals, pendingApproval, approver };
}

/**
 * The demo organisation is anchored on a day: one generated for another day (or scale) has other dates,
 * keys and counts, and syncing both into one workspace would mix two organisations. A workspace only the
 * demo filled is emptied of the demo's records first (approvals and the audit ledger stay); one that
 * other connectors filled too is refused.
 */
async function replaceAnotherDemo(ts: TeamState, anchor: string, io: Io): Promise<void> {
  const cursors = columns({ connector: text, key: text, value: text }).all(
    (await ts.store.execute('SELECT connector, key, value FROM sync_cursors WHERE workspace = ?', [ts.workspace])).rows,
  );
  const previous = cursors.find((row) => row.connector === 'demo' && row.key === DEMO_ANCHOR_CURSOR)?.value;
  if (previous === undefined || previous === anchor) return;
  const others = [...new Set(cursors.map((row) => row.connector))].filter((c) => c !== 'demo' && c !== 'config');
  if (others.length > 0)
    throw new TeamStateError(
      'invalid_argument',
      `this workspace also holds data synced from ${others.join(', ')}, so the demo organisation for another day cannot replace the one there: use another database (--db) or workspace (--workspace)`,
    );
  const day = (value: string) => (value.split(':').length === 3 ? value.slice(0, 10) : 'an earlier version');
  io.stderr(`demo: replacing the demo organisation generated for ${day(previous)} with the one for ${day(anchor)}\n`);
  await ts.records.clear('demo');
}

/** `teamstate demo`: creates or refreshes the demo workspace and prints the team overview. */
export const registerDemo: RegisterCommand = (program, ctx) => {
  program
    .command('demo')
    .description('create or refresh a synthetic demo organisation in the database and print its state')
    .option('--scale <scale>', 'default (3 teams, 20 people, 90 days) or large (1,000 people, one year)', 'default')
    .addHelpText('after', '\nExamples:\n  $ teamstate demo\n  $ teamstate --db /tmp/big.db demo --scale large')
    .action(
      ctx.action(async (globals, options: { scale: string }) => {
        if (options.scale !== 'default' && options.scale !== 'large') {
          throw new UsageError(`--scale: expected "default" or "large", got "${options.scale}"`);
        }
        const scale = options.scale;
        const { io } = ctx;
        const c = colors(io);
        return withTeamState(
          globals,
          io,
          async (ts) => {
            await replaceAnotherDemo(ts, demoAnchor({ scale }, clockFrom(globals.now)()), io);
            const started = performance.now();
            let lastPhase = '';
            const result = await ts.sync({
              onProgress: (p) => {
                if (!globals.json && p.phase && p.phase !== lastPhase) {
                  lastPhase = p.phase;
                  io.stderr(`demo: ${p.phase}…\n`);
                }
              },
            });
            const seconds = ((performance.now() - started) / 1000).toFixed(1);
            const overview = await ts.overview();
            const state = result.ok ? await demoState(ts) : undefined;
            // Two pulse survey rounds, as if answered in Slack (one team under the anonymity threshold).
            if (result.ok) await plantDemoPulse(ts);
            // The demo handbook (runbooks, ADRs, onboarding), so search_knowledge and who_knows answer here too.
            const knowledge = await ts.knowledge.sync();
            for (const failed of knowledge.sources.filter((source) => source.error))
              io.stderr(`warning: the demo handbook was not indexed: ${failed.error!.message}\n`);
            if (globals.json) {
              printJson(io, { sync: result, knowledge, overview, ...state });
              return result.ok ? 0 : 1;
            }
            if (!result.ok) {
              io.stderr(`error: the demo sync failed: ${result.connectors[0]?.error?.message ?? 'unknown error'}\n`);
              return 1;
            }
            const records = result.connectors.reduce((n, r) => n + r.records, 0);
            io.stdout(
              `${c.bold('teamstate demo')}: Acme, a synthetic organisation, in ${c.cyan(ts.store.url)} (workspace ${ts.workspace})\n`,
            );
            const pages = knowledge.sources.reduce((n, r) => n + r.added + r.updated + r.unchanged, 0);
            io.stdout(
              `Synced ${records.toLocaleString('en-US')} records in ${seconds} s; ${pages} handbook pages indexed for knowledge search.\n\n`,
            );
            io.stdout(renderOverview(overview, c));
            io.stdout(`\n${c.bold(`DORA and flow, ${formatWindow(state!.window)}`)}\n`);
            printTable(io, state!.metrics);
            io.stdout(`\n${c.bold('Top signals')}\n${renderSignals(state!.signals, c)}`);
            const pending = state!.pendingApproval;
            io.stdout(
              `\n${c.bold('Waiting for a person')}\n  ${pending.id}: ${pending.type} on ${pending.target} (${pending.risk} risk, ${pending.mode}), proposed by ${pending.requestedBy}: "${pending.reason}"\n  approve it: ${selfName()}${globals.db ? ` --db ${globals.db}` : ''} approvals approve ${pending.id} --as ${state!.approver}\n`,
            );
            const available = new Set(program.commands.map((command) => command.name()));
            const dbFlag = globals.db
              ? ` --db ${shellWord(globals.db.startsWith('file:') || globals.db.includes('://') ? globals.db : resolve(globals.db))}`
              : '';
            const next = [
              ['metrics', 'DORA and flow metrics with bands'],
              ['signals', 'stale PRs, blockers, overloaded people'],
              ['standup --team payments', 'what happened since yesterday'],
              ['approvals list', 'actions waiting for a human'],
              ['export --out acme.bundle.json', 'the workspace as a teamstate.bundle/v1 file'],
              ['knowledge search "how do I undo a bad release in prod?"', 'passages of the handbook, with citations'],
            ].filter(([command]) => available.has(command!.split(' ')[0]!));
            io.stdout(`\n${c.bold('Next')}\n`);
            for (const [command, what] of next) io.stdout(`  ${selfName()}${dbFlag} ${command!.padEnd(32)} ${c.dim(what!)}\n`);
            if (available.has('mcp')) {
              io.stdout(`\n${c.bold('Connect an assistant')} (stdio MCP server on this database)\n`);
              // A client starts the server in a folder of its own: the database by its absolute path, and a person, so
              // the tools that act as someone (ack_signal, submit_daily_report) know who.
              const database = resolveDatabaseUrl(ts.store.url).localPath ?? ts.store.url;
              io.stdout(
                `  Claude Code:  claude mcp add teamstate -- ${selfCommand()} mcp --db ${shellWord(database)} --person ${state!.approver}\n`,
              );
              io.stdout('  Claude Desktop / Cursor: see examples/claude-desktop and examples/cursor\n');
            }
            return 0;
          },
          { connectors: [demo({ scale })], knowledge: { sources: [demoHandbook({ clock: clockFrom(globals.now) })] } },
          { create: true },
        );
      }),
    );
};
