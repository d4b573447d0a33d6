import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeamState } from '@teamstate/core';
import { afterAll, describe, expect, it } from 'vitest';
import { listenInProcess } from './listen-in-process.js';
import { demoDatabase } from './run-cli.js';
import { serveWhile } from './serve-while.js';

// GET /readyz: 200 when the database answers and every migration of this version is applied, else 503; like /healthz,
// it is probed on the pod's address, so no Host check applies.
const dir = mkdtempSync(join(tmpdir(), 'teamstate-readyz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('GET /readyz', () => {
  it('is 200 on a current database, 503 with a migration pending, and 503 once the database is gone', async () => {
    const ts = await createTeamState({ database: `file:${join(dir, 'ready.db')}` });
    const server = await listenInProcess(ts);
    try {
      const ready = await fetch(`${server.base}/readyz`, { headers: { host: 'pod-10-0-0-7.internal' } });
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ ok: true });
      const [last] = (await ts.store.execute('SELECT tag FROM __teamstate_migrations ORDER BY applied_at DESC, tag DESC LIMIT 1')).rows;
      await ts.store.execute('DELETE FROM __teamstate_migrations WHERE tag = ?', [String(last!.tag)]);
      const pending = await fetch(`${server.base}/readyz`);
      expect(pending.status).toBe(503);
      expect(((await pending.json()) as { message: string }).message).toMatch(/1 migration\(s\) pending .*teamstate migrate/);
      await ts.close();
      const gone = await fetch(`${server.base}/readyz`);
      expect(gone.status).toBe(503);
      expect(await gone.json()).toEqual({ ok: false, message: 'the database does not answer' });
    } finally {
      await server.close();
      await ts.close();
    }
  });

  it('is served by teamstate serve beside /healthz and the REST document', async () => {
    const database = join(dir, 'demo.db');
    expect((await demoDatabase(database)).code).toBe(0);
    await serveWhile({ cwd: dir, env: process.env, args: ['--db', database] }, async (base) => {
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      const document = await fetch(`${base}/v1/openapi.json`);
      expect(document.status).toBe(200);
      expect(((await document.json()) as { openapi: string }).openapi).toBe('3.1.0');
      const unauthenticated = await fetch(`${base}/v1/approvals`);
      expect(unauthenticated.status).toBe(401);
      expect(unauthenticated.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    });
  });
});
