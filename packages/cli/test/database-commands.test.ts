import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acmeBundle } from '../../core/test/fixtures/acme-bundle.js';
import { applyOlderSchema, beforeDietDatabase } from '../../core/test/helpers/older-schema.js';
import { type SqldServer, startSqld } from '../../core/test/helpers/sqld.js';
import { demoDatabase, runCli, spawnCliAsync } from './run-cli.js';

// `teamstate migrate`, `teamstate backup` and a config whose database is an embedded replica, against the built CLI.

const dir = mkdtempSync(join(tmpdir(), 'teamstate-db-commands-'));
const NOW = '2026-11-21T10:00:00Z';
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('teamstate backup', () => {
  it('writes a consistent copy that opens with the same data and an intact ledger, and never overwrites without --force', async () => {
    const db = join(dir, 'live.db');
    expect((await demoDatabase(db, NOW)).code).toBe(0);
    const backup = await runCli(['--db', db, 'backup', 'copy.db'], { cwd: dir });
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(new RegExp(`^Backed up file:${db} to ${join(dir, 'copy.db')} \\(\\d+ bytes\\)\\n$`));
    // Restoring: the copy is a complete database.
    const copy = join(dir, 'copy.db');
    const verify = await runCli(['--db', copy, 'audit', 'verify', '--json']);
    expect(verify.code, verify.stderr).toBe(0);
    const original = await runCli(['--db', db, 'audit', 'verify', '--json']);
    expect(JSON.parse(verify.stdout)).toEqual(JSON.parse(original.stdout));
    expect(JSON.parse(verify.stdout).ok).toBe(true);
    expect((await runCli(['--db', copy, 'export'])).stdout).toBe((await runCli(['--db', db, 'export'])).stdout);
    // An existing file is refused, untouched, until --force.
    writeFileSync(join(dir, 'taken.db'), 'keep me');
    const refused = await runCli(['--db', db, 'backup', join(dir, 'taken.db')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `error: backup: ${join(dir, 'taken.db')} already exists; choose another file, or pass --force to replace it\n`,
    );
    expect(readFileSync(join(dir, 'taken.db'), 'utf8')).toBe('keep me');
    const forced = await runCli(['--db', db, 'backup', join(dir, 'taken.db'), '--force', '--json']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(forced.stdout)).toEqual({ database: `file:${db}`, file: join(dir, 'taken.db'), bytes: expect.any(Number) });
    expect((await runCli(['--db', join(dir, 'taken.db'), 'audit', 'verify'])).code).toBe(0);
  });

  it('creates the folders of the copy it writes, as `backup backups/x.db` in the help suggests', async () => {
    const db = join(dir, 'nested.db');
    const cwd = mkdtempSync(join(dir, 'cwd-'));
    expect((await demoDatabase(db, NOW)).code).toBe(0);
    const backup = await runCli(['--db', db, 'backup', 'backups/2026/x.db'], { cwd });
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(new RegExp(`^Backed up file:${db} to ${join(cwd, 'backups', '2026', 'x.db')} \\(\\d+ bytes\\)\\n$`));
    expect((await runCli(['--db', join(cwd, 'backups', '2026', 'x.db'), 'audit', 'verify'])).code).toBe(0);
    // A file where a folder should be: one error naming it, nothing written.
    writeFileSync(join(cwd, 'plain'), 'a file');
    const refused = await runCli(['--db', db, 'backup', 'plain/x.db'], { cwd });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`^error: backup: could not create the folder ${join(cwd, 'plain')}: .+\\n$`));
    expect(readFileSync(join(cwd, 'plain'), 'utf8')).toBe('a file');
  });

  it('copies the database while another process is writing to it', async () => {
    const db = join(dir, 'busy.db');
    const bundle = join(dir, 'acme.json');
    writeFileSync(bundle, JSON.stringify(acmeBundle()));
    expect((await demoDatabase(db, NOW)).code).toBe(0);
    const importing = spawnCliAsync(['--db', db, 'import', bundle], { cwd: dir });
    const backup = await runCli(['--db', db, 'backup', join(dir, 'busy-copy.db')]);
    expect(backup.code, backup.stderr).toBe(0);
    expect((await importing).code).toBe(0);
    // Either before or after the import, never half of it: the copy opens and its ledger verifies.
    expect((await runCli(['--db', join(dir, 'busy-copy.db'), 'audit', 'verify'])).code).toBe(0);
    const people = async (database: string) => JSON.parse((await runCli(['--db', database, 'export'])).stdout).people.length;
    expect([20, await people(db)]).toContain(await people(join(dir, 'busy-copy.db')));
  });
});

describe('teamstate migrate --status and batched rewrites', () => {
  it('reports what is applied, what is pending and how far a batched rewrite is, a batch at a time', async () => {
    // A file written before the storage diet (every migration up to 0062) whose person_activity has 3,000 rows to narrow.
    const db = join(dir, 'before-diet.db');
    await beforeDietDatabase(db, 1500);
    const narrow = '0064_person_activity_narrow';

    const before = await runCli(['--db', db, 'migrate', '--status', '--json']);
    expect(before.code, before.stderr).toBe(0);
    const status = JSON.parse(before.stdout);
    expect(status.applied.at(-1)).toBe('0062_pulse_alerts');
    // Every migration after 0062 is pending; the later ones (from 0065) only drop or narrow indexes.
    const pending: string[] = status.pending;
    expect(pending.slice(0, 2)).toEqual(['0063_delivery_settings_digest', narrow]);
    expect(status.backfills).toEqual([]);

    const first = await runCli(['--db', db, 'migrate', '--batch-rows', '1000', '--max-batches', '1', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const indexes = '0069_work_items_narrow';
    const dropped = '0072_person_activity_drop';
    // After the rewrite of person_activity, in migration order: indexes of the items dropped, narrowed and built again
    // after the first open (each over the 1,500 items), indexes of tables this file has no rows in (reviews,
    // transitions, deployments) dropped inside the migration, 0070's delete of the stored moves of issues (none here,
    // done at once), then person_activity itself: its indexes, its 3,000 rows in batches, then the table.
    const after = (items: number, activity: number) => {
      const step = (tag: string, ordinal: number, total: number, done: number) => ({ tag, ordinal, done, total, finished: done === total });
      return [
        step('0065_work_items_diet', 0, 1500, items),
        step('0066_work_items_partial', 0, 1500, items),
        step('0066_work_items_partial', 1, 1500, items),
        step('0067_reviews_item_index', 0, 0, 0),
        step('0068_transitions_at_index', 0, 0, 0),
        ...[0, 1, 2, 3].map((ordinal) => step(indexes, ordinal, 1500, items)),
        step('0070_person_activity_moves', 0, 0, 0),
        ...[0, 1, 2].map((ordinal) => step('0071_dropped_indexes', ordinal, 0, 0)),
        ...[0, 1, 2].map((ordinal) => step(dropped, ordinal, 3000, activity)),
        // The tables kept in their primary key since 0073 and 0074, rebuilt inside the migration: this file has no rows in them.
        ...[0, 1].map((ordinal) => step('0073_transitions_without_rowid', ordinal, 0, 0)),
        ...[0, 1, 2, 3, 4, 5].map((ordinal) => step('0074_link_tables_without_rowid', ordinal, 0, 0)),
        // 0075's two indexes of the items narrowed again after the first open, each over the 1,500 items.
        ...[0, 1].map((ordinal) => step('0075_work_items_partial_status', ordinal, 1500, items)),
        // reviews kept in its primary key since 0076, rebuilt inside the migration: no rows here either.
        ...[0, 1].map((ordinal) => step('0076_reviews_without_rowid', ordinal, 0, 0)),
      ];
    };
    expect(JSON.parse(first.stdout)).toMatchObject({
      applied: pending,
      backfills: [{ tag: narrow, ordinal: 0, done: 1000, total: 3000, finished: false }, ...after(0, 0)],
    });
    const text = await runCli(['--db', db, 'migrate', '--status']);
    expect(text.stdout).toContain(`, 0 pending\nbatched rewrites:\n  ${narrow}: 1,000 of 3,000 rows (33%, running)\n`);
    expect(text.stdout).toContain(`  ${indexes}: 0 of 1,500 rows (0%, running)\n`);
    const during = JSON.parse((await runCli(['--db', db, 'migrate', '--status', '--json'])).stdout);
    expect(during.applied.slice(-pending.length)).toEqual(pending);
    expect(during.pending).toEqual([]);

    const refused = await runCli(['--db', db, 'migrate', '--max-batches', '0']);
    expect([refused.code, refused.stderr]).toEqual([2, 'error: --max-batches: expected a whole number of at least 1, got "0"\n']);

    const rest = await runCli(['--db', db, 'migrate', '--json']);
    expect(JSON.parse(rest.stdout).backfills).toEqual([
      { tag: narrow, ordinal: 0, done: 3000, total: 3000, finished: true },
      ...after(1500, 3000),
    ]);
    const done = (await runCli(['--db', db, 'migrate', '--status'])).stdout;
    expect(done).toContain(`  ${narrow}: 3,000 of 3,000 rows (done)\n`);
    expect(done).toContain(`  ${indexes}: 1,500 of 1,500 rows (done)\n`);
  });
});

describe('teamstate migrate and a shared primary', () => {
  let sqld: SqldServer;
  beforeAll(async () => {
    sqld = await startSqld({ auth: true });
  });
  afterAll(async () => sqld.stop());
  const env = () => ({ TEAMSTATE_DB_AUTH_TOKEN: sqld.token! });

  it('sets up an empty primary from import; refuses an older one everywhere until `teamstate migrate` has run', async () => {
    const bundle = join(dir, 'acme-shared.json');
    writeFileSync(bundle, JSON.stringify(acmeBundle()));
    const { client, missing: last } = await applyOlderSchema(sqld.url, sqld.token);
    for (const args of [['import', bundle], ['--now', NOW, 'demo'], ['signals']]) {
      const refused = await runCli(['--db', sqld.url, ...args], { env: env() });
      expect(refused.code, args.join(' ')).toBe(1);
      expect(refused.stderr).toContain(`pending migration: ${last}`);
      expect(refused.stderr).toContain('run `teamstate migrate` once against it');
      expect(refused.stderr).not.toContain(sqld.token!);
    }
    const dry = await runCli(['--db', sqld.url, 'migrate', '--dry-run'], { env: env() });
    expect(dry.stdout).toBe(`${sqld.url}: 1 pending (not applied, --dry-run):\n  ${last}\n`);
    const migrated = await runCli(['--db', sqld.url, 'migrate', '--json'], { env: env() });
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(JSON.parse(migrated.stdout)).toEqual({ database: sqld.url, applied: [last], pending: [last], backfills: expect.any(Array) });
    expect((await runCli(['--db', sqld.url, 'migrate'], { env: env() })).stdout).toBe(
      `✓ ${sqld.url} is up to date: no pending migrations\n`,
    );
    const imported = await runCli(['--db', sqld.url, 'import', bundle], { env: env() });
    expect(imported.code, imported.stderr).toBe(0);
    client.close();
  });

  it('runs on an embedded replica set up in the config file, and a wrong token is one clear error', async () => {
    const config = (authToken: string) =>
      `database:\n  url: replica.db\n  syncUrl: ${sqld.url}\n  authToken: ${authToken}\n  syncInterval: 1\nworkspace: replica-cli\n`;
    const folder = mkdtempSync(join(dir, 'laptop-'));
    writeFileSync(join(folder, 'teamstate.config.yaml'), config('${TEAMSTATE_DB_AUTH_TOKEN}'));
    const demo = await runCli(['--now', NOW, 'demo'], { cwd: folder, env: env() });
    expect(demo.code, demo.stderr).toBe(0);
    // The replica's file is next to the config; reads come from it.
    expect(existsSync(join(folder, 'replica.db'))).toBe(true);
    const check = await runCli(['config', 'check'], { cwd: folder, env: env() });
    expect(check.stdout).toContain(`database   file:${join(folder, 'replica.db')} (embedded replica of ${sqld.url})`);
    expect(check.stdout).not.toContain(sqld.token!);
    // A second machine: its own replica, the first one's data.
    const other = mkdtempSync(join(dir, 'laptop-'));
    writeFileSync(join(other, 'teamstate.config.yaml'), config('${TEAMSTATE_DB_AUTH_TOKEN}'));
    const signals = await runCli(['signals', '--json'], { cwd: other, env: env() });
    expect(signals.code, signals.stderr).toBe(0);
    expect(JSON.parse(signals.stdout).signals.length).toBeGreaterThan(0);
    // A backup of a replica is taken on the server, and says so.
    const backup = await runCli(['backup', 'x.db'], { cwd: other, env: env() });
    expect(backup.code).toBe(1);
    expect(backup.stderr).toContain('is an embedded replica, whose data lives on the server');
    const wrong = await runCli(['signals'], { cwd: other, env: { TEAMSTATE_DB_AUTH_TOKEN: 'wrong-token-0123456789' } });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe(
      `error: database.syncUrl: the libSQL server at ${sqld.url} refused the auth token (HTTP 401); set a valid token in database.authToken or TEAMSTATE_DB_AUTH_TOKEN\n`,
    );
  });
});
