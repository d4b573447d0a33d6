import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BundleInput, createTeamState, type MetricCalculator, type TeamState, ValidationError } from '@teamstate/core';
import { deliverySettingsKey, RECORD_TABLES, sql } from '@teamstate/core/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBundle } from '../src/bundle.js';
import { writeBundle } from '../src/records/bundle/write-bundle.js';
import { acmeBundle } from './fixtures/acme-bundle.js';
import { runScript } from './helpers/child-process.js';
import { type SqldServer, startSqld } from './helpers/sqld.js';

interface Backend {
  name: string;
  database(): string;
  before?(): Promise<void>;
  after?(): Promise<void>;
}

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'teamstate-store-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

let sqld: SqldServer | undefined;
const backends: Backend[] = [
  { name: 'temp file', database: () => `file:${join(tempDir(), 'nested', 'teamstate.db')}` },
  { name: ':memory:', database: () => ':memory:' },
  {
    name: 'sqld (libSQL server on 127.0.0.1)',
    database: () => sqld!.url,
    before: async () => {
      sqld = await startSqld();
    },
    after: async () => sqld?.stop(),
  },
];

/**
 * Every row of every record table, all workspaces: "the store exactly as it was". One read batch: one consistent read,
 * and one round trip to a libSQL server instead of one per table (most of a refusal test's time there).
 */
async function snapshot(ts: TeamState): Promise<Record<string, unknown[]>> {
  const results = await ts.store.client.batch(
    RECORD_TABLES.map((table) => `SELECT * FROM ${table} ORDER BY 1, 2, 3`),
    'read',
  );
  return Object.fromEntries(RECORD_TABLES.map((table, i) => [table, results[i]!.rows.map((r) => ({ ...r }))]));
}

let workspaceCounter = 0;

describe.each(backends)('store contract: $name', (backend) => {
  beforeAll(async () => backend.before?.());
  afterAll(async () => backend.after?.());

  // Each test gets its own workspace, so tests sharing one server cannot see each other.
  async function open(workspace = `ws${++workspaceCounter}`, database = backend.database()) {
    return createTeamState({ database, workspace, clock: () => new Date('2026-03-10T00:00:00Z') });
  }

  it('applies the migrations from empty and again without change', async () => {
    const database = backend.database();
    const ts = await open(undefined, database);
    const tables = (await ts.store.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).rows.map((r) =>
      String(r.name),
    );
    expect(tables).toEqual(
      expect.arrayContaining([
        ...RECORD_TABLES,
        'approvals',
        'audit_events',
        'signals',
        'sync_cursors',
        'webhook_deliveries',
        '__teamstate_migrations',
      ]),
    );
    const applied = (await ts.store.execute('SELECT tag FROM __teamstate_migrations')).rows.map((r) => String(r.tag));
    expect(applied).toContain('0000_initial');
    await ts.close();
    if (database !== ':memory:') {
      const again = await open(undefined, database);
      expect((await again.store.execute('SELECT count(*) AS n FROM __teamstate_migrations')).rows[0]!.n).toBe(applied.length);
      await again.close();
    }
  });

  it('round-trips a bundle: import, export, import elsewhere, export gives the same document', async () => {
    const a = await open();
    await a.import(acmeBundle());
    const first = await a.export();
    const b = await open();
    await b.import(first);
    expect(await b.export()).toEqual(first);
    // Offsets are normalized to UTC instants.
    const pr = first.workItems.find((item) => item.id === 'pr-1')!;
    expect(pr.createdAt).toBe('2026-03-02T09:00:00.000Z');
    expect(pr.firstCommitAt).toBe('2026-03-01T21:30:00.000Z');
    expect(pr.reviews).toHaveLength(3);
    expect(first.people.find((p) => p.id === 'ana')!.accounts).toHaveLength(3);
    expect(first.deployments.find((d) => d.id === 'dep-2')!.pullRequests).toBeUndefined();
    expect(first.deployments.find((d) => d.id === 'dep-3')!.pullRequests).toEqual([]);
    // The export is itself a valid bundle equal to the normalized input.
    expect(parseBundle(first)).toEqual(first);
    await a.close();
    await b.close();
  });

  it('re-importing the same bundle changes nothing', async () => {
    const ts = await open();
    const first = await ts.import(acmeBundle());
    expect(first.changes).toBeGreaterThan(0);
    expect(first.records.workItems).toBe(4);
    const before = await snapshot(ts);
    const again = await ts.import(acmeBundle());
    expect(again.changes).toBe(0);
    expect(await snapshot(ts)).toEqual(before);
    await ts.close();
  });

  it('updates changed records and replaces child lists that are given', async () => {
    const ts = await open();
    await ts.import(acmeBundle());
    const changed = acmeBundle();
    const pr = changed.workItems!.find((item) => item.id === 'pr-1')!;
    pr.title = 'Add idempotency keys (v2)';
    pr.reviews = [{ reviewer: 'ben', state: 'approved', submittedAt: '2026-03-03T08:00:00Z' }];
    const result = await ts.import({ format: 'teamstate.bundle/v1', workItems: [pr] });
    expect(result.changes).toBeGreaterThan(0);
    const stored = await ts.workItems.get('pr-1');
    expect(stored!.title).toBe('Add idempotency keys (v2)');
    expect(stored!.reviews).toEqual([{ reviewer: 'ben', state: 'approved', submittedAt: '2026-03-03T08:00:00.000Z' }]);
    await ts.close();
  });

  it('sets exactly the members a team lists, leaving other teams as they are', async () => {
    const ts = await open();
    await ts.import(acmeBundle());
    expect((await ts.teams.get('payments'))!.members).toEqual(['ana', 'ben']);
    await ts.import({ format: 'teamstate.bundle/v1', teams: [{ id: 'payments', name: 'Payments', members: ['ben', 'cleo'] }] });
    expect((await ts.teams.get('payments'))!.members).toEqual(['ben', 'cleo']);
    expect((await ts.teams.get('leads'))!.members).toEqual(['ana']);
    const error = await ts
      .import({ format: 'teamstate.bundle/v1', teams: [{ id: 'payments', name: 'Payments', members: ['zoe'] }] })
      .catch((e: unknown) => e);
    expect((error as ValidationError).issues).toEqual([
      { path: 'teams[0].members[0]', message: expect.stringMatching(/person "zoe" is not defined/) },
    ]);
    await ts.close();
  });

  it('isolates workspaces: one never sees or changes another, even with the same ids', async () => {
    const ts = await open();
    // Another workspace in the same database holds the same ids with other values.
    const other = parseBundle(acmeBundle());
    other.teams[0]!.name = 'Payments (other)';
    await ts.store.write((tx) => writeBundle(tx, `${ts.workspace}-other`, other, 0));
    expect(await ts.people.list()).toEqual([]);
    expect((await ts.workItems.list()).items).toEqual([]);
    expect(await ts.teams.list()).toEqual([]);
    expect((await ts.export()).workItems).toEqual([]);
    // Importing here neither conflicts with nor changes the other workspace's rows.
    const result = await ts.import(acmeBundle());
    expect(result.records.people).toBe(3);
    expect((await ts.teams.get('payments'))!.name).toBe('Payments');
    expect((await ts.people.list()).map((p) => p.id)).toEqual(['ana', 'ben', 'cleo']);
    const names = await ts.store.execute(
      "SELECT workspace, name FROM teams WHERE id = 'payments' AND workspace IN (?, ?) ORDER BY workspace",
      [ts.workspace, `${ts.workspace}-other`],
    );
    expect(names.rows.map((r) => [r.workspace, r.name])).toEqual([
      [ts.workspace, 'Payments'],
      [`${ts.workspace}-other`, 'Payments (other)'],
    ]);
    await ts.close();
  });

  type Corrupt = (b: BundleInput & Record<string, unknown>) => unknown;
  // Applies an in-place change to the bundle and returns it.
  const edit =
    (change: (b: BundleInput & Record<string, unknown>) => unknown): Corrupt =>
    (b) => {
      change(b);
      return b;
    };
  const invalid: [string, (b: BundleInput & Record<string, unknown>) => unknown, string, RegExp][] = [
    ['not an object', () => [1, 2], '', /expected a JSON object/],
    ['wrong format', (b) => ({ ...b, format: 'teamstate.bundle/v2' }), 'format', /teamstate\.bundle\/v1/],
    ['missing format', ({ format: _, ...rest }) => rest, 'format', /teamstate\.bundle\/v1/],
    [
      'malformed timestamp',
      edit((b) => {
        b.workItems![0]!.createdAt = 'yesterday';
      }),
      'workItems[0].createdAt',
      /invalid ISO timestamp/,
    ],
    [
      'impossible date',
      edit((b) => {
        b.workItems![0]!.mergedAt = '2026-02-30T10:00:00Z';
      }),
      'workItems[0].mergedAt',
      /invalid ISO timestamp/,
    ],
    [
      'timestamp without offset',
      edit((b) => {
        b.sprints![0]!.startAt = '2026-03-02T09:00:00';
      }),
      'sprints[0].startAt',
      /invalid ISO timestamp/,
    ],
    [
      'unknown kind',
      edit((b) => ((b.workItems![1] as Record<string, unknown>).kind = 'merge_request')),
      'workItems[1].kind',
      /pull_request/,
    ],
    [
      'missing required field',
      edit((b) => {
        delete (b.workItems![2] as Record<string, unknown>).title;
      }),
      'workItems[2].title',
      /required/,
    ],
    ['wrong type', edit((b) => ((b.workItems![0] as Record<string, unknown>).additions = '120')), 'workItems[0].additions', /number/],
    [
      'negative size',
      edit((b) => {
        b.workItems![0]!.deletions = -3;
      }),
      'workItems[0].deletions',
      />=0|too small/i,
    ],
    [
      'unknown key (typo)',
      edit((b) => ((b.workItems![0] as Record<string, unknown>).mergedat = 'x')),
      'workItems[0].mergedat',
      /did you mean "mergedAt"/,
    ],
    [
      'invalid email',
      edit((b) => {
        b.people![1]!.email = 'ben-at-acme';
      }),
      'people[1].email',
      /email/,
    ],
    [
      'repository id not owner/name',
      edit((b) => {
        b.repositories![1]!.id = 'tools';
      }),
      'repositories[1].id',
      /owner\/name/,
    ],
    [
      'dangling person',
      edit((b) => {
        b.workItems![1]!.author = 'zoe';
      }),
      'workItems[1].author',
      /person "zoe" is not defined/,
    ],
    [
      'dangling reviewer',
      edit((b) => {
        b.workItems![0]!.reviews![1]!.reviewer = 'zoe';
      }),
      'workItems[0].reviews[1].reviewer',
      /person "zoe"/,
    ],
    [
      'dangling team of a person',
      edit((b) => {
        b.people![0]!.teams = ['payments', 'growth'];
      }),
      'people[0].teams[1]',
      /team "growth"/,
    ],
    [
      'deployment of an unknown PR',
      edit((b) => {
        b.deployments![0]!.pullRequests = ['pr-404'];
      }),
      'deployments[0].pullRequests[0]',
      /work item "pr-404"/,
    ],
    [
      'incident of an unknown deployment',
      edit((b) => {
        b.incidents![0]!.deployment = 'dep-404';
      }),
      'incidents[0].deployment',
      /deployment "dep-404"/,
    ],
    [
      'duplicate id',
      edit((b) => {
        b.workItems![3]!.id = 'PAY-1';
      }),
      'workItems[3].id',
      /duplicate id "PAY-1" \(first used at workItems\[2\]\)/,
    ],
  ];

  // ts.import(bundle) and ts.importFile(path) (streamed) give the same refusals.
  const importAs = async (ts: TeamState, how: 'import' | 'importFile', bundle: unknown) => {
    if (how === 'import') return ts.import(bundle);
    const file = join(tempDir(), 'bundle.json');
    writeFileSync(file, JSON.stringify(bundle, null, 1));
    return ts.importFile(file);
  };
  it.each(
    invalid.flatMap(([name, ...rest]) => (['import', 'importFile'] as const).map((how) => [`${name} (${how})`, how, ...rest] as const)),
  )('refuses a bundle with %s, naming the field, and leaves the store as it was', async (_name, how, corrupt, path, message) => {
    const ts = await open();
    const seed = acmeBundle();
    seed.workItems = seed.workItems!.slice(0, 2);
    seed.deployments = [];
    seed.incidents = [];
    seed.sprints = [];
    await ts.import(seed);
    const before = await snapshot(ts);
    expect(before.work_items!.length).toBeGreaterThanOrEqual(2);
    const error = await importAs(ts, how, corrupt(acmeBundle() as BundleInput & Record<string, unknown>)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(ValidationError.isInstance(error) && error instanceof ValidationError).toBe(true);
    const issues = (error as ValidationError).issues;
    expect(issues.map((i) => i.path)).toContain(path);
    expect(issues.find((i) => i.path === path)!.message).toMatch(message);
    expect((error as ValidationError).message).toContain(path || '(root)');
    expect(await snapshot(ts)).toEqual(before);
    await ts.close();
  });

  it('lists every problem of a bundle at once', async () => {
    const ts = await open();
    const bundle = acmeBundle();
    bundle.workItems![0]!.createdAt = 'soon';
    bundle.workItems![1]!.draft = 'yes' as unknown as boolean;
    bundle.deployments![1]!.status = 'ok' as 'success';
    const error = (await ts.import(bundle).catch((e: unknown) => e)) as ValidationError;
    expect(error.issues.map((i) => i.path)).toEqual(['workItems[0].createdAt', 'workItems[1].draft', 'deployments[1].status']);
    await ts.close();
  });

  it('rolls a failed write back completely', async () => {
    const ts = await open();
    const before = await snapshot(ts);
    const bundle = parseBundle(acmeBundle());
    await expect(
      ts.store.write(async (tx) => {
        await writeBundle(tx, ts.workspace, bundle, 0);
        throw new Error('crash after writing');
      }),
    ).rejects.toThrow('crash after writing');
    expect(await snapshot(ts)).toEqual(before);
    await ts.close();
  });

  it('pages work items with a cursor and filters them', async () => {
    const ts = await open();
    await ts.import(acmeBundle());
    const first = await ts.workItems.list({ limit: 3 });
    expect(first.items.map((i) => i.id)).toEqual(['pr-2', 'PAY-2', 'pr-1']);
    const second = await ts.workItems.list({ limit: 3, cursor: first.nextCursor });
    expect(second.items.map((i) => i.id)).toEqual(['PAY-1']);
    expect(second.nextCursor).toBeUndefined();
    expect((await ts.workItems.list({ kind: 'pull_request', person: 'ben' })).items.map((i) => i.id)).toEqual(['pr-2']);
    expect((await ts.workItems.list({ team: 'payments', kind: ['story', 'bug'] })).items.map((i) => i.id)).toEqual(['PAY-2', 'PAY-1']);
    expect((await ts.workItems.list({ team: 'payments', kind: 'pull_request' })).items).toHaveLength(2);
    expect((await ts.workItems.get('acme/payments-api#1'))!.id).toBe('pr-1');
    expect((await ts.people.get('anag'))!.id).toBe('ana');
    expect((await ts.people.get('BEN@acme.example'))!.id).toBe('ben');
    await expect(ts.workItems.list({ limit: 501 })).rejects.toThrow(/limit: expected a whole number from 1 to 500/);
    await expect(ts.workItems.list({ cursor: 'nonsense' })).rejects.toThrow(/cursor:/);
    await expect(ts.workItems.list({ updatedSince: 'last week' })).rejects.toThrow(/updatedSince: invalid ISO timestamp/);
    await ts.close();
  });

  it('builds the stored deployment mapping on the first read that needs it, then rebuilds it after a write', async () => {
    // A metric reading the mapping: each merged PR's deploying production deployment.
    const mapped: MetricCalculator = {
      id: 'mapped_pull_requests',
      title: 'Mapped pull requests',
      unit: 'count',
      description: 'Merged pull requests with a deploying production deployment.',
      async compute(db, query) {
        const rows = await db.all<{ pr: string; deployment: string }>(
          sql`SELECT work_item_id AS pr, deployment_id AS deployment FROM pull_request_deployments
            WHERE workspace = ${query.workspace} AND settings = ${deliverySettingsKey(query.settings)} ORDER BY 1`,
        );
        return { value: rows.length, unit: 'count', pairs: rows.map((row) => `${row.pr}→${row.deployment}`) };
      },
    };
    const workspace = `ws${++workspaceCounter}`;
    const ts = await createTeamState({
      database: backend.database(),
      workspace,
      metrics: [mapped],
      clock: () => new Date('2026-03-10T00:00:00Z'),
    });
    const pr = (n: number, mergedAt: string) => ({
      id: `pr-${n}`,
      source: 'github' as const,
      kind: 'pull_request' as const,
      key: `acme/api#${n}`,
      title: `Change ${n}`,
      state: 'merged' as const,
      repository: 'acme/api',
      createdAt: '2026-03-01T00:00:00Z',
      mergedAt,
    });
    const deployment = (id: string, finishedAt: string) => ({
      id,
      repository: 'acme/api',
      environment: 'production',
      status: 'success' as const,
      finishedAt,
    });
    await ts.import({
      format: 'teamstate.bundle/v1',
      teams: [{ id: 'payments', name: 'Payments' }],
      repositories: [{ id: 'acme/api', team: 'payments' }],
      workItems: [pr(1, '2026-03-02T12:00:00Z'), pr(2, '2026-03-04T12:00:00Z')],
      deployments: [deployment('d3', '2026-03-03T00:00:00Z'), deployment('d5', '2026-03-05T00:00:00Z')],
    });
    const window = { from: '2026-03-01T00:00:00Z', to: '2026-03-10T00:00:00Z' };
    const pairs = async () => (await ts.metrics.compute(['mapped_pull_requests'], window)).mapped_pull_requests!.pairs;
    expect(await pairs()).toEqual(['pr-1→d3', 'pr-2→d5']);
    // The first build's indexes are all there afterwards.
    const indexes = await ts.store.execute(
      "SELECT count(*) AS n FROM sqlite_master WHERE type = 'index' AND tbl_name = 'pull_request_deployments' AND sql IS NOT NULL",
    );
    expect(indexes.rows[0]!.n).toBe(5);
    // A day later: a PR merged and a deployment between the two: the next read rebuilds from the earlier one on.
    await ts.import({
      format: 'teamstate.bundle/v1',
      workItems: [pr(3, '2026-03-06T12:00:00Z')],
      deployments: [deployment('d4', '2026-03-04T18:00:00Z'), deployment('d7', '2026-03-07T00:00:00Z')],
    });
    expect(await pairs()).toEqual(['pr-1→d3', 'pr-2→d4', 'pr-3→d7']);
    await ts.close();
  });
});

describe('two processes on one database file', () => {
  it('see each other’s writes, including while both write at once', async () => {
    const dir = tempDir();
    const database = `file:${join(dir, 'shared.db')}`;
    const bundleFile = join(dir, 'bundle.json');
    const child = acmeBundle();
    child.people!.push({ id: 'dora', name: 'Dora Child', teams: ['payments'] });
    writeFileSync(bundleFile, JSON.stringify(child));

    const parent = await createTeamState({ database, workspace: 'shared' });
    expect(await parent.people.list()).toEqual([]);
    const parentBundle = acmeBundle();
    parentBundle.people!.push({ id: 'pete', name: 'Pete Parent' });
    // Both processes write at the same time: the busy timeout makes the second wait instead of failing.
    const [childRun] = await Promise.all([runScript('./store-client.ts', [database, 'import', bundleFile]), parent.import(parentBundle)]);
    expect(childRun.stderr).toBe('');
    expect(childRun.code).toBe(0);
    expect(JSON.parse(childRun.stdout).records.people).toBe(4);
    expect((await parent.people.list()).map((p) => p.id)).toEqual(['ana', 'ben', 'cleo', 'dora', 'pete']);

    await parent.import({ format: 'teamstate.bundle/v1', people: [{ id: 'zed', name: 'Zed Later' }] });
    const reader = await runScript('./store-client.ts', [database, 'people']);
    expect(JSON.parse(reader.stdout)).toEqual(['ana', 'ben', 'cleo', 'dora', 'pete', 'zed']);
    await parent.close();
    expect(readFileSync(join(dir, 'shared.db')).subarray(0, 15).toString()).toBe('SQLite format 3');
  });
});
