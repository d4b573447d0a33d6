import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDatabase, runCli } from './run-cli.js';

// `teamstate risks …` (docs/hub.md#risk-register) over the demo workspace, as its contract spells the flags.
const dir = mkdtempSync(join(tmpdir(), 'teamstate-risks-'));
const db = join(dir, 'teamstate.db');
const cli = (args: string[], env?: Record<string, string | undefined>) =>
  runCli(['--db', db, ...args], { env: { TEAMSTATE_TOKEN: undefined, XDG_CONFIG_HOME: dir, ...env } });

beforeAll(async () => {
  const demo = await demoDatabase(db);
  expect(demo.code, demo.stderr).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function stored() {
  const ts = await createTeamState({ database: db });
  try {
    return { risks: (await ts.export()).risks, approvals: (await ts.approvals.list({ limit: 500 })).length };
  } finally {
    await ts.close();
  }
}

describe('teamstate risks', () => {
  it('adds, updates, lists and closes a risk as --as, every change on the ledger that audit verify checks', async () => {
    const added = await cli([
      'risks',
      'add',
      '--team',
      'payments',
      '--title',
      'Card processor sunset in June',
      '--severity',
      'high',
      '--likelihood',
      'low',
      '--owner',
      'ana-garcia',
      '--mitigation',
      'Migrate early',
      '--review-by',
      '2026-12-01',
      '--as',
      'ana-garcia',
      '--json',
    ]);
    expect(added.code, added.stderr).toBe(0);
    const { risk, approval } = JSON.parse(added.stdout);
    expect(risk).toMatchObject({
      team: 'payments',
      title: 'Card processor sunset in June',
      severity: 'high',
      likelihood: 'low',
      owner: 'ana-garcia',
      mitigation: 'Migrate early',
      reviewBy: '2026-12-01',
      status: 'open',
      source: 'manual',
      evidence: [],
    });
    expect(approval).toMatchObject({ type: 'risk.create', status: 'executed' });

    const updated = await cli([
      'risks',
      'update',
      risk.id,
      '--status',
      'mitigating',
      '--severity',
      'critical',
      '--as',
      'ana-garcia',
      '--json',
    ]);
    expect(updated.code, updated.stderr).toBe(0);
    expect(JSON.parse(updated.stdout).risk).toMatchObject({ id: risk.id, status: 'mitigating', severity: 'critical' });

    const listed = await cli(['risks', 'list', '--team', 'payments', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual({ risks: [expect.objectContaining({ id: risk.id, status: 'mitigating' })] });
    const table = await cli(['risks', 'list']);
    expect(table.stdout).toContain('Card processor sunset in June');

    const closed = await cli(['risks', 'close', risk.id, '--reason', 'Migrated', '--as', 'ana-garcia']);
    expect(closed.code, closed.stderr).toBe(0);
    expect(closed.stdout).toBe(`Closed ${risk.id}: Card processor sunset in June (critical, closed).\n`);
    expect(JSON.parse((await cli(['risks', 'list', '--json'])).stdout)).toEqual({ risks: [] });
    expect(JSON.parse((await cli(['risks', 'list', '--status', 'all', '--json'])).stdout).risks).toHaveLength(1);

    const verify = await cli(['audit', 'verify', '--json']);
    expect(verify.code, verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true });
    const ts = await createTeamState({ database: db });
    try {
      const executed = await ts.audit.list({ type: 'approval.executed', limit: 100 });
      expect(executed.map((e) => (e.data.result as { id?: string }).id)).toEqual([risk.id, risk.id, risk.id]);
    } finally {
      await ts.close();
    }
  });

  it('records a risk from an incident with its evidence', async () => {
    const added = await cli([
      'risks',
      'add',
      '--team',
      'payments',
      '--title',
      'Confirmations lag',
      '--severity',
      'medium',
      '--from-incident',
      'inc-1',
      '--as',
      'ben-tanaka',
      '--json',
    ]);
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout).risk).toMatchObject({ source: 'incident:inc-1', evidence: [{ kind: 'incident', ref: 'inc-1' }] });
  });

  it('refuses bad input naming the flag or field, and changes nothing', async () => {
    const before = await stored();
    const cases: [string[], RegExp][] = [
      [['risks', 'add', '--title', 't', '--severity', 'low', '--as', 'ana-garcia'], /--team: required/],
      [
        ['risks', 'add', '--team', 'payments', '--title', 't', '--severity', 'huge', '--as', 'ana-garcia'],
        /--severity: expected one of low\|medium\|high\|critical, got "huge"/,
      ],
      [['risks', 'add', '--team', 'payments', '--title', 't', '--severity', 'low'], /--as: who records this\?/],
      [['risks', 'add', '--team', 'payments', '--title', 't', '--severity', 'low', '--as', 'nobody'], /--as: unknown person "nobody"/],
      [
        ['risks', 'add', '--team', 'paymnets', '--title', 't', '--severity', 'low', '--as', 'ana-garcia'],
        /team: unknown team "paymnets" \(did you mean "payments"\?\)/,
      ],
      [
        ['risks', 'add', '--team', 'payments', '--title', 't', '--severity', 'low', '--owner', 'zed', '--as', 'ana-garcia'],
        /owner: unknown person "zed"/,
      ],
      [
        ['risks', 'add', '--team', 'payments', '--title', 't', '--severity', 'low', '--review-by', 'tomorrow', '--as', 'ana-garcia'],
        /reviewBy: expected a day as YYYY-MM-DD/,
      ],
      [
        ['risks', 'add', '--team', 'payments', '--title', 't', '--severity', 'low', '--from-signal', 'nope', '--as', 'ana-garcia'],
        /source: no signal "nope"/,
      ],
      [['risks', 'update', 'risk_nope', '--status', 'accepted', '--as', 'ana-garcia'], /id: unknown risk "risk_nope"/],
      [
        ['risks', 'update', 'risk_nope', '--status', 'done', '--as', 'ana-garcia'],
        /--status: expected one of open\|mitigating\|accepted\|closed/,
      ],
      [['risks', 'list', '--status', 'gone'], /--status: expected one of open\|all/],
      [['risks', 'list', '--team', 'nope'], /--team: unknown team "nope"/],
    ];
    for (const [args, message] of cases) {
      const result = await cli(args);
      expect(result.code, args.join(' ')).not.toBe(0);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
    expect(await stored()).toEqual(before);
  });

  it('writes as the credential’s person when there is one, and refuses --as for someone else', async () => {
    const ts = await createTeamState({ database: db });
    const { token } = await ts.tokens.create({ person: 'chloe-eze' });
    await ts.close();
    const added = await cli(['risks', 'add', '--team', 'payments', '--title', 'On-call gap', '--severity', 'low', '--json'], {
      TEAMSTATE_TOKEN: token,
    });
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout).approval.status).toBe('executed');
    const check = await createTeamState({ database: db });
    try {
      const approval = await check.approvals.get(JSON.parse(added.stdout).approval.id);
      expect(approval?.requestedBy).toBe('chloe-eze');
    } finally {
      await check.close();
    }
    const other = await cli(['risks', 'add', '--team', 'payments', '--title', 'x', '--severity', 'low', '--as', 'ana-garcia'], {
      TEAMSTATE_TOKEN: token,
    });
    expect(other.stderr).toMatch(/--as: the credential in TEAMSTATE_TOKEN is chloe-eze's/);
  });

  it("prints a team's week of risks", async () => {
    const digest = await cli(['risks', 'digest', '--team', 'payments']);
    expect(digest.code, digest.stderr).toBe(0);
    expect(digest.stdout).toMatch(/^Risks for Payments, since /);
    expect(digest.stdout).toContain('Added this week');
  });
});
