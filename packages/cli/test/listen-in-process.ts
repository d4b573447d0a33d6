import type { AddressInfo } from 'node:net';
import type { Logger, TeamState } from '@teamstate/core';
import { createHttpServer } from '../src/server/create-http-server.js';

/** The `teamstate serve` HTTP server over `ts`, on a free local port: its base URL and how to stop it. */
export async function listenInProcess(ts: TeamState, log?: Logger): Promise<{ base: string; close(): Promise<void> }> {
  const server = createHttpServer(ts, {}, log);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
