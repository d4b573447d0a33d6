import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTeamState, type TeamState, TeamStateError } from '../src/index.js';

// AI tool usage (docs/ai-impact.md#copilot-usage, issue 20): the bundle's optional `aiUsage`, one row per day, tool and subject,
// through the SDK on a real libSQL file.
let folder: string;
let ts: TeamState;

const base = {
  format: 'teamstate.bundle/v1',
  teams: [{ id: 'pay', name: 'Payments' }],
  people: [
    { id: 'ana', name: 'Ana', teams: ['pay'], accounts: [{ provider: 'github', id: '1001', login: 'anag' }] },
    { id: 'ben', name: 'Ben', teams: ['pay'] },
  ],
};
const anaDay = {
  day: '2026-11-18',
  person: 'ana',
  tool: 'copilot',
  activeUsers: 1,
  interactions: 12,
  codeGenerations: 40,
  acceptances: 11,
  linesSuggested: 220,
  linesAccepted: 61,
};

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'teamstate-ai-usage-'));
  ts = await createTeamState({ database: `file:${join(folder, 'team.db')}`, clock: () => new Date('2026-11-20T12:00:00Z') });
});
afterEach(async () => {
  await ts.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('aiUsage in the bundle', () => {
  it('imports and exports person, team and organisation days, and a later report of the same day replaces the earlier', async () => {
    const orgDay = { day: '2026-11-18', tool: 'copilot', activeUsers: 2, interactions: 15 };
    const teamDay = { day: '2026-11-18', team: 'pay', tool: 'cursor', activeUsers: 1 };
    await ts.import({ ...base, aiUsage: [anaDay, orgDay, teamDay] });
    const exported = await ts.export();
    expect(exported.aiUsage).toEqual([
      { ...orgDay, codeGenerations: 0, acceptances: 0, linesSuggested: 0, linesAccepted: 0 },
      anaDay,
      { ...teamDay, interactions: 0, codeGenerations: 0, acceptances: 0, linesSuggested: 0, linesAccepted: 0 },
    ]);

    // Importing the export changes nothing; a corrected day replaces the stored one instead of adding a second.
    expect((await ts.import(exported)).changes).toBe(0);
    await ts.import({ format: 'teamstate.bundle/v1', aiUsage: [{ ...anaDay, acceptances: 12 }] });
    const again = (await ts.export()).aiUsage;
    expect(again).toHaveLength(3);
    expect(again.find((u) => u.person === 'ana')?.acceptances).toBe(12);
  });

  it('refuses an unknown person, a day that does not exist, a negative count and a row naming both person and team, writing nothing', async () => {
    await ts.import(base);
    const attempt = ts.import({
      format: 'teamstate.bundle/v1',
      aiUsage: [
        { ...anaDay, person: 'nobody' },
        { ...anaDay, day: '2026-02-30' },
        { ...anaDay, acceptances: -1 },
        { ...anaDay, team: 'pay' },
        { ...anaDay, tool: 'Copilot Chat' },
      ],
    });
    await expect(attempt).rejects.toBeInstanceOf(TeamStateError);
    const message = await attempt.catch((error: Error) => error.message);
    expect(message).toContain('aiUsage[0].person: person "nobody" is not defined');
    expect(message).toContain('aiUsage[1].day');
    expect(message).toContain('aiUsage[2].acceptances');
    expect(message).toContain('aiUsage[3].team: give either person or team');
    expect(message).toContain('aiUsage[4].tool');
    expect((await ts.export()).aiUsage).toEqual([]);
  });

  it('goes with the person when they are erased and stays out when a bundle brings it back; a person export carries it', async () => {
    await ts.import({ ...base, aiUsage: [anaDay, { ...anaDay, person: 'ben' }] });
    expect((await ts.people.export('ana')).aiUsage).toEqual([anaDay]);

    const { removed } = await ts.people.erase('ana');
    expect(removed.aiUsage).toBe(1);
    await ts.import({ ...base, aiUsage: [anaDay] });
    expect((await ts.export()).aiUsage.map((u) => u.person)).toEqual(['ben']);
  });
});
