import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closest, type TeamState } from '@teamstate/core';
import { aiPanelData, dashboardData, openDemoWorkspace, openWorkspace } from './dashboard.js';

const publicDir = fileURLToPath(new URL('../public/', import.meta.url));
// chart.js exports no path to its UMD build, so find it next to the entry point Node resolves.
const chartDist = dirname(createRequire(import.meta.url).resolve('chart.js'));

/** The files the page is made of, by URL path: nothing else is served, and nothing is fetched from elsewhere. */
const STATIC_FILES: Record<string, { file: string; type: string }> = {
  '/': { file: join(publicDir, 'index.html'), type: 'text/html; charset=utf-8' },
  '/app.js': { file: join(publicDir, 'app.js'), type: 'text/javascript; charset=utf-8' },
  '/format.js': { file: join(publicDir, 'format.js'), type: 'text/javascript; charset=utf-8' },
  '/styles.css': { file: join(publicDir, 'styles.css'), type: 'text/css; charset=utf-8' },
  '/vendor/chart.umd.min.js': { file: join(chartDist, 'chart.umd.min.js'), type: 'text/javascript; charset=utf-8' },
  '/vendor/chart.umd.min.js.map': { file: join(chartDist, 'chart.umd.min.js.map'), type: 'application/json' },
};

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS });
  res.end(JSON.stringify(body));
}

async function handle(ts: TeamState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return sendJson(res, 405, { error: `method ${req.method}: the dashboard only answers GET and HEAD` });
  }
  if (url.pathname === '/api/teams') {
    const teams = await ts.teams.list();
    return sendJson(res, 200, { teams: teams.map(({ id, name }) => ({ id, name })) });
  }
  if (url.pathname === '/api/dashboard' || url.pathname === '/api/ai') {
    const teams = await ts.teams.list();
    const valid = teams.map((team) => team.id);
    const id = url.searchParams.get('team');
    const team = teams.find((candidate) => candidate.id === id);
    if (!team) {
      const suggestion = id ? closest(id, valid) : undefined;
      const problem = id === null || id === '' ? 'required' : `unknown team "${id}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
      return sendJson(res, 400, { error: `team: ${problem}; valid values: ${valid.join(', ')}`, parameter: 'team', valid });
    }
    return sendJson(res, 200, url.pathname === '/api/ai' ? await aiPanelData(ts, team.id) : await dashboardData(ts, team));
  }
  const asset = STATIC_FILES[url.pathname];
  if (!asset) return sendJson(res, 404, { error: `not found: ${url.pathname}` });
  const body = await readFile(asset.file);
  res.writeHead(200, { 'content-type': asset.type, 'content-length': body.length, ...SECURITY_HEADERS });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * An HTTP server for the dashboard over an open `TeamState`: the page (`/`), its scripts, and three JSON
 * endpoints, `GET /api/teams`, `GET /api/dashboard?team=<id>` and `GET /api/ai?team=<id>` (the AI panel:
 * `ts.ai.impact`; both answer 400 naming `team` and the valid ids when it is missing or unknown). It does not listen; call `listen()` or use {@link startDashboard}.
 */
export function createDashboardServer({ teamState }: { teamState: TeamState }): Server {
  return createServer((req, res) => {
    handle(teamState, req, res).catch((error: unknown) => {
      console.error(error);
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) });
    });
  });
}

/** Options of {@link startDashboard}. */
export interface StartDashboardOptions {
  /** TCP port; `0` picks a free one. Default 4318. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Serve this workspace instead of opening the demo workspace. It is not closed by `close()`. */
  teamState?: TeamState;
  /** Serve the workspace in this database (see {@link openWorkspace}) instead of the demo workspace. */
  database?: string;
  /** The instant the numbers are computed at (ignored with `teamState`). Default: the system time, read once here. */
  now?: Date;
}

/** A running dashboard. */
export interface RunningDashboard {
  url: string;
  teamState: TeamState;
  close(): Promise<void>;
}

/**
 * Opens the demo workspace (unless `teamState` is given) and serves the dashboard on it.
 * @example
 * const dashboard = await startDashboard({ port: 0 })
 * console.log(dashboard.url) // http://127.0.0.1:41234/
 * await dashboard.close()
 */
export async function startDashboard(options: StartDashboardOptions = {}): Promise<RunningDashboard> {
  const owned = options.teamState === undefined;
  const now = options.now ?? new Date();
  const teamState =
    options.teamState ??
    (options.database === undefined ? await openDemoWorkspace({ now }) : await openWorkspace({ database: options.database, now }));
  const server = createDashboardServer({ teamState });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 4318, options.host ?? '127.0.0.1', () => resolve());
    });
  } catch (error) {
    if (owned) await teamState.close();
    throw error;
  }
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}/`,
    teamState,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      if (owned) await teamState.close();
    },
  };
}
