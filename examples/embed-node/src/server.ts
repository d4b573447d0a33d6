import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { demo } from '@teamstate/connectors/demo';
import { createTeamState, parsePolicy, TeamStateError } from '@teamstate/core';
import { builtinMetrics, builtinSignals } from '@teamstate/metrics';

/** Notes on demo work items wait for a person; anything else proposed through this service is refused. */
const policy = parsePolicy({ actions: { 'demo.note.add': { risk: 'low', mode: 'ask' }, '*': { mode: 'deny' } } });

export interface ServiceOptions {
  port?: number;
  /** `:memory:` (default), a file path or a libSQL URL. */
  database?: string;
  clock?: () => Date;
}

/** Opens the demo workspace, then serves GET /metrics, GET /signals (both `?team=`) and POST /actions. */
export async function startService({ port = 3000, database = ':memory:', clock }: ServiceOptions = {}) {
  const ts = await createTeamState({ database, connectors: [demo()], metrics: builtinMetrics, signals: builtinSignals, policy, clock });
  await ts.sync();
  await ts.signals.refresh();
  const teams = (await ts.teams.list()).map((team) => team.id);

  async function handle(req: IncomingMessage, url: URL) {
    const team = url.searchParams.get('team') ?? undefined;
    if (team !== undefined && !teams.includes(team))
      throw new TeamStateError('invalid_argument', `team: unknown team "${team}"; known: ${teams.join(', ')}`);
    if (req.method === 'GET' && url.pathname === '/metrics') {
      // No ids and no window: the default set (DORA and flow) over the 30 days before now, as `teamstate metrics`.
      return [200, await ts.metrics.compute(undefined, { team })] as const;
    }
    if (req.method === 'GET' && url.pathname === '/signals') return [200, await ts.signals.list({ team, status: 'open' })] as const;
    if (req.method === 'POST' && url.pathname === '/actions') {
      const { type, target, params, reason } = JSON.parse(Buffer.concat(await req.toArray()).toString('utf8') || '{}');
      // The caller proposes; the policy decides whether it runs, waits for a person, or is refused.
      return [201, await ts.actions.propose({ type, target, params, reason, requestedBy: 'embed-node' })] as const;
    }
    return [404, { error: `no route ${req.method} ${url.pathname}: try GET /metrics, GET /signals or POST /actions` }] as const;
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    handle(req, new URL(req.url ?? '/', 'http://localhost'))
      .catch((error: unknown) => {
        if (error instanceof SyntaxError) return [400, { error: `body: not JSON (${error.message})` }] as const;
        if (TeamStateError.isInstance(error)) return [error.code === 'not_found' ? 404 : 400, { error: error.message }] as const;
        console.error(error);
        return [500, { error: 'internal error' }] as const;
      })
      .then(([status, body]) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`;
  return { url, teamState: ts, close: () => new Promise<void>((resolve) => server.close(() => ts.close().then(resolve))) };
}

if (import.meta.main) {
  const { url } = await startService({ port: Number(process.env.PORT ?? 3000) });
  console.log(`teamstate embedded: ${url}/metrics?team=payments  ${url}/signals?team=payments  POST ${url}/actions`);
}
