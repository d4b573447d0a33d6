import { createTeamState, parsePolicy, TeamStateError } from '@teamstate/core';
import { redactUrl } from '@teamstate/core/store';
import { builtinSignals } from '@teamstate/metrics';
import type { RegisterCommand } from '../command-context.js';
import { buildConnectors } from '../config/build-connectors.js';
import { maskSecrets, requireResolved } from '../config/load-config.js';
import { loadPolicyFile } from '../policy-file.js';
import { colors, configFor, printJson, storeSettings } from '../runtime.js';
import { yaml } from '../yaml.js';

/** `teamstate config check`: validates the config and prints what was resolved, secrets masked. */
export const registerConfig: RegisterCommand = (program, ctx) => {
  const config = program.command('config').description('inspect the configuration');
  config
    .command('check')
    .description('validate teamstate.config.yaml and print what it resolves to (secrets masked)')
    .addHelpText('after', '\nExamples:\n  $ teamstate config check\n  $ teamstate --config ops/teamstate.config.yaml config check --json')
    .action(
      ctx.action(async (globals) => {
        const loaded = configFor(globals, ctx.io);
        if (!loaded) {
          throw new TeamStateError(
            'invalid_config',
            `no ${'teamstate.config.yaml'} found in ${ctx.io.cwd} or any folder above it (run \`teamstate init\`, or pass --config <file>)`,
          );
        }
        // Every variable the file references, whichever command uses it, is checked here.
        requireResolved(loaded, Object.keys(loaded.unresolved ?? {}));
        // Everything the other commands load is loaded and checked here too: the policy (inline or a file),
        // the connectors' options, the signal and metric settings, on a throwaway in-memory workspace.
        const policy =
          loadPolicyFile(undefined, ctx.io) ??
          (loaded.policy === undefined ? undefined : parsePolicy(loaded.policy, `The policy in ${loaded.path}`));
        const check = await createTeamState({
          database: ':memory:',
          policy,
          connectors: await buildConnectors(loaded),
          signals: builtinSignals,
          signalSettings: loaded.config.signals,
          metrics: ctx.metrics,
          metricSettings: loaded.config.metrics,
          surveys: loaded.config.surveys,
          pulse: loaded.config.pulse,
          alerts: loaded.config.alerts,
        });
        await check.close();
        const settings = storeSettings(globals, ctx.io, loaded);
        const resolved = {
          file: loaded.path,
          database: redactUrl(settings.database),
          ...(settings.replica ? { syncUrl: redactUrl(settings.replica.syncUrl) } : {}),
          workspace: settings.workspace ?? 'default',
          connectors: Object.keys(loaded.config.connectors ?? {}),
          config: maskSecrets(loaded.config, loaded.secretPaths),
        };
        if (globals.json) printJson(ctx.io, { ok: true, ...resolved });
        else {
          const c = colors(ctx.io);
          ctx.io.stdout(`${c.green('✓')} ${loaded.path} is valid\n`);
          ctx.io.stdout(
            `  database   ${resolved.database}${resolved.syncUrl ? ` (embedded replica of ${resolved.syncUrl})` : ''}\n  workspace  ${resolved.workspace}\n  connectors ${resolved.connectors.join(', ') || '(none)'}\n\n`,
          );
          ctx.io.stdout(yaml().stringify(resolved.config));
        }
        return 0;
      }),
    );
};
