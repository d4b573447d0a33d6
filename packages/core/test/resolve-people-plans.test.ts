// resolvePeople runs once per page of a connector's sync, and looks up every account it has not linked yet by email
// and by login (an identity override): each of those must seek, never walk the workspace's people or the provider's
// accounts (found with the query planner, not timing; `pnpm bench scale` measures a sync into the 10,000-engineer
// organisation). The planner, which has no statistics here, walked people by id to honour `ORDER BY id LIMIT 1`.
import type { InStatement, Transaction } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Connector, createTeamState, type TeamState } from '../src/index.js';

let ts: TeamState;
const statements: { sql: string; args: unknown[] }[] = [];
const linked: (string | undefined)[] = [];

beforeAll(async () => {
  const connector: Connector = {
    specificationVersion: 'v1',
    id: 'plans',
    async sync(ctx) {
      linked.push(
        ...(await ctx.resolvePeople([
          { provider: 'github', id: '1', login: 'ana', email: 'ana@acme.example' },
          { provider: 'github', id: '2', login: 'ben' },
          { provider: 'jira', id: 'acc-3', email: 'ANA@acme.example' },
        ])),
      );
    },
  };
  ts = await createTeamState({ database: ':memory:', connectors: [connector] });
  await ts.import({ format: 'teamstate.bundle/v1', people: [{ id: 'ben', name: 'Ben', accounts: [{ provider: 'github', id: 'ben' }] }] });
  const write = ts.store.write.bind(ts.store);
  const spy = vi.spyOn(ts.store, 'write').mockImplementation((fn) =>
    write((tx) =>
      fn(
        new Proxy(tx, {
          get(target, key) {
            if (key === 'execute')
              return (stmt: InStatement) => {
                if (typeof stmt === 'object') statements.push({ sql: stmt.sql, args: [...((stmt.args as unknown[]) ?? [])] });
                return target.execute(stmt);
              };
            const value = target[key as keyof Transaction];
            return typeof value === 'function' ? value.bind(target) : value;
          },
        }),
      ),
    ),
  );
  expect((await ts.sync()).ok).toBe(true);
  spy.mockRestore();
});
afterAll(() => ts.close());

describe('resolvePeople', () => {
  it('links by email, case-insensitively, and by an override of the login, as before', () => {
    expect(linked).toEqual(['ana', 'ben', 'ana']);
  });

  it('seeks people by email and accounts by login', async () => {
    const lookups = statements.filter(({ sql }) => /FROM people WHERE workspace = \? AND email|login = \?3/.test(sql));
    expect(lookups.length).toBeGreaterThanOrEqual(2);
    for (const { sql, args } of lookups) {
      const plan = (await ts.store.execute(`EXPLAIN QUERY PLAN ${sql}`, args as string[])).rows.map((row) => String(row.detail));
      expect(plan.join('\n'), sql).not.toMatch(/^SCAN (?!\(subquery)|\((?:workspace=\? AND provider=\?|workspace=\?)\)$/m);
      expect(plan.join('\n'), sql).toMatch(/people_email_idx|accounts_login_idx/);
    }
  });
});
