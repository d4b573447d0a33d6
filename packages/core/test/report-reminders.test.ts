import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTeamState, type TeamState, TeamStateError } from '../src/index.js';

// Daily report reminders (issue 18): who is due one, from the policy's reminders.reports, each person's local time
// and day, their reports and opt-outs, and the at-most-once claim, on a real libSQL file with an injected clock.
let folder: string;
let ts: TeamState;
let now: number;

const policy = { reminders: { reports: { teams: ['payments'], at: '17:00' } } };

async function open(options: { policy?: unknown } = { policy }) {
  ts = await createTeamState({ database: join(folder, 'teamstate.db'), clock: () => new Date(now), policy: options.policy as never });
}

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'teamstate-reminders-'));
  // Wednesday 18 March 2026, 17:30 UTC: 18:30 in Berlin, 02:30 on Thursday in Tokyo, 10:30 in Los Angeles.
  now = Date.parse('2026-03-18T17:30:00Z');
  await open();
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [
      { id: 'payments', name: 'Payments' },
      { id: 'growth', name: 'Growth' },
    ],
    people: [
      { id: 'ana', name: 'Ana', teams: ['payments'], timeZone: 'Europe/Berlin', accounts: [{ provider: 'slack', id: 'U0ANA' }] },
      { id: 'ben', name: 'Ben', teams: ['payments'], accounts: [{ provider: 'slack', id: 'U0BEN' }] },
      { id: 'kai', name: 'Kai', teams: ['payments'], timeZone: 'America/Los_Angeles', accounts: [{ provider: 'slack', id: 'U0KAI' }] },
      { id: 'yui', name: 'Yui', teams: ['payments'], timeZone: 'Asia/Tokyo' },
      { id: 'cleo', name: 'Cleo', teams: ['growth'], accounts: [{ provider: 'slack', id: 'U0CLEO' }] },
    ],
  });
});
afterEach(async () => {
  await ts.close();
  rmSync(folder, { recursive: true, force: true });
});

const due = async () => (await ts.reports.reminders.due()).map((r) => `${r.person} ${r.day} ${r.timeZone} ${r.slackUser ?? '-'}`);

describe('ts.reports.reminders', () => {
  it("lists the opted-in team's members past the reminder time in their own time zone, on their local day", async () => {
    // Ana (18:30 Berlin) and Ben (17:30 UTC) are past 17:00; Kai is at 10:30; Yui's Thursday started at 02:30;
    // Cleo's team is not opted in.
    expect(await due()).toEqual(['ana 2026-03-18 Europe/Berlin U0ANA', 'ben 2026-03-18 UTC U0BEN']);
    now = Date.parse('2026-03-19T08:05:00Z'); // 17:05 on Thursday in Tokyo; 01:05 in Los Angeles
    expect(await due()).toEqual(['yui 2026-03-19 Asia/Tokyo -']);
  });

  it('leaves out who reported that day, who opted out of reminders, and the weekend (default mon-fri)', async () => {
    await ts.reports.submit({ person: 'ana', text: 'Shipped the refund flow', source: 'api' });
    await ts.people.optOut('ben', 'reminders');
    expect(await due()).toEqual([]);
    now = Date.parse('2026-03-21T18:00:00Z'); // Saturday
    expect(await due()).toEqual([]);
  });

  it('follows the days and teams of the policy, and is empty without reminders in the policy', async () => {
    await ts.close();
    await open({ policy: { reminders: { reports: { teams: ['growth'], at: '09:00', days: ['sat'] } } } });
    now = Date.parse('2026-03-21T18:00:00Z');
    expect(await due()).toEqual(['cleo 2026-03-21 UTC U0CLEO']);
    await ts.close();
    await open({ policy: {} });
    expect(await due()).toEqual([]);
  });

  it('claims a person and day once, in any process, across a restart', async () => {
    expect(await ts.reports.reminders.claim({ person: 'ana', day: '2026-03-18' })).toBe(true);
    expect(await ts.reports.reminders.claim({ person: 'ana', day: '2026-03-18' })).toBe(false);
    await ts.reports.reminders.sent({ person: 'ana', day: '2026-03-18' }, 'apr_1');
    expect(await due()).toEqual(['ben 2026-03-18 UTC U0BEN']);
    await ts.close();
    await open();
    expect(await ts.reports.reminders.claim({ person: 'ana', day: '2026-03-18' })).toBe(false);
    expect(await due()).toEqual(['ben 2026-03-18 UTC U0BEN']);
    const rows = (await ts.store.execute('SELECT person_id, day, sent_at, approval_id FROM report_reminders')).rows;
    expect(rows.map((r) => ({ ...r }))).toEqual([
      { person_id: 'ana', day: '2026-03-18', sent_at: Date.parse('2026-03-18T17:30:00Z'), approval_id: 'apr_1' },
    ]);
  });

  it('refuses a claim of a malformed day or an unknown person, naming the field, writing nothing', async () => {
    const error = await ts.reports.reminders.claim({ person: 'ana', day: '18/03/2026' }).catch((e: unknown) => e);
    expect(TeamStateError.isInstance(error) && error.message).toBe('day: expected YYYY-MM-DD');
    const unknown = await ts.reports.reminders.claim({ person: 'anna', day: '2026-03-18' }).catch((e: unknown) => e);
    expect(TeamStateError.isInstance(unknown) && unknown.message).toBe(
      'person: unknown person "anna" (did you mean "ana"?); known: ana, ben, cleo, kai, yui',
    );
    expect((await ts.store.execute('SELECT count(*) AS n FROM report_reminders')).rows[0]!.n).toBe(0);
  });

  it('erasing a person removes their reminders', async () => {
    await ts.reports.reminders.claim({ person: 'ana', day: '2026-03-18' });
    await ts.people.erase('ana');
    expect((await ts.store.execute('SELECT count(*) AS n FROM report_reminders')).rows[0]!.n).toBe(0);
  });
});
