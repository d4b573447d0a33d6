import { TeamStateError } from '@teamstate/core';
import { redactUrl } from '@teamstate/core/store';
import { stringify } from 'yaml';
import type { RegisterCommand } from '../command-context.js';
import { maskSecrets } from '../config/load-config.js';
import { colors, configFor, printJson, storeSettings } from '../runtime.js';

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
        const settings = storeSettings(globals, ctx.io, loaded);
        const resolved = {
          file: loaded.path,
          database: redactUrl(settings.database ?? 'file:.teamstate/teamstate.db'),
          workspace: settings.workspace ?? 'default',
          connectors: Object.keys(loaded.config.connectors ?? {}),
          config: maskSecrets(loaded.config, loaded.secretPaths),
        };
        if (globals.json) printJson(ctx.io, { ok: true, ...resolved });
        else {
          const c = colors(ctx.io);
          ctx.io.stdout(`${c.green('✓')} ${loaded.path} is valid\n`);
          ctx.io.stdout(
            `  database   ${resolved.database}\n  workspace  ${resolved.workspace}\n  connectors ${resolved.connectors.join(', ') || '(none)'}\n\n`,
          );
          ctx.io.stdout(stringify(resolved.config));
        }
        return 0;
      }),
    );
};
