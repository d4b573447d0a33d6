import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startDashboard } from './server.js';

const usage = 'usage: pnpm --filter @teamstate/example-dashboard start [--port <n>] [--host <host>] [--now <iso>] [--db <file or url>]';

function fail(message: string): never {
  console.error(`error: ${message}\n${usage}`);
  process.exit(2);
}

let values: { port?: string; host?: string; now?: string; db?: string; help?: boolean };
try {
  // `pnpm start -- --port 8080` passes the `--` through; accept it as well as `pnpm start --port 8080`.
  const args = process.argv.slice(2);
  ({ values } = parseArgs({
    args: args[0] === '--' ? args.slice(1) : args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      now: { type: 'string' },
      db: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
if (values.help) {
  console.log(
    `${usage}\n\n  --port  TCP port (env PORT; default 4318; 0 picks a free one)\n  --host  interface (env HOST; default 127.0.0.1)\n  --now   the instant the numbers are computed at, ISO 8601 (default: the current time)\n  --db    serve the workspace in this database (env TEAMSTATE_DB) instead of a fresh in-memory demo`,
  );
  process.exit(0);
}

const portText = values.port ?? process.env.PORT ?? '4318';
const port = Number(portText);
if (!/^\d+$/.test(portText) || port > 65_535) fail(`--port: expected a whole number from 0 to 65535, got "${portText}"`);
const now = values.now === undefined ? new Date() : new Date(values.now);
if (Number.isNaN(now.getTime())) fail(`--now: invalid ISO timestamp "${values.now}" (expected e.g. 2026-03-18T10:00:00Z)`);

const database = values.db ?? process.env.TEAMSTATE_DB;
if (database !== undefined && !/^[a-z]+:/.test(database) && !existsSync(database)) {
  fail(`--db: no database at ${database}; create one with teamstate demo or teamstate sync, or leave --db out for the demo`);
}
console.log(
  `teamstate dashboard: ${database === undefined ? 'syncing the demo workspace' : `opening ${database}`} at ${now.toISOString()}…`,
);
let dashboard: Awaited<ReturnType<typeof startDashboard>>;
try {
  dashboard = await startDashboard({ port, host: values.host ?? process.env.HOST, now, database });
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
console.log(`teamstate dashboard: ${dashboard.url} (Ctrl-C to stop)`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    dashboard.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
