import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeamState, type TeamState } from '../src/index.js';

// A NUL would cut a report where SQLite reads it back: every surface that submits reports refuses it by name
// (docs/daily-reports.md), as proposals do, and the store is left unchanged.
let ts: TeamState;
beforeAll(async () => {
  ts = await createTeamState({ database: ':memory:', clock: () => new Date('2026-03-18T10:00:00Z') });
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [{ id: 'pay', name: 'Payments' }],
    people: [{ id: 'ana', name: 'Ana', teams: ['pay'] }],
  });
});
afterAll(() => ts.close());

describe('ts.reports.submit with a NUL', () => {
  it('refuses the text and the blockers naming the field and the index, and stores nothing', async () => {
    await expect(ts.reports.submit({ person: 'ana', text: 'Done\u0000 hidden', source: 'api' })).rejects.toMatchObject({
      code: 'invalid_argument',
      message: 'text: contains a NUL character (U+0000) at index 4; remove it',
    });
    await expect(ts.reports.submit({ person: 'ana', text: 'Done', blockers: 'x\u0000', source: 'cli' })).rejects.toThrow(
      'blockers: contains a NUL character (U+0000) at index 1; remove it',
    );
    expect(await ts.reports.list({ person: 'ana' })).toMatchObject({ items: [] });
  });
});
