import type { AddressInfo } from 'node:net';
import { TeamStateError } from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { buildConnectors } from '../config/build-connectors.js';
import { UsageError } from '../errors.js';
import { configFor, openTeamState } from '../runtime.js';
import { createHttpServer } from '../server/create-http-server.js';

/** `teamstate serve`: webhooks and health on one HTTP port, until Ctrl-C. */
export const registerServe: RegisterCommand = (program, ctx) => {
  program
    .command('serve')
    .description('serve webhooks (POST /webhooks/<provider>) and health (GET /healthz) over HTTP')
    .option('--port <n>', 'port (0 picks a free one)', '8787')
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate serve --port 8787\n  $ teamstate serve --port 8787 --host 0.0.0.0   # behind your reverse proxy',
    )
    .action(
      ctx.action(async (globals, options: { port: string; host: string }) => {
        const port = Number(options.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535)
          throw new UsageError(`--port: expected a port number from 0 to 65535, got "${options.port}"`);
        const loaded = configFor(globals, ctx.io);
        const ts = await openTeamState(globals, ctx.io, { connectors: loaded ? buildConnectors(loaded) : [] });
        const server = createHttpServer(ts);
        await new Promise<void>((resolve, reject) => {
          server.once('error', (error: NodeJS.ErrnoException) =>
            reject(
              new TeamStateError(
                'serve_failed',
                error.code === 'EADDRINUSE' ? `--port: ${port} is already in use (pick another, or 0 for a free one)` : error.message,
              ),
            ),
          );
          server.listen(port, options.host, resolve);
        });
        const address = server.address() as AddressInfo;
        ctx.io.stderr(`teamstate serve: listening on http://${options.host}:${address.port} (workspace ${ts.workspace})\n`);
        await new Promise<void>((resolve) => {
          const stop = () => {
            server.close(() => resolve());
            server.closeAllConnections();
          };
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        await ts.close();
        return 0;
      }),
    );
};
