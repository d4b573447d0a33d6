import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeamState, type SignalDetector, type TeamState, TeamStateError } from '../src/index.js';

// Who may acknowledge, snooze or unacknowledge a signal (docs/security.md#who-may-acknowledge-a-signal). The attacks:
// a plain member silencing another person's wellbeing signal by its predictable fingerprint, or another team's
// signal, and telling which wellbeing signals exist from the answers.
const NOW = new Date('2026-03-20T12:00:00Z');
let ts: TeamState;

const afterHours: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'person.after_hours',
  title: 'After-hours work',
  description: 'A test detector: these people worked after hours.',
  wellbeing: true,
  async detect() {
    return [
      { severity: 'info', subject: { type: 'person', id: 'ana' }, team: 'pay', title: 'Ana worked late', evidence: { days: 4 } },
      { severity: 'info', subject: { type: 'person', id: 'lena' }, team: 'pay', title: 'Lena worked late', evidence: { days: 5 } },
    ];
  },
};
const stuck: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'item.stuck',
  title: 'Stuck item',
  description: 'A test detector: the payments team has a stuck item.',
  async detect() {
    return [{ severity: 'warning', subject: { type: 'team', id: 'pay' }, team: 'pay', title: 'PAY-1 is stuck', evidence: {} }];
  },
};

const ANA = 'person.after_hours:person:ana';
const LENA = 'person.after_hours:person:lena';
const TEAM = 'item.stuck:team:pay';

beforeAll(async () => {
  ts = await createTeamState({ database: ':memory:', clock: () => NOW, signals: [afterHours, stuck] });
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [
      { id: 'pay', name: 'Payments', leads: ['lena'] },
      { id: 'growth', name: 'Growth', leads: ['gil'] },
    ],
    people: [
      { id: 'ana', name: 'Ana', teams: ['pay'] },
      { id: 'dan', name: 'Dan', teams: ['pay'] },
      { id: 'lena', name: 'Lena', teams: ['pay'] },
      { id: 'cleo', name: 'Cleo', teams: ['growth'] },
      { id: 'gil', name: 'Gil', teams: ['growth'] },
    ],
  });
  await ts.signals.refresh();
});
afterAll(() => ts.close());

/** The error a call fails with (it must fail). */
async function failure(call: Promise<unknown>): Promise<TeamStateError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!TeamStateError.isInstance(error)) throw new Error(`expected a TeamStateError, got ${String(error)}`);
  return error;
}

/** What an ack, snooze or unack could have written: the row's triage columns and the signal entries of the ledger. */
async function written(id: string) {
  const signal = await ts.signals.get(id);
  const entries = (await ts.audit.list({ limit: 1000 })).filter((e) => e.type.startsWith('signal.') && e.data.signal === id);
  return { ack: signal?.ack, snoozedUntil: signal?.snoozedUntil, owner: signal?.owner, entries: entries.length };
}

describe('a person-level signal the caller may not read does not exist for them', () => {
  it('answers a plain member of another team, a teammate and another team’s lead exactly as a wrong id, and writes nothing', async () => {
    const before = { ana: await written(ANA), lena: await written(LENA) };
    const wrong = await failure(ts.signals.ack('person.after_hours:person:nobody', { by: 'cleo' }));
    const same = (error: TeamStateError, id: string) => {
      expect(error.code).toBe(wrong.code);
      expect(error.message.replace(id, '<id>')).toBe(wrong.message.replace('person.after_hours:person:nobody', '<id>'));
    };
    expect(wrong.code).toBe('not_found');
    for (const by of ['cleo', 'dan', 'gil']) {
      same(await failure(ts.signals.ack(ANA, { by })), ANA);
      same(await failure(ts.signals.snooze(ANA, { by, for: '30d' })), ANA);
      same(await failure(ts.signals.unack(ANA, { by })), ANA);
      same(await failure(ts.as(by).signals.ack(ANA, { by })), ANA);
    }
    // A lead's own wellbeing signal is theirs and their teams' leads' only: another team's lead gets nothing either.
    same(await failure(ts.signals.ack(LENA, { by: 'gil' })), LENA);
    same(await failure(ts.signals.snooze(LENA, { by: 'ana', for: '30d' })), LENA);
    expect({ ana: await written(ANA), lena: await written(LENA) }).toEqual(before);
  });

  it('lets the person and their lead acknowledge, snooze and take it back, each on the audit ledger', async () => {
    const acked = await ts.as('lena').signals.ack(ANA, { by: 'lena' });
    expect(acked).toMatchObject({ fingerprint: ANA, ack: { by: 'lena' }, owner: 'lena' });
    const snoozed = await ts.signals.snooze(ANA, { by: 'ana', for: '2d' });
    expect(snoozed.snoozedUntil).toBe('2026-03-22T12:00:00.000Z');
    const back = await ts.signals.unack(ANA, { by: 'ana' });
    expect(back).not.toHaveProperty('ack');
    expect(back).not.toHaveProperty('snoozedUntil');
    const entries = (await ts.audit.list({ limit: 1000 })).filter((e) => e.type.startsWith('signal.') && e.data.signal === ANA);
    expect(entries.map((e) => [e.type, e.actor])).toEqual([
      ['signal.ack', 'lena'],
      ['signal.snooze', 'ana'],
      ['signal.unack', 'ana'],
    ]);
    expect((await ts.audit.verify()).ok).toBe(true);
  });
});

describe('a team’s signal', () => {
  it('is acknowledged only by its addressees, its team’s members and its leads; anyone else is refused and nothing changes', async () => {
    const before = await written(TEAM);
    for (const by of ['cleo', 'gil']) {
      for (const call of [ts.signals.ack(TEAM, { by }), ts.signals.snooze(TEAM, { by, for: '2d' }), ts.signals.unack(TEAM, { by })]) {
        const error = await failure(call);
        expect(error.code).toBe('forbidden');
        expect(error.message).toMatch(new RegExp(`members of team pay and its leads; ${by} is none of them`));
      }
    }
    expect(await written(TEAM)).toEqual(before);
    expect(await ts.signals.ack(TEAM, { by: 'dan' })).toMatchObject({ ack: { by: 'dan' } });
    expect(await ts.signals.unack(TEAM, { by: 'lena' })).not.toHaveProperty('ack');
    const types = (await ts.audit.list({ type: 'signal.ack' })).map((e) => e.data.signal);
    expect(types).toContain(TEAM);
    expect((await ts.audit.list({ type: 'signal.unack' })).map((e) => [e.data.signal, e.actor])).toContainEqual([TEAM, 'lena']);
  });
});
