import { type KnowledgeSyncResult, TeamStateError } from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { buildConnectors, configuredConnectors } from '../config/build-connectors.js';
import { requireResolved } from '../config/load-config.js';
import { createProgressDisplay } from '../progress.js';
import { colors, commandLogger, configFor, knowledgeSections, knowledgeSources, printJson, withTeamState } from '../runtime.js';
import { startTelemetry } from '../server/start-telemetry.js';
import { syncKnowledge } from './knowledge.js';

/** `teamstate sync [--only <connector>]`: runs the configured connectors. */
export const registerSync: RegisterCommand = (program, ctx) => {
  program
    .command('sync')
    .description('sync the configured connectors into the database (resumes where the last run stopped)')
    .option('--only <connector>', 'only this connector (e.g. github); repeatable', (value: string, previous: string[] = []) => [
      ...previous,
      value,
    ])
    .addHelpText('after', '\nExamples:\n  $ teamstate sync\n  $ teamstate sync --only github --json')
    .action(
      ctx.action(async (globals, options: { only?: string[] }) => {
        const { io } = ctx;
        const loaded = configFor(globals, io);
        if (!loaded)
          throw new TeamStateError(
            'invalid_config',
            `no teamstate.config.yaml found in ${io.cwd} or above (run \`teamstate init\`, or pass --config <file>)`,
          );
        // Only what this run syncs needs its secrets: `--only jira` needs Jira's, not GitHub's or Slack's.
        const configured = configuredConnectors(loaded);
        for (const name of options.only ?? [])
          if (!configured.includes(name))
            throw new TeamStateError(
              'invalid_argument',
              `only: no connector "${name}" is configured (configured: ${configured.join(', ')})`,
            );
        const synced = configured.filter((name) => !options.only || options.only.includes(name));
        // Knowledge is indexed too unless --only names connectors: each unset variable of either is named once.
        requireResolved(loaded, [...synced.map((name) => `connectors.${name}`), ...(options.only ? [] : knowledgeSections(loaded))]);
        const connectors = await buildConnectors(loaded, {}, options.only ? { only: options.only } : {});
        const controller = new AbortController();
        const progress = await createProgressDisplay(io);
        const stop = () => {
          io.stderr('\nstopping at the next batch boundary (Ctrl-C again to force)…\n');
          controller.abort();
          process.off('SIGINT', stop);
        };
        process.on('SIGINT', stop);
        // TEAMSTATE_OTEL=1: the sync spans (one per connector) go to the OTLP endpoint.
        const telemetry = await startTelemetry(io, { prometheus: false, log: commandLogger(globals, io, loaded) });
        try {
          // Knowledge sources (`knowledge` in the config) are indexed after the connectors, unless --only names connectors.
          const withKnowledge = options.only === undefined && knowledgeSources(loaded).length > 0;
          let knowledge: KnowledgeSyncResult | undefined;
          const result = await withTeamState(
            globals,
            io,
            async (ts) => {
              const synced = await ts.sync({
                // The config's own records (teams, repositories, people) are always applied first: a connector
                // run alone still finds the teams its projects and repositories belong to.
                only: options.only && [...new Set(['config', ...options.only])],
                signal: controller.signal,
                onProgress: progress.onProgress,
              });
              progress.finish(synced.connectors);
              if (withKnowledge && !controller.signal.aborted)
                knowledge = await syncKnowledge(ts, io, { json: globals.json, signal: controller.signal });
              return synced;
            },
            { connectors },
            { create: true },
          );
          if (globals.json) printJson(io, knowledge ? { ...result, knowledge } : result);
          else {
            const c = colors(io);
            // `config` (the config's own teams and people) is always there; a source is anything else.
            const nothingConnected = configured.every((name) => name === 'config');
            if (nothingConnected) {
              // Only the config's own teams and people were written: no source was read.
              io.stdout(
                `Nothing to sync: no source is connected (${loaded.path} has no connectors:). Add one, e.g. connectors: { github: { token: \${GITHUB_TOKEN}, org: acme } } (docs/connectors/), then run sync again.\n`,
              );
            }
            for (const r of result.connectors.filter((r) => !nothingConnected || r.connector !== 'config')) {
              const mark = r.status === 'succeeded' ? c.green('✓') : r.status === 'aborted' ? c.yellow('■') : c.red('✗');
              io.stdout(
                `${mark} ${r.connector.padEnd(10)} ${r.status.padEnd(9)} ${r.records} records in ${r.batches} batches${r.error ? `: ${r.error.message}` : ''}\n`,
              );
            }
          }
          return result.ok && (knowledge?.ok ?? true) ? 0 : 1;
        } finally {
          process.off('SIGINT', stop);
          await telemetry.shutdown();
        }
      }),
    );
};
