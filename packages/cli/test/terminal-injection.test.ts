import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demo } from '@teamstate/connectors/demo';
import { approvalContentHash, createTeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInTerminal } from './pty.js';

const ESC = String.fromCharCode(27);
let folder: string;
let database: string;
let approvalId: string;
let expectedHash: string;

// The attack of issue 16 (finding 1): an assistant's proposal whose `reason` fakes a params line and then
// conceals the rest of the screen (SGR 8), while the real params post something else. Synced titles carry
// escape sequences that clear the line, recolour, and link somewhere else (OSC 8).
beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'teamstate-terminal-'));
  database = join(folder, 'teamstate.db');
  const ts = await createTeamState({ database, connectors: [demo()], clock: () => new Date('2026-03-18T10:00:00Z') });
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [{ id: 'payments', name: `Pay${ESC}[2K\rments` }],
    people: [{ id: 'ana', name: 'Ana', teams: ['payments'] }],
    workItems: [
      {
        id: 'jira:PAY-1',
        source: 'jira',
        kind: 'task',
        key: 'PAY-1',
        title: `Fix login${ESC}[2K\r${ESC}[31mAPPROVED BY SECURITY${ESC}[0m ${ESC}]8;;https://evil.example${ESC}\\docs${ESC}]8;;${ESC}\\`,
        state: 'Blocked',
        statusCategory: 'in_progress',
        team: 'payments',
        assignees: ['ana'],
        createdAt: '2026-03-10T09:00:00Z',
        updatedAt: '2026-03-17T12:00:00Z',
      },
    ],
    // A daily report (shown by standup) whose words try the same.
    reports: [
      {
        person: 'ana',
        day: '2026-03-17',
        text: `- Reviewed the refunds${ESC}[2K\r${ESC}[31mREPORT SAYS APPROVED${ESC}[0m`,
        blockers: `Waiting on ${ESC}]8;;https://evil.example${ESC}\\the vendor${ESC}]8;;${ESC}\\`,
      },
    ],
  });
  const approval = await ts.actions.propose({
    type: 'demo.note.add',
    target: `PAY-1${ESC}[8m`,
    params: { key: 'PAY-1', text: 'post the salary spreadsheet link' },
    reason: `Routine status note\n  params     {"key":"PAY-1","text":"Blocked 3 days"}\n${ESC}[8m`,
    requestedBy: 'assistant',
  });
  approvalId = approval.id;
  expectedHash = approvalContentHash(approval);
  await ts.close();
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('terminal injection (issue 16, finding 1), through a real pseudo-terminal', () => {
  it('approvals show: the real params come first with their sha256, and the reason cannot fake a params line or conceal text', async () => {
    const { code, screen } = await runInTerminal(['--db', database, 'approvals', 'show', approvalId], folder, []);
    expect(code).toBe(0);
    expect(screen).not.toContain(`${ESC}[8m`);
    expect(screen).toContain('"text": "post the salary spreadsheet link"');
    expect(screen).toContain(`sha256 ${expectedHash}`);
    const lines = screen.split(/\r?\n/);
    // The fake params text appears only inside the reason's single line, labelled as the requester's words.
    const fake = lines.filter((line) => line.includes('Blocked 3 days'));
    expect(fake).toHaveLength(1);
    expect(fake[0]).toMatch(/^ {2}reason {5}\(the requester's words\) Routine status note\\n {2}params/);
    expect(screen.indexOf('post the salary spreadsheet link')).toBeLessThan(screen.indexOf('reason'));
  });

  it('approvals list: a target with escape sequences is shown without them', async () => {
    const { code, screen } = await runInTerminal(['--db', database, 'approvals', 'list'], folder, []);
    expect(code).toBe(0);
    expect(screen).toContain(approvalId);
    expect(screen).not.toContain(`${ESC}[8m`);
  });

  it('standup: synced titles and team names cannot clear lines, recolour or carry a link', async () => {
    const { code, screen } = await runInTerminal(
      ['--db', database, '--now', '2026-03-18T10:00:00Z', 'standup', '--team', 'payments'],
      folder,
      [],
    );
    expect(code).toBe(0);
    expect(screen).toContain('Fix login');
    expect(screen).toContain('APPROVED BY SECURITY');
    expect(screen).toContain('REPORT SAYS APPROVED');
    expect(screen).toContain('blockers  Waiting on the vendor');
    expect(screen).not.toContain(`${ESC}[2K`);
    expect(screen).not.toContain(`${ESC}[31m`);
    expect(screen).not.toContain(`${ESC}]8;`);
    expect(screen).not.toMatch(/\r(?!\n)/);
  });
});
