import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDatabase, runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'teamstate-reports-'));
const db = join(dir, 'demo.db');
const NOW = '2026-11-23T09:30:00Z';
const cli = (args: string[]) => runCli(['--db', db, '--now', NOW, ...args]);
beforeAll(async () => {
  expect((await demoDatabase(db, NOW)).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reports', () => {
  it('signals: a table of what needs attention, filters, and one JSON document', async () => {
    const table = await cli(['signals', '--team', 'payments']);
    expect(table.code).toBe(0);
    // Under --team every row is that team's: no Team column.
    expect(table.stdout).toMatch(/^ID\s+Severity\s+Kind\s+Signal\s+Since$/m);
    expect(table.stdout).toMatch(/^[0-9a-f]{7}\s+critical\s+deploy\.failed\s+The last production deployment of acme\/ledger failed/m);
    const json = JSON.parse((await cli(['--json', 'signals', '--kind', 'item.blocked'])).stdout);
    expect(json.signals).toHaveLength(3);
    expect(json.signals.every((s: { kind: string }) => s.kind === 'item.blocked')).toBe(true);
    expect(json.refresh.open).toBeGreaterThan(20);
    // "Since" is when the condition began (the evidence's since), not when the detector first saw it (issue 17).
    const blocked = json.signals[0] as { title: string; evidence: { since: string }; firstSeenAt: string };
    expect(blocked.evidence.since < blocked.firstSeenAt).toBe(true);
    const row = (await cli(['signals', '--kind', 'item.blocked'])).stdout
      .split('\n')
      .find((line) => line.includes(blocked.title.slice(0, 30)));
    expect(row).toContain(blocked.evidence.since.slice(0, 16).replace('T', ' '));
    const bad = await cli(['signals', '--severity', 'loud']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('error: severity: expected one of info|warning|critical, got "loud"\n');
    // A misspelt team or kind is an error with a suggestion, never "No open signals." (issue 17).
    const team = await cli(['signals', '--team', 'paymnets']);
    expect([team.code, team.stdout]).toEqual([1, '']);
    expect(team.stderr).toMatch(/^error: team: unknown team "paymnets" \(did you mean "payments"\?\)/);
    const kind = await cli(['signals', '--kind', 'item.blockd']);
    expect(kind.code).toBe(1);
    expect(kind.stderr).toMatch(/^error: kind: unknown kind "item\.blockd" \(did you mean "item\.blocked"\?\)/);
  });

  it('standup: the digest as text and as JSON, with each person’s latest report; an unknown team is named', async () => {
    const text = await cli(['standup', '--team', 'payments']);
    expect(text.stdout.split('\n')[0]).toBe('Standup for Payments, since Fri 20 Nov 09:30 UTC');
    expect(text.stdout).toContain('Team blockers');
    const json = JSON.parse((await cli(['--json', 'standup', '--team', 'payments'])).stdout);
    expect(json.people).toHaveLength(7);
    // Ana's report of Friday (the window starts then) is shown with its blockers, next to her activity.
    const bundle = join(dir, 'report.json');
    writeFileSync(
      bundle,
      JSON.stringify({
        format: 'teamstate.bundle/v1',
        reports: [
          {
            person: 'ana-garcia',
            day: '2026-11-20',
            text: '- Shipped the refund export\n- Paired on the ledger migration',
            blockers: 'Waiting on the vendor sandbox',
          },
        ],
      }),
    );
    expect((await cli(['import', bundle])).code).toBe(0);
    const withReport = await cli(['standup', '--team', 'payments']);
    expect(withReport.stdout).toMatch(
      /^Ana Garcia\n {2}report {4}Fri 20 Nov\n {12}- Shipped the refund export\n {12}- Paired on the ledger migration\n {2}blockers {2}Waiting on the vendor sandbox\n/m,
    );
    const ana = JSON.parse((await cli(['--json', 'standup', '--team', 'payments'])).stdout).people.find(
      (p: { person: { id: string } }) => p.person.id === 'ana-garcia',
    );
    expect(ana.report).toEqual({
      day: '2026-11-20',
      text: '- Shipped the refund export\n- Paired on the ledger migration',
      blockers: 'Waiting on the vendor sandbox',
    });
    const unknown = await cli(['standup', '--team', 'paymnts']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('team: "paymnts" is not a team of this workspace (teams: growth, payments, platform)');
    expect((await cli(['standup'])).code).toBe(2);
  });

  it('sprint: health of the active sprint as text and JSON', async () => {
    expect((await cli(['sprint', '--team', 'growth'])).stdout).toMatch(/^Growth Sprint \d+: (behind|on track|ahead), [\d.]+ days? left/);
    const json = JSON.parse((await cli(['--json', 'sprint', '--team', 'growth'])).stdout);
    expect(json.scope.committedPoints).toBeGreaterThan(0);
    expect(json.burn.status).toMatch(/^(behind|on_track|ahead)$/);
    expect((await cli(['sprint'])).stderr).toBe('error: --team or --sprint: give a team (its active sprint) or a sprint id\n');
  });
});
