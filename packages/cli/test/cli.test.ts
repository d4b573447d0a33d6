import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCompanyBundle } from '@teamstate/connectors/demo';
import { afterAll, describe, expect, it } from 'vitest';
import { acmeBundle } from '../../core/test/fixtures/acme-bundle.js';
import { BIN, demoDatabase, runCli, spawnCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'teamstate-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const db = (name: string) => join(dir, `${name}.db`);
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[`);
const NOW = '2026-11-21T10:00:00Z';

describe('teamstate CLI (no TTY)', () => {
  it.each(['demo', 'import', 'export'])('`%s --help` explains the command with an example', async (command) => {
    const result = await runCli([command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: teamstate ${command}`);
    expect(result.stdout).toContain('Examples:');
  });

  it('suggests the nearest command for a typo and exits 2', async () => {
    const result = await runCli(['imprt', 'x.json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('(Did you mean import?)');
  });

  it('reports an unknown flag and an invalid --now as usage errors (exit 2)', async () => {
    expect((await runCli(['export', '--outt', 'x'])).code).toBe(2);
    const now = await runCli(['--db', db('now'), '--now', 'tomorrow', 'export']);
    expect(now.code).toBe(2);
    expect(now.stderr).toBe('error: --now: invalid ISO timestamp "tomorrow" (expected e.g. 2026-03-01T09:00:00Z)\n');
  });

  it('creates the demo workspace and prints the overview without ANSI escapes when piped', async () => {
    // A subprocess of the built bin: the set-up line it prints names the very node and bin that ran it.
    // In a folder of its own: in the root of this clone it would suggest ./teamstate (self-name.test.ts).
    const result = spawnCli(['--db', db('demo'), '--now', NOW, 'demo'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/3 teams · 20 people · 5 repositories/);
    expect(result.stdout).toMatch(/^Payments\s+7\s+\d+/m);
    // Freshness: when each connector last synced successfully (issue 17).
    expect(result.stdout).toMatch(/^Last synced: demo 2026-11-21 10:00 UTC$/m);
    expect(result.stdout).toMatch(/^DORA and flow, 2026-10-22 10:00 to 2026-11-21 10:00 UTC$/m);
    expect(result.stdout).toMatch(/^deployment_frequency\s+[\d.]+ deployments\/day\s+(elite|high|medium|low)/m);
    expect(result.stdout).toMatch(/^Top signals\nID\s+Severity\s+Kind/m);
    expect(result.stdout).toMatch(/approve it: teamstate --db \S+ approvals approve apr_[0-9a-f]{24} --as \S+/);
    // The demo workspace is in local trust, so the printed command works as printed, without a credential.
    const printed = /approve it: teamstate (.+)$/m.exec(result.stdout)![1]!.split(' ');
    const approved = await runCli(printed, { env: { HOME: dir } });
    expect(approved.code, approved.stderr).toBe(0);
    // The demo workspace has the demo connector, so the approving command runs the note at once (finding 8).
    expect(approved.stdout).toMatch(/^Approved apr_[0-9a-f]{24} as \S+\. Executed here: \{"noted":true,"key":"[^"]+",/);
    // The assistant set-up it prints starts this very CLI, from anywhere: node and the bin, absolute.
    const mcpLine = /claude mcp add teamstate -- (\S+) (\S+) mcp --db (\S+) --person (\S+)$/m.exec(result.stdout);
    expect(mcpLine?.[2]).toBe(realpathSync(BIN));
    expect(mcpLine?.[3]).toBe(db('demo'));
    const started = spawnSync(mcpLine![1]!, [mcpLine![2]!, '--db', mcpLine![3]!, 'signals', '--team', 'payments'], { encoding: 'utf8' });
    expect(started.status, started.stderr).toBe(0);
    expect(result.stdout).not.toMatch(ANSI);
    expect(result.stderr).not.toMatch(ANSI);
  });

  it('prints exactly one JSON document with --json', async () => {
    const result = await runCli(['--db', db('demo-json'), '--now', NOW, '--json', 'demo']);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout);
    expect(parsed.sync.ok).toBe(true);
    expect(parsed.overview.teams.map((t: { id: string }) => t.id)).toEqual(['growth', 'payments', 'platform']);
    expect(parsed.overview.at).toBe('2026-11-21T10:00:00.000Z');
    expect(parsed.metrics.deployment_frequency.unit).toBe('deployments/day');
    expect(parsed.signals.length).toBe(5);
    expect(parsed.pendingApproval).toMatchObject({ type: 'demo.note.add', status: 'pending', requestedBy: 'assistant' });
    // Refreshing the demo keeps the one pending approval rather than proposing another.
    const again = JSON.parse((await runCli(['--db', db('demo-json'), '--now', NOW, '--json', 'demo'])).stdout);
    expect(again.pendingApproval.id).toBe(parsed.pendingApproval.id);
  });

  it('imports a bundle, re-imports it with no change, and exports it back (TEAMSTATE_DB)', async () => {
    const file = join(dir, 'acme.json');
    writeFileSync(file, JSON.stringify(acmeBundle()));
    const env = { TEAMSTATE_DB: db('roundtrip') };
    const first = await runCli(['--json', 'import', file], { env });
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).records.workItems).toBe(4);
    const again = await runCli(['import', file], { env });
    expect(again.stdout).toBe(
      'Imported 2 teams, 3 people, 2 repositories, 4 work items, 1 sprint, 3 deployments, 2 incidents (0 rows changed).\n',
    );
    const exported = await runCli(['export'], { env });
    expect(exported.code).toBe(0);
    const bundle = JSON.parse(exported.stdout);
    expect(bundle.format).toBe('teamstate.bundle/v1');
    expect(bundle.workItems).toHaveLength(4);
    // Piped into another database, the export reproduces itself.
    const other = { TEAMSTATE_DB: db('roundtrip-2') };
    expect((await runCli(['import', '-'], { env: other, input: exported.stdout })).code).toBe(0);
    expect((await runCli(['export'], { env: other })).stdout).toBe(exported.stdout);
    const out = join(dir, 'out.json');
    expect((await runCli(['export', '--out', out], { env })).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(exported.stdout);
  });

  it('refuses an invalid bundle with each field path, exit 1, and changes nothing', async () => {
    const env = { TEAMSTATE_DB: db('invalid') };
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(acmeBundle()));
    await runCli(['import', good], { env });
    const before = (await runCli(['export'], { env })).stdout;
    const broken = acmeBundle();
    broken.workItems![3]!.createdAt = '2026-13-01T00:00:00Z';
    broken.workItems![0]!.author = 'zoe';
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify(broken));
    const result = await runCli(['import', bad], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('workItems[3].createdAt: invalid ISO timestamp');
    expect(result.stdout).toBe('');
    expect((await runCli(['export'], { env })).stdout).toBe(before);
  });

  it('streams a large generated bundle (a team of the 10,000-engineer organisation) into the database', async () => {
    const file = join(dir, 'big.json');
    const counts = writeCompanyBundle(file, { now: new Date(NOW), fraction: 0.0025 });
    const env = { TEAMSTATE_DB: db('big') };
    const result = await runCli(['--json', 'import', file], { env });
    expect(result.code, result.stderr).toBe(0);
    const { records, changes } = JSON.parse(result.stdout);
    expect(records).toMatchObject(counts);
    expect(records.workItems).toBeGreaterThan(8_000);
    expect(changes).toBeGreaterThan(40_000);
    expect(JSON.parse((await runCli(['--json', 'import', file], { env })).stdout).changes).toBe(0);
  });

  it('explains a missing file and invalid JSON in one line', async () => {
    const missing = await runCli(['--db', db('x'), 'import', join(dir, 'nope.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: cannot read .*nope\.json: no such file\n$/);
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, '{ "format": ');
    const bad = await runCli(['--db', db('x'), 'import', notJson]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/not\.json is not valid JSON/);
  });
});

describe('teamstate demo on another day (issue 17)', () => {
  it('replaces the demo organisation of another day instead of mixing two, and keeps approvals and the ledger', async () => {
    const fresh = JSON.parse((await runCli(['--db', db('march'), '--now', '2026-03-10T12:00:00Z', '--json', 'demo'])).stdout);
    const november = JSON.parse((await runCli(['--db', db('days'), '--now', NOW, '--json', 'demo'])).stdout);
    const march = await runCli(['--db', db('days'), '--now', '2026-03-10T12:00:00Z', '--json', 'demo']);
    expect(march.code, march.stderr).toBe(0);
    const replaced = JSON.parse(march.stdout);
    // The same organisation as a fresh database made for that day, not the two mixed.
    expect(replaced.overview.totals).toEqual(fresh.overview.totals);
    expect(replaced.overview.totals).not.toEqual(november.overview.totals);
    expect(march.stderr).toContain('demo: replacing the demo organisation generated for 2026-11-21 with the one for 2026-03-10');
    // The approval proposed on the November run is still there, and the audit ledger still verifies.
    expect((await runCli(['--db', db('days'), '--json', 'approvals', 'show', november.pendingApproval.id])).code).toBe(0);
    expect((await runCli(['--db', db('days'), 'audit', 'verify'])).code).toBe(0);
  });
});

describe('pnpm --silent teamstate', () => {
  it('runs the built CLI from the repository root', () => {
    const root = join(import.meta.dirname, '..', '..', '..');
    // `export` reads, so it needs a database: `import` creates one.
    writeFileSync(db('empty-bundle'), JSON.stringify({ format: 'teamstate.bundle/v1' }));
    expect(spawnSync('pnpm', ['--silent', 'teamstate', '--db', db('pnpm'), 'import', db('empty-bundle')], { cwd: root }).status).toBe(0);
    const result = spawnSync('pnpm', ['--silent', 'teamstate', '--db', db('pnpm'), '--json', 'export'], { cwd: root, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ format: 'teamstate.bundle/v1', teams: [] });
  });
});

describe('a database that does not exist (issue 17)', () => {
  it('is refused by read commands, saying how to make one, and nothing is created; demo, import and sync create it', async () => {
    const typo = join(dir, 'typo', 'x.db');
    for (const args of [['signals'], ['metrics'], ['approvals', 'list'], ['export'], ['audit', 'verify'], ['mcp']]) {
      const result = await runCli(['--db', typo, ...args]);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr).toBe(
        `error: database: there is no database at ${typo}; create one with teamstate demo, teamstate import <file> or teamstate sync (read commands never create one), or check --db / TEAMSTATE_DB\n`,
      );
    }
    expect(existsSync(typo)).toBe(false);
    writeFileSync(db('bundle'), JSON.stringify({ format: 'teamstate.bundle/v1', teams: [{ id: 'pay', name: 'Payments' }] }));
    expect((await runCli(['--db', typo, 'import', db('bundle')])).code).toBe(0);
    expect((await runCli(['--db', typo, 'signals'])).code).toBe(0);
  });
});

describe('teamstate serve', () => {
  it('listens on the requested address, answers /healthz, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, '--db', db('serve'), 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const line = await new Promise<string>((resolve, reject) => {
      let err = '';
      child.stderr.on('data', (chunk) => {
        err += String(chunk);
        if (err.includes('listening on')) resolve(err);
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
    });
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line)![1]!;
    const health = await fetch(`${url}/healthz`);
    expect(await health.json()).toEqual({ ok: true, workspace: 'default' });
    const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });

  it('refuses an invalid port as a usage error', async () => {
    const result = await runCli(['--db', db('serve2'), 'serve', '--port', 'http']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: --port: expected a port number from 0 to 65535, got "http"\n');
  });
});

describe('secrets in errors (issue 17)', () => {
  it('never echoes a database password or a token from the environment', async () => {
    const remote = await runCli(['--db', 'libsql://alice:s3cretpw@127.0.0.1:1', 'signals']);
    expect(remote.code).toBe(1);
    expect(remote.stderr).toMatch(/^error: could not open database libsql:\/\/\*\*\*@127\.0\.0\.1:1: /);
    expect(remote.stderr).not.toContain('s3cretpw');
    const token = await runCli(['--db', 'libsql://127.0.0.1:1', 'signals'], { env: { TEAMSTATE_DB_AUTH_TOKEN: 'tok_very_secret_value' } });
    expect(token.code).toBe(1);
    expect(token.stderr).not.toContain('tok_very_secret_value');
  });
});

describe('output contracts (issue 17)', () => {
  it('with --json, an error is one JSON document on stdout, not printed again on stderr', async () => {
    expect((await demoDatabase(db('json-errors'), NOW)).code).toBe(0);
    const result = await runCli(['--db', db('json-errors'), '--json', 'signals', '--team', 'paymnets']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      ok: false,
      error: { code: 'invalid_argument', message: expect.stringMatching(/^team: unknown team "paymnets" \(did you mean "payments"\?\)/) },
    });
    expect(result.stderr).not.toContain('paymnets');
    const usage = await runCli(['--db', db('json-errors'), '--json', 'signals', '--nope']);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout)).toMatchObject({ ok: false, error: { code: 'usage_error' } });
    expect(usage.stderr).toBe('');
  });

  it('stops quietly when the reader of its output goes away (teamstate … | head)', async () => {
    expect((await demoDatabase(db('pipe'), NOW)).code).toBe(0);
    const result = spawnSync(
      'bash',
      ['-c', `'${process.execPath}' '${BIN}' --db '${db('pipe')}' export | head -c 100 > /dev/null; echo "exit \${PIPESTATUS[0]}"`],
      {
        encoding: 'utf8',
      },
    );
    expect(result.stdout.trim()).toBe('exit 0');
    expect(result.stderr).not.toMatch(/EPIPE|Error/);
  });
});
