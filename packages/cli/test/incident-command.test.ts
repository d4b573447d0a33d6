import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'teamstate-incident-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'team.db');
const teamstate = (...args: string[]) => runCli(['--db', db, '--now', '2026-05-05T12:00:00Z', ...args], { cwd: dir });

describe('teamstate incident', () => {
  it('lists incidents of every status and briefs one, as text and as the JSON of the contract', async () => {
    const bundle = join(dir, 'bundle.json');
    writeFileSync(
      bundle,
      JSON.stringify({
        format: 'teamstate.bundle/v1',
        teams: [{ id: 'shop', name: 'Shop' }],
        repositories: [{ id: 'acme/checkout', team: 'shop' }],
        deployments: [
          { id: 'dep-9', repository: 'acme/checkout', environment: 'production', status: 'success', finishedAt: '2026-05-05T09:30:00Z' },
        ],
        incidents: [
          {
            id: 'pd-1',
            title: 'checkout 5xx \u001b[31mred\u001b[0m',
            source: 'pagerduty',
            externalId: 'Q1ABC',
            service: 'checkout',
            team: 'shop',
            status: 'acknowledged',
            createdAt: '2026-05-05T10:00:00Z',
            acknowledgedAt: '2026-05-05T10:05:00Z',
          },
          { id: 'old', title: 'imported outage', createdAt: '2026-05-01T10:00:00Z', resolvedAt: '2026-05-01T11:00:00Z' },
        ],
      }),
    );
    expect((await teamstate('import', bundle)).code).toBe(0);

    const list = await teamstate('incident', 'list', '--json');
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual({
      incidents: [
        {
          id: 'pd-1',
          title: 'checkout 5xx \u001b[31mred\u001b[0m',
          source: 'pagerduty',
          externalId: 'Q1ABC',
          status: 'acknowledged',
          service: 'checkout',
          team: 'shop',
          createdAt: '2026-05-05T10:00:00.000Z',
          acknowledgedAt: '2026-05-05T10:05:00.000Z',
        },
        {
          id: 'old',
          title: 'imported outage',
          source: 'import',
          status: 'resolved',
          createdAt: '2026-05-01T10:00:00.000Z',
          resolvedAt: '2026-05-01T11:00:00.000Z',
        },
      ],
    });
    const open = await teamstate('incident', 'list', '--status', 'open');
    expect(open.stdout).toMatch(/^pd-1 {2}acknowledged {2}2026-05-05 10:00 {2}checkout 5xx red {2}service checkout {2}team shop$/m);
    expect(open.stdout).not.toContain('\u001b');
    expect(open.stdout).not.toContain('imported outage');

    const brief = await teamstate('incident', 'brief', 'pd-1', '--json');
    expect(brief.code).toBe(0);
    const json = JSON.parse(brief.stdout);
    expect(Object.keys(json)).toEqual(['incident', 'timeline', 'suspects', 'oncall', 'responders', 'runbooks', 'drafts']);
    expect(json.suspects[0]).toMatchObject({ deployment: 'dep-9' });
    expect(Object.keys(json.drafts)).toEqual(['statusUpdate', 'postmortem']);
    const text = await teamstate('incident', 'brief', 'pd-1');
    expect(text.stdout).toContain('dep-9  score');
    expect(text.stdout).not.toContain('\u001b');

    const missing = await teamstate('incident', 'brief', 'pd-2');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/incident.*"pd-2".*pd-1/);
    const bad = await teamstate('incident', 'list', '--status', 'burning');
    expect([bad.code, bad.stderr]).toEqual([
      2,
      'error: --status: expected one of open, triggered, acknowledged, resolved, got "burning"\n',
    ]);
  });
});
