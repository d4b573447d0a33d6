import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoBundle } from '@teamstate/connectors/demo';
import { createTeamState, type TeamStateOptions } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SqldServer, startSqld } from '../../core/test/helpers/sqld.js';
import { builtinSignals } from '../src/index.js';

const NOW = new Date('2026-11-21T10:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'teamstate-signals-remote-'));
let sqld: SqldServer;
beforeAll(async () => {
  sqld = await startSqld({ auth: true });
});
afterAll(async () => {
  await sqld.stop();
  rmSync(dir, { recursive: true, force: true });
});

// The detectors' statements read the same everywhere: a local file (where large texts come back as BLOBs, see
// `textOf`), a libSQL server over HTTP (BLOBs in base64) and an embedded replica (reads local, writes to the server).
describe('signals refresh on a libSQL server and on an embedded replica', () => {
  it('finds and stores exactly what a refresh of a local file does', async () => {
    const refreshed = async (database: TeamStateOptions['database'], workspace: string) => {
      const ts = await createTeamState({ database, workspace, clock: () => NOW, signals: builtinSignals });
      try {
        await ts.import(demoBundle({ now: NOW }));
        const result = await ts.signals.refresh();
        const signals = await ts.signals.list({ status: 'all', limit: 500 });
        return { result, signals };
      } finally {
        await ts.close();
      }
    };
    const local = await refreshed(`file:${join(dir, 'local.db')}`, 'local');
    const remote = await refreshed({ url: sqld.url, authToken: sqld.token }, 'remote');
    const replica = await refreshed({ url: `file:${join(dir, 'replica.db')}`, syncUrl: sqld.url, authToken: sqld.token }, 'replica');
    expect(Object.keys(local.result.byKind).length).toBeGreaterThanOrEqual(8);
    expect(remote.result).toEqual(local.result);
    expect(remote.signals).toEqual(local.signals);
    expect(replica.result).toEqual(local.result);
    expect(replica.signals).toEqual(local.signals);
  }, 240_000);
});
