import { type Connector, createTeamState, TeamStateError } from '@teamstate/core';
import { describe, expect, it } from 'vitest';

const team = (id: string) => ({ id, name: id.toUpperCase() });

describe('sync engine', () => {
  it('stores each batch with its cursors in one transaction and resumes from the cursor after a cancel', async () => {
    const controller = new AbortController();
    const pages = ['a', 'b', 'c', 'd'];
    const connector: Connector = {
      specificationVersion: 'v1',
      id: 'pager',
      async sync(ctx) {
        const done = Number((await ctx.getCursor('page')) ?? 0);
        for (let page = done; page < pages.length; page++) {
          await ctx.emit({ teams: [team(pages[page]!)] }, { cursors: { page: String(page + 1) } });
          if (page === 1) controller.abort();
        }
      },
    };
    const ts = await createTeamState({ database: ':memory:', connectors: [connector] });
    const first = await ts.sync({ signal: controller.signal });
    expect(first).toEqual({ ok: false, connectors: [{ connector: 'pager', status: 'aborted', batches: 2, records: 2 }] });
    expect((await ts.teams.list()).map((t) => t.id)).toEqual(['a', 'b']);
    const second = await ts.sync();
    expect(second.ok).toBe(true);
    expect(second.connectors[0]!.batches).toBe(2);
    expect((await ts.teams.list()).map((t) => t.id)).toEqual(['a', 'b', 'c', 'd']);
    await ts.close();
  });

  it('writes nothing of a batch that fails validation and reports the failure per connector', async () => {
    const good: Connector = { specificationVersion: 'v1', id: 'good', sync: (ctx) => ctx.emit({ teams: [team('ok')] }) };
    const bad: Connector = {
      specificationVersion: 'v1',
      id: 'bad',
      async sync(ctx) {
        await ctx.emit({ teams: [team('x')], repositories: [{ id: 'acme/api', team: 'missing' }] }, { cursors: { page: '1' } });
      },
    };
    const ts = await createTeamState({ database: ':memory:', connectors: [good, bad] });
    const result = await ts.sync();
    expect(result.ok).toBe(false);
    expect(result.connectors.map((c) => c.status)).toEqual(['succeeded', 'failed']);
    expect(result.connectors[1]!.error!.message).toMatch(/repositories\[0\]\.team: team "missing"/);
    expect((await ts.teams.list()).map((t) => t.id)).toEqual(['ok']);
    expect((await ts.store.execute("SELECT count(*) AS n FROM sync_cursors WHERE connector = 'bad'")).rows[0]!.n).toBe(0);
    expect((await ts.sync({ only: ['good'] })).ok).toBe(true);
    await ts.close();
  });

  it("redacts URL credentials and query strings from a failed connector's message, in the result and the log (issue 17)", async () => {
    const logged: string[] = [];
    const record = (message: string, fields?: Record<string, unknown>) => void logged.push(`${message} ${JSON.stringify(fields ?? {})}`);
    const leaky: Connector = {
      specificationVersion: 'v1',
      id: 'leaky',
      description: 'fails with a URL holding credentials',
      async sync() {
        throw new Error('GET https://me:hunter2secret@jira.example/rest/api/3/project?token=qs-secret-99 failed: 500');
      },
    };
    const ts = await createTeamState({
      database: ':memory:',
      connectors: [leaky],
      logger: { debug: record, info: record, warn: record, error: record },
    });
    const result = await ts.sync();
    expect(result.connectors[0]!.error!.message).toBe('GET https://***@jira.example/rest/api/3/project failed: 500');
    expect(logged.join('\n')).toContain('https://***@jira.example');
    expect(logged.join('\n')).not.toMatch(/hunter2secret|qs-secret-99/);
    await ts.close();
  });

  it('tells a connector which records already exist', async () => {
    let seen: string[] = [];
    const connector: Connector = {
      specificationVersion: 'v1',
      id: 'linker',
      async sync(ctx) {
        await ctx.emit({ teams: [team('a')] });
        seen = [...(await ctx.existing('team', ['a', 'b']))];
      },
    };
    const ts = await createTeamState({ database: ':memory:', connectors: [connector] });
    await ts.sync();
    expect(seen).toEqual(['a']);
    await ts.close();
  });

  it('refuses an unknown --only connector and duplicate connector ids', async () => {
    const ts = await createTeamState({
      database: ':memory:',
      connectors: [{ specificationVersion: 'v1', id: 'demo', sync: async () => {} }],
    });
    await expect(ts.sync({ only: ['github'] })).rejects.toThrow('only: no connector "github" is configured (configured: demo)');
    await ts.close();
    const c: Connector = { specificationVersion: 'v1', id: 'same', sync: async () => {} };
    const error = await createTeamState({ database: ':memory:', connectors: [c, c] }).catch((e: unknown) => e);
    expect(TeamStateError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe('connectors: two connectors have the id "same"');
  });

  it('reports rate-limit waits and stops waiting when cancelled', async () => {
    const controller = new AbortController();
    const waits: number[] = [];
    const connector: Connector = {
      specificationVersion: 'v1',
      id: 'slow',
      async sync(ctx) {
        setTimeout(() => controller.abort(), 20);
        await ctx.sleep(60_000, 'rate limited');
      },
    };
    const ts = await createTeamState({ database: ':memory:', connectors: [connector] });
    const result = await ts.sync({ signal: controller.signal, onProgress: (p) => p.waitingMs && waits.push(p.waitingMs) });
    expect(waits).toEqual([60_000]);
    expect(result.connectors[0]!.status).toBe('aborted');
    await ts.close();
  });
});
