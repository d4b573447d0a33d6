import { demo } from '@teamstate/connectors/demo';
import { createTeamState, type TeamState } from '@teamstate/core';
import { builtinSignals } from '@teamstate/metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, callError, connect } from './fixtures/connect.js';

// `ack_signal` (issue 50): the caller acknowledges or snoozes a signal as their own person, never as anyone else.
const NOW = new Date('2026-11-23T09:30:00Z');
let ts: TeamState;
let asAna: Awaited<ReturnType<typeof connect>>;
let anonymous: Awaited<ReturnType<typeof connect>>;
let readOnly: Awaited<ReturnType<typeof connect>>;

beforeAll(async () => {
  ts = await createTeamState({ database: ':memory:', connectors: [demo()], signals: builtinSignals, clock: () => NOW });
  await ts.sync();
  await ts.signals.refresh();
  asAna = await connect(ts, { onBehalfOf: 'ana-garcia' });
  anonymous = await connect(ts);
  readOnly = await connect(ts, { onBehalfOf: 'ana-garcia', scopes: ['read', 'propose'] });
});
afterAll(async () => {
  for (const server of [asAna, anonymous, readOnly]) await server.close();
  await ts.close();
});

type Answer = { signal: { fingerprint: string; ack?: { by: string; at: string }; snoozedUntil?: string; owner?: string } };

describe('ack_signal', () => {
  it('acknowledges as the caller, snoozes, and refuses an unknown caller, a read-only token and an unknown signal', async () => {
    // Signals of Ana's team (payments): a member may acknowledge them (docs/security.md#who-may-acknowledge-a-signal).
    const [first] = await ts.signals.list({ kind: 'pr.awaiting_review', team: 'payments' });
    const second = (await ts.signals.list({ team: 'payments' })).find(
      (s) => s.fingerprint !== first?.fingerprint && !s.kind.startsWith('person.'),
    );
    const { signal } = await call<Answer>(asAna.client, 'ack_signal', { signal: first!.fingerprint });
    expect(signal).toEqual({
      fingerprint: first!.fingerprint,
      title: first!.title,
      ack: { by: 'ana-garcia', at: NOW.toISOString() },
      owner: 'ana-garcia',
    });
    expect((await ts.signals.get(first!.fingerprint))?.ack?.by).toBe('ana-garcia');
    const snoozed = await call<Answer>(asAna.client, 'ack_signal', { signal: second!.fingerprint, snooze: '2d' });
    expect(snoozed.signal).toMatchObject({ snoozedUntil: '2026-11-25T09:30:00.000Z', owner: 'ana-garcia' });
    expect(await callError(anonymous.client, 'ack_signal', { signal: first!.fingerprint })).toMatch(/does not know who is calling/);
    expect(await callError(readOnly.client, 'ack_signal', { signal: first!.fingerprint })).toMatch(/no write scope/);
    expect(await callError(asAna.client, 'ack_signal', { signal: 'nope' })).toMatch(/signal: no signal "nope"/);
  });
});

describe('ack_signal on a signal the caller may not act on', () => {
  it('answers a wellbeing signal the caller may not read exactly as a wrong id, and writes nothing', async () => {
    const ben = await connect(ts, { onBehalfOf: 'ben-tanaka' });
    try {
      const hidden = 'person.after_hours:person:femi-santos';
      expect(await ts.signals.get(hidden)).toBeDefined();
      const before = await ts.signals.get(hidden);
      const wrong = await callError(ben.client, 'ack_signal', { signal: 'person.after_hours:person:nobody' });
      for (const args of [{ signal: hidden }, { signal: hidden, snooze: '30d' }]) {
        const answer = await callError(ben.client, 'ack_signal', args);
        expect(answer.replace(hidden, '<id>')).toBe(wrong.replace('person.after_hours:person:nobody', '<id>'));
      }
      expect(await ts.signals.get(hidden)).toEqual(before);
      expect((await ts.audit.list({ type: 'signal.ack' })).map((e) => e.data.signal)).not.toContain(hidden);
    } finally {
      await ben.close();
    }
  });
});
