import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

// JSON a terminal shows is data: C1 controls (CSI as one byte), DEL, line separators and bidi overrides in what people
// wrote reach stdout escaped, and the JSON still parses to exactly what was stored.
const dir = mkdtempSync(join(tmpdir(), 'teamstate-json-'));
const db = join(dir, 'teamstate.db');
const HOSTILE = 'done \u009b2J\u009b31mred \u202egnp.exe\u202c \u2066iso\u2069 del\u007f line\u2028sep';
const RAW = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

beforeAll(async () => {
  const ts = await createTeamState({ database: `file:${db}`, clock: () => new Date('2026-11-20T12:00:00Z') });
  await ts.import({
    format: 'teamstate.bundle/v1',
    people: [{ id: 'ana', name: 'Ana \u202eanA' }],
    reports: [{ person: 'ana', day: '2026-11-19', text: HOSTILE, blockers: HOSTILE }],
  });
  await ts.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--json and people export in a terminal', () => {
  it('escape C1, DEL, separators and bidi characters, and round-trip exactly', async () => {
    const listed = await runCli(['--db', db, '--json', 'report', 'list']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).not.toMatch(RAW);
    expect(JSON.parse(listed.stdout).reports[0].text).toBe(HOSTILE);

    const exported = await runCli(['--db', db, 'people', 'export', 'ana']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).not.toMatch(RAW);
    const bundle = JSON.parse(exported.stdout);
    expect(bundle.people[0].name).toBe('Ana \u202eanA');
    expect(bundle.reports[0].blockers).toBe(HOSTILE);

    const whole = await runCli(['--db', db, 'export']);
    expect(whole.stdout).not.toMatch(RAW);
    expect(JSON.parse(whole.stdout).reports[0].text).toBe(HOSTILE);
  });
});
