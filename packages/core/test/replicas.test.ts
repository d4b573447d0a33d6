import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTeamState, migrateDatabase, type TeamState, TeamStateError } from '../src/index.js';
import { createTestConnector, createTestWorld, executionsOf, mergeProposal, teamBundle, testPolicy } from './fixtures/test-connector.js';
import { applyOlderSchema } from './helpers/older-schema.js';
import { type SqldServer, startSqld } from './helpers/sqld.js';

// Embedded replicas of a real libSQL server (sqld on 127.0.0.1, with JWT auth as in production): reads local, writes to
// the primary, and a decision made through one replica seen by a wait() on another.

let sqld: SqldServer;
let folder: string;
const opened: TeamState[] = [];
let counter = 0;

beforeAll(async () => {
  sqld = await startSqld({ auth: true });
  folder = mkdtempSync(join(tmpdir(), 'teamstate-replicas-'));
});
afterAll(async () => {
  await sqld.stop();
  rmSync(folder, { recursive: true, force: true });
});
afterEach(async () => {
  for (const ts of opened.splice(0)) await ts.close();
});

/** A new replica file of the shared primary, opened as one more machine would. */
async function replica(options: { workspace: string; syncInterval?: number; world?: ReturnType<typeof createTestWorld> }) {
  const ts = await createTeamState({
    database: {
      url: `file:${join(folder, `replica-${++counter}.db`)}`,
      syncUrl: sqld.url,
      authToken: sqld.token,
      syncInterval: options.syncInterval,
    },
    workspace: options.workspace,
    connectors: options.world ? [createTestConnector(options.world)] : [],
    policy: testPolicy,
    approvals: { pollIntervalMs: 50 },
  });
  opened.push(ts);
  return ts;
}

/** What a refused call threw. */
async function refusal(promise: Promise<unknown>): Promise<TeamStateError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(TeamStateError.isInstance(error), `expected a TeamStateError, got ${String(error)}`).toBe(true);
  return error as TeamStateError;
}

describe('embedded replicas of one primary', () => {
  it('reads from the local file, writes to the primary, and sees the other replicas after syncing', async () => {
    const a = await replica({ workspace: 'rw' });
    const b = await replica({ workspace: 'rw', syncInterval: 0.2 });
    expect(a.store.kind).toBe('replica');
    expect(a.store.url).toMatch(/^file:.*replica-\d+\.db$/);
    await a.import(teamBundle);
    // Read-your-writes: the writer's own replica has its write at once.
    expect((await a.people.list()).map((p) => p.id)).toContain('ana');
    // The primary has it (the write went there), read over its own API.
    const primary = createClient({ url: sqld.url, authToken: sqld.token });
    const rows = await primary.execute("SELECT count(*) AS n FROM people WHERE workspace = 'rw'");
    primary.close();
    expect(Number(rows.rows[0]!.n)).toBe(teamBundle.people.length);
    // The other replica catches up within its sync interval, without being asked.
    await expect.poll(async () => (await b.people.list()).length, { timeout: 5_000, interval: 100 }).toBe(teamBundle.people.length);
  });

  it('releases a wait() on one replica when an approver decides on another, and executes the action exactly once', async () => {
    const world = createTestWorld({ recordFile: join(folder, 'executions.jsonl') });
    // No background sync at all on the waiter: wait() itself has to bring the decision in.
    const waiter = await replica({ workspace: 'wait', world, syncInterval: 3600 });
    const decider = await replica({ workspace: 'wait', syncInterval: 3600 });
    await waiter.import(teamBundle);
    const proposed = await waiter.actions.propose(mergeProposal(42));
    const waiting = waiter.approvals.wait(proposed.id, { timeoutMs: 10_000 });
    // The decider's replica has not seen the proposal yet (no background sync): decide() catches up first.
    await decider.approvals.decide(proposed.id, { decision: 'approve', by: 'ana' });
    const done = await waiting;
    expect(done.status).toBe('executed');
    expect(done.decidedBy).toBe('ana');
    expect(executionsOf(world).filter((e) => e.approvalId === proposed.id)).toHaveLength(1);
    await decider.store.sync();
    expect((await decider.approvals.get(proposed.id))?.status).toBe('executed');
    expect((await decider.audit.verify()).ok).toBe(true);
  });
});

describe('one replica file per process', () => {
  it('gives a second user of the same url its own file beside it, and the first file back once it is free', async () => {
    const url = join(folder, 'shared-url', 'replica.db');
    const open = async () => {
      const ts = await createTeamState({ database: { url, syncUrl: sqld.url, authToken: sqld.token }, workspace: 'slots' });
      opened.push(ts);
      return ts;
    };
    const first = await open();
    const second = await open();
    expect(first.store.url).toBe(`file:${url}`);
    expect(second.store.url).toBe(`file:${join(folder, 'shared-url', 'replica-2.db')}`);
    // Both are full replicas of the primary: a write through one is read from the other once it has synced.
    await first.import(teamBundle);
    await second.store.sync();
    expect(await second.people.list()).toHaveLength(teamBundle.people.length);
    await first.close();
    const third = await open();
    expect(third.store.url).toBe(`file:${url}`);
    expect(await third.people.list()).toHaveLength(teamBundle.people.length);
  });

  it('takes over the file of a process that died without letting go of it', async () => {
    const url = join(folder, 'stale', 'replica.db');
    mkdirSync(join(folder, 'stale'));
    // A pid that cannot be running: the lock of a crashed process.
    writeFileSync(`${url}-teamstate.lock`, '2147483646');
    const ts = await createTeamState({ database: { url, syncUrl: sqld.url, authToken: sqld.token } });
    opened.push(ts);
    expect(ts.store.url).toBe(`file:${url}`);
    await ts.close();
    // Left by an earlier process that had this process's pid (a container restarted on a kept volume).
    writeFileSync(`${url}-teamstate.lock`, String(process.pid));
    const restarted = await createTeamState({ database: { url, syncUrl: sqld.url, authToken: sqld.token } });
    opened.push(restarted);
    expect(restarted.store.url).toBe(`file:${url}`);
  });
});

describe('a replica file that is not a replica of this primary', () => {
  it('refuses an ordinary database file, and a replica of another primary, naming the file and what to do', async () => {
    const plain = join(folder, `plain-${++counter}.db`);
    await (await createTeamState({ database: plain })).close();
    const ordinary = await refusal(createTeamState({ database: { url: plain, syncUrl: sqld.url, authToken: sqld.token } }));
    expect(ordinary.code).toBe('invalid_config');
    expect(ordinary.message).toContain(`database.url: ${plain} is not an embedded replica of this primary`);
    const other = await startSqld();
    try {
      const url = join(folder, `elsewhere-${++counter}.db`);
      await (await createTeamState({ database: { url, syncUrl: other.url } })).close();
      const wrong = await refusal(createTeamState({ database: { url, syncUrl: sqld.url, authToken: sqld.token } }));
      expect(wrong.message).toBe(
        `database.url: ${url} is a replica of ${other.url}, not of ${sqld.url}; delete it (and its -wal, -shm, -info, -client_wal_index and -teamstate.json files: it is only a copy) or give this primary another url`,
      );
      const again = await createTeamState({ database: { url, syncUrl: other.url } });
      await again.close();
    } finally {
      await other.stop();
    }
  });
});

describe('a replica that cannot reach its primary', () => {
  let notSqld: Server;
  let notSqldUrl: string;
  beforeAll(async () => {
    notSqld = createServer((_req, res) => {
      res.statusCode = 404;
      res.end('not found');
    });
    await new Promise<void>((resolve) => notSqld.listen(0, '127.0.0.1', resolve));
    notSqldUrl = `http://127.0.0.1:${(notSqld.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => notSqld.close(() => resolve())));

  const open = (syncUrl: string, authToken?: string) =>
    createTeamState({ database: { url: `file:${join(folder, `bad-${++counter}.db`)}`, syncUrl, authToken } });

  it('refuses a token the primary does not accept, with one clear error that never shows the token', async () => {
    const error = await refusal(open(sqld.url, 'not-the-right-token-1234567'));
    expect(error.code).toBe('store_unauthorized');
    expect(error.message).toContain('database.syncUrl');
    expect(error.message).toContain('refused the auth token');
    expect(error.message).not.toContain('not-the-right-token-1234567');
    expect((await refusal(open(sqld.url))).code).toBe('store_unauthorized');
  });

  it('refuses a syncUrl where nothing listens, or where something that is not a libSQL server answers', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    const closed = await refusal(open(`http://127.0.0.1:${port}`, sqld.token));
    expect(closed.code).toBe('store_unavailable');
    expect(closed.message).toBe(
      `database.syncUrl: the libSQL server at http://127.0.0.1:${port} is unreachable (ECONNREFUSED); check the URL and that the server is running, then try again`,
    );
    const wrong = await refusal(open(notSqldUrl, sqld.token));
    expect(wrong.code).toBe('store_unavailable');
    expect(wrong.message).toContain('answered HTTP 404, so it is not a libSQL server');
    expect(wrong.message).not.toContain(sqld.token!);
  });

  it('says the same of a libSQL server opened directly: a refused token, a server that is not there', async () => {
    const token = await refusal(createTeamState({ database: sqld.url, authToken: 'not-the-right-token-1234567' }));
    expect(token.code).toBe('store_unauthorized');
    expect(token.message).toBe(
      `could not open database ${sqld.url}: the libSQL server at ${sqld.url} refused the auth token; set a valid token in TEAMSTATE_DB_AUTH_TOKEN (or database.authToken)`,
    );
    const down = await startSqld();
    await down.kill();
    const gone = await refusal(createTeamState({ database: down.url }));
    expect(gone.code).toBe('store_unavailable');
    expect(gone.message).toMatch(
      /the libSQL server http:\/\/127\.0\.0\.1:\d+ is unreachable \(.+\): nothing was written; try again once it is back$/,
    );
    await down.stop();
  });

  it('refuses replica options that cannot work, naming the field', async () => {
    const memory = await refusal(createTeamState({ database: { url: ':memory:', syncUrl: sqld.url } }));
    expect(memory.message).toMatch(/^database\.url: an embedded replica is a local file/);
    const scheme = await refusal(createTeamState({ database: { url: join(folder, 'x.db'), syncUrl: 'ftp://host/db' } }));
    expect(scheme.message).toMatch(/^database\.syncUrl: expected the libSQL server's URL/);
    const interval = await refusal(createTeamState({ database: { url: join(folder, 'y.db'), syncUrl: sqld.url, syncInterval: -1 } }));
    expect(interval.message).toBe('database.syncInterval: expected a positive number of seconds, got -1');
  });
});

describe('the schema of a shared primary', () => {
  let server: SqldServer;
  beforeAll(async () => {
    server = await startSqld();
  });
  afterAll(async () => server.stop());

  it('never migrates an older non-empty primary implicitly: refused with the migration to run, until migrate has run', async () => {
    const { client, missing: last } = await applyOlderSchema(server.url);
    const before = (await client.execute('SELECT tag FROM __teamstate_migrations')).rows.length;
    for (const database of [server.url, { url: join(folder, `old-${++counter}.db`), syncUrl: server.url }]) {
      const error = await refusal(createTeamState({ database }));
      expect(error.code).toBe('schema_outdated');
      expect(error.message).toContain(`pending migration: ${last}`);
      expect(error.message).toContain('run `teamstate migrate` once against it');
    }
    // Nothing was applied by the refused opens.
    expect((await client.execute('SELECT tag FROM __teamstate_migrations')).rows).toHaveLength(before);
    expect(await migrateDatabase({ database: server.url, dryRun: true })).toMatchObject({
      database: server.url,
      applied: [],
      pending: [last],
    });
    const migrated = await migrateDatabase({ database: server.url });
    expect(migrated).toMatchObject({ database: server.url, applied: [last], pending: [last] });
    expect(migrated.backfills.every((backfill) => backfill.finished)).toBe(true);
    expect(await migrateDatabase({ database: server.url })).toMatchObject({ database: server.url, applied: [], pending: [] });
    const ts = await createTeamState({ database: server.url });
    opened.push(ts);
    await ts.import(teamBundle);
    // A database migrated by a newer teamstate is refused too: this version would not know its columns.
    await client.execute("INSERT INTO __teamstate_migrations VALUES ('9999_from_the_future', 0)");
    const newer = await refusal(createTeamState({ database: server.url }));
    expect(newer.code).toBe('schema_mismatch');
    expect(newer.message).toContain('9999_from_the_future');
    expect(newer.message).toContain('upgrade teamstate');
    client.close();
  });

  it('sets up an empty primary on first open, and refuses one that holds something else', async () => {
    const fresh = await startSqld();
    try {
      const ts = await createTeamState({ database: { url: join(folder, `fresh-${++counter}.db`), syncUrl: fresh.url } });
      opened.push(ts);
      await ts.import(teamBundle);
      expect(await ts.people.list()).toHaveLength(teamBundle.people.length);
    } finally {
      await fresh.stop();
    }
    const foreign = await startSqld();
    try {
      const client = createClient({ url: foreign.url });
      await client.execute('CREATE TABLE invoices (id INTEGER PRIMARY KEY)');
      client.close();
      const error = await refusal(createTeamState({ database: foreign.url }));
      expect(error.code).toBe('schema_mismatch');
      expect(error.message).toContain('is not a teamstate database (it holds invoices)');
    } finally {
      await foreign.stop();
    }
  });
});

describe('a primary that goes down', () => {
  it('reports one clear error on writes while it is down, keeps answering reads from the replica, and resumes', async () => {
    const server = await startSqld();
    try {
      const ts = await createTeamState({ database: { url: join(folder, `down-${++counter}.db`), syncUrl: server.url }, workspace: 'down' });
      opened.push(ts);
      await ts.import(teamBundle);
      await server.kill();
      const error = await refusal(ts.import({ format: 'teamstate.bundle/v1', teams: [{ id: 'ops', name: 'Ops' }] }));
      expect(error.code).toBe('store_unavailable');
      expect(error.message).toMatch(
        /^the libSQL server http:\/\/127\.0\.0\.1:\d+ is unreachable \(.*\): nothing was written; reads from the embedded replica still work/,
      );
      expect((await ts.teams.list()).map((t) => t.id)).toEqual(['leads', 'payments']);
      await server.restart();
      await ts.import({ format: 'teamstate.bundle/v1', teams: [{ id: 'ops', name: 'Ops' }] });
      expect((await ts.teams.list()).map((t) => t.id)).toEqual(['leads', 'ops', 'payments']);
    } finally {
      await server.stop();
    }
  });
});
