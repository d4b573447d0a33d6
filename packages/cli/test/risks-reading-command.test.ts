import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

// `teamstate risks list|digest` read as the credential's person under the reading rule (docs/hub.md#risk-register):
// the evidence that is a person's wellbeing signal only for whoever may read it; without a credential, the owner.
const dir = mkdtempSync(join(tmpdir(), 'teamstate-risks-reading-'));
const db = join(dir, 'teamstate.db');
const cli = (args: string[], env?: Record<string, string | undefined>) =>
  runCli(['--db', db, '--now', '2026-03-20T12:00:00Z', ...args], { env: { TEAMSTATE_TOKEN: undefined, XDG_CONFIG_HOME: dir, ...env } });
const WELLBEING = 'person.overloaded:person:ana';
const tokens: Record<string, string> = {};

beforeAll(async () => {
  const bundle = join(dir, 'bundle.json');
  writeFileSync(
    bundle,
    JSON.stringify({
      format: 'teamstate.bundle/v1',
      teams: [
        { id: 'payments', name: 'Payments', leads: ['lena'] },
        { id: 'growth', name: 'Growth' },
      ],
      people: [
        { id: 'ana', name: 'Ana', teams: ['payments'] },
        { id: 'lena', name: 'Lena', teams: ['payments'] },
        { id: 'cleo', name: 'Cleo', teams: ['growth'] },
      ],
      risks: [
        {
          id: 'r1',
          team: 'payments',
          title: 'Review load burns out one reviewer',
          severity: 'high',
          owner: 'lena',
          source: `signal:${WELLBEING}`,
          evidence: [
            { kind: 'signal', ref: WELLBEING, title: 'Ana is overloaded', data: { kind: 'person.overloaded', reviews: 14 } },
            { kind: 'link', ref: 'https://wiki.example/on-call' },
          ],
          createdAt: '2026-03-18T10:00:00Z',
        },
      ],
    }),
  );
  const imported = await cli(['import', bundle]);
  expect(imported.code, imported.stderr).toBe(0);
  const ts = await createTeamState({ database: db });
  for (const person of ['cleo', 'lena']) tokens[person] = (await ts.tokens.create({ person })).token;
  await ts.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const list = async (person?: string) => {
  const run = await cli(['risks', 'list', '--json'], person ? { TEAMSTATE_TOKEN: tokens[person] } : {});
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as { risks: { id: string; source: string; evidence: { kind: string }[] }[] };
};

describe('teamstate risks list and digest under the reading rule', () => {
  it("keep team payments' wellbeing evidence from a person of team growth", async () => {
    const other = await list('cleo');
    expect(other.risks).toMatchObject([{ id: 'r1', source: 'signal:withheld', evidence: [{ kind: 'link' }] }]);
    expect(JSON.stringify(other)).not.toMatch(/person:ana|overloaded/);
    const digest = await cli(['risks', 'digest', '--team', 'payments', '--json'], { TEAMSTATE_TOKEN: tokens.cleo });
    expect(digest.code, digest.stderr).toBe(0);
    expect(digest.stdout).not.toContain('person:ana');
    expect(JSON.parse(digest.stdout).open).toMatchObject([{ id: 'r1', source: 'signal:withheld' }]);
  });

  it("show it to the team's lead, and to the database's owner (no credential)", async () => {
    for (const reader of ['lena', undefined]) {
      const seen = await list(reader);
      expect(seen.risks).toMatchObject([{ id: 'r1', source: `signal:${WELLBEING}`, evidence: [{ kind: 'signal' }, { kind: 'link' }] }]);
    }
  });

  it('answers a change made with a credential with the risk as that person may read it', async () => {
    // A change happens at the real time (no --now).
    const run = await runCli(['--db', db, 'risks', 'update', 'r1', '--likelihood', 'high', '--json'], {
      env: { TEAMSTATE_TOKEN: tokens.cleo, XDG_CONFIG_HOME: dir },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).risk).toMatchObject({
      id: 'r1',
      likelihood: 'high',
      source: 'signal:withheld',
      evidence: [{ kind: 'link' }],
    });
    expect(run.stdout).not.toContain('person:ana');
  });

  it('refuses a credential this database does not know', async () => {
    const run = await cli(['risks', 'list'], { TEAMSTATE_TOKEN: 'tsk_unknown' });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/TEAMSTATE_TOKEN: the token is unknown, revoked or expired here/);
  });
});
