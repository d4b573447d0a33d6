import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

// `teamstate knowledge sync|search|who-knows` as a subprocess (issue 19), on a folder of markdown named by the config.
const dir = mkdtempSync(join(tmpdir(), 'teamstate-knowledge-cli-'));
const docs = join(dir, 'docs');
const config = join(dir, 'teamstate.config.yaml');
const db = join(dir, '.teamstate', 'teamstate.db');
const cli = (args: string[]) => runCli(args, { cwd: dir });

beforeAll(() => {
  mkdirSync(join(docs, 'runbooks'), { recursive: true });
  writeFileSync(
    join(docs, 'runbooks', 'rollback.md'),
    '---\ntitle: Rolling back\n---\n\n# Rollback\n\n## With Argo CD\n\nRun `argocd app rollback payments-api <REVISION>`.\n\n## Database\n\nMigrations are not undone.\n',
  );
  writeFileSync(
    join(docs, 'oncall.md'),
    '# On-call\n\n## Escalation\n\nThe secondary is paged after 15 minutes; set `escalation_delay_minutes`.\n',
  );
  writeFileSync(join(docs, 'broken.md'), Buffer.from([0xff, 0xfe, 0x41, 0x00]));
  writeFileSync(join(docs, 'ignored.txt'), 'rollback');
  writeFileSync(config, 'database: .teamstate/teamstate.db\nknowledge:\n  local:\n    paths: [./docs]\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('teamstate knowledge', () => {
  it('sync creates the database, indexes markdown with counts and progress, and warns about the file it skipped', async () => {
    expect(existsSync(db)).toBe(false);
    const first = await cli(['knowledge', 'sync']);
    expect(first.code, first.stderr).toBe(0);
    expect(existsSync(db)).toBe(true);
    expect(first.stdout).toMatch(/knowledge local: 2 added, 0 updated, 0 unchanged, 0 removed, 1 skipped \(\d+ passages written\)/);
    expect(first.stderr).toMatch(/knowledge local: reading files/);
    expect(first.stderr).toMatch(/warning: docs\/broken\.md: skipped, the file is binary/);
    const again = JSON.parse((await cli(['knowledge', 'sync', '--json'])).stdout);
    expect(again.sources[0]).toMatchObject({ source: 'local', added: 0, updated: 0, unchanged: 2, chunks: 0 });
  });

  it('search --json answers with passages and citations; --limit sets how many', async () => {
    const result = await cli(['knowledge', 'search', 'how do I roll back with argo?', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const { passages } = JSON.parse(result.stdout);
    expect(passages[0]).toEqual({
      text: 'Run `argocd app rollback payments-api <REVISION>`.',
      headingPath: ['Rollback', 'With Argo CD'],
      score: expect.any(Number),
      document: {
        title: 'Rolling back',
        uri: 'docs/runbooks/rollback.md',
        source: 'local',
        updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    });
    expect(
      JSON.parse((await cli(['knowledge', 'search', 'rollback escalation migrations', '--limit', '1', '--json'])).stdout).passages,
    ).toHaveLength(1);
    expect((await cli(['knowledge', 'search', 'escalation_delay_minutes'])).stdout).toMatch(/On-call › Escalation/);
  });

  it('never reads the query as FTS syntax, and refuses an empty or too long one naming query', async () => {
    for (const query of ['"rollback', 'NEAR(rollback', 'roll*', '-x:y', ')', 'title:rollback']) {
      // A query starting with "-" goes after "--", as for every command.
      const result = await cli(['knowledge', 'search', '--json', '--', query]);
      expect(result.code, `${query}: ${result.stderr}`).toBe(0);
    }
    const empty = await cli(['knowledge', 'search', '']);
    expect(empty.code).not.toBe(0);
    expect(empty.stderr).toMatch(/query: must not be empty/);
    expect((await cli(['knowledge', 'search', 'x'.repeat(501)])).stderr).toMatch(/query: 501 characters, at most 500/);
    expect((await cli(['knowledge', 'search', 'x', '--limit', '0'])).stderr).toMatch(/--limit: expected a whole number from 1 to 50/);
  });

  it('sync drops a deleted file; teamstate sync runs the knowledge sources too', async () => {
    rmSync(join(docs, 'oncall.md'));
    const result = await cli(['sync', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).knowledge.sources[0]).toMatchObject({ removed: 1, unchanged: 1 });
    expect(JSON.parse((await cli(['knowledge', 'search', 'escalation', '--json'])).stdout).passages).toEqual([]);
  });

  it('who-knows answers (nobody here), and read commands refuse a database that does not exist', async () => {
    const who = await cli(['knowledge', 'who-knows', 'rollback', '--json']);
    expect(who.code, who.stderr).toBe(0);
    expect(JSON.parse(who.stdout)).toEqual({ people: [] });
    const missing = await runCli(['--db', join(dir, 'nope.db'), 'knowledge', 'search', 'rollback']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/there is no database at/);
  });

  it('refuses knowledge sync without a knowledge section, saying what to add', async () => {
    const other = mkdtempSync(join(tmpdir(), 'teamstate-knowledge-none-'));
    writeFileSync(join(other, 'teamstate.config.yaml'), 'database: t.db\n');
    const result = await runCli(['knowledge', 'sync'], { cwd: other });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/knowledge: nothing to index .*add knowledge: \{ local: \{ paths: \[\.\/docs\] \} \}/);
    rmSync(other, { recursive: true, force: true });
  });
});

describe('teamstate demo', () => {
  it('indexes the demo handbook, so knowledge search answers on the demo workspace', async () => {
    const demoDb = join(dir, 'demo.db');
    const demo = await runCli(['--db', demoDb, 'demo']);
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).toMatch(/5 handbook pages indexed/);
    const { passages } = JSON.parse(
      (await runCli(['--db', demoDb, 'knowledge', 'search', 'why did we choose postgres?', '--json'])).stdout,
    );
    expect(passages[0].document.uri).toBe('handbook/adr/0001-use-postgres.md');
    const who = JSON.parse((await runCli(['--db', demoDb, 'knowledge', 'who-knows', 'webhook retries', '--limit', '10', '--json'])).stdout);
    expect(who.people.map((p: { person: { id: string } }) => p.person.id)).toContain('ana-garcia');
    // No match in the demo: knowledge sync (which needs a config's sources) is not the way on; other words are.
    const none = await runCli(['--db', demoDb, 'knowledge', 'search', 'zzqqxx'], { cwd: tmpdir() });
    expect(none.stdout).toContain("No passage matches. The demo's documents are indexed already: try other words");
    expect(none.stdout).not.toContain('knowledge sync');
  });
});
