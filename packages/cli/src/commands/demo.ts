import { resolve } from 'node:path';
import { demo } from '@teamstate/connectors/demo';
import type { RegisterCommand } from '../command-context.js';
import { UsageError } from '../errors.js';
import { renderOverview } from '../render-overview.js';
import { colors, printJson, withTeamState } from '../runtime.js';

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
        const { io } = ctx;
        const c = colors(io);
        return withTeamState(
          globals,
          io,
          async (ts) => {
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
            if (globals.json) {
              printJson(io, { sync: result, overview });
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
            io.stdout(`Synced ${records.toLocaleString('en-US')} records in ${seconds} s.\n\n`);
            io.stdout(renderOverview(overview, c));
            const available = new Set(program.commands.map((command) => command.name()));
            const dbFlag = globals.db
              ? ` --db ${globals.db.startsWith('file:') || globals.db.includes('://') ? globals.db : resolve(globals.db)}`
              : '';
            const next = [
              ['metrics', 'DORA and flow metrics with bands'],
              ['signals', 'stale PRs, blockers, overloaded people'],
              ['standup --team payments', 'what happened since yesterday'],
              ['approvals list', 'actions waiting for a human'],
              ['export --out acme.bundle.json', 'the workspace as a teamstate.bundle/v1 file'],
            ].filter(([command]) => available.has(command!.split(' ')[0]!));
            io.stdout(`\n${c.bold('Next')}\n`);
            for (const [command, what] of next) io.stdout(`  teamstate${dbFlag} ${command!.padEnd(32)} ${c.dim(what!)}\n`);
            if (available.has('mcp')) {
              io.stdout(`\n${c.bold('Connect an assistant')} (stdio MCP server on this database)\n`);
              io.stdout(`  Claude Code:  claude mcp add teamstate -- npx teamstate mcp${dbFlag}\n`);
              io.stdout('  Claude Desktop / Cursor: see examples/claude-desktop and examples/cursor\n');
            }
            return 0;
          },
          { connectors: [demo({ scale: options.scale })] },
        );
      }),
    );
};
