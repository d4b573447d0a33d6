import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Connector, createTeamState, defineActionType, runNudges, type SignalDetector, type TeamState } from '../src/index.js';
import { testConnector } from '../src/testing/index.js';

// The Slack messages teamstate composes inside core (working-agreement nudges quoting a signal's title) follow the
// policy's `limits.pii_redaction` (docs/security.md#pii-redaction), like every read; stored signals are unchanged.
let now = new Date('2026-03-02T10:00:00Z');
let ts: TeamState | undefined;
afterEach(async () => {
  await ts?.close();
  ts = undefined;
});

const TITLE = 'Refund for jo.doe@example.com (+44 20 7946 0958) is stuck since 2026-03-01 (PAY-131)';
const stuck: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'item.stuck',
  title: 'Stuck item',
  description: 'A work item that does not move.',
  async detect() {
    return [{ severity: 'warning' as const, subject: { type: 'person' as const, id: 'ana' }, team: 'pay', title: TITLE, evidence: {} }];
  },
};

const sent: string[] = [];
const dm: Connector = testConnector({
  id: 'slack',
  actions: [
    defineActionType({
      type: 'slack.dm.send',
      description: 'Send a direct message',
      risk: 'low',
      params: z.strictObject({ user: z.string(), text: z.string(), blocks: z.array(z.unknown()).optional() }),
      async execute(params) {
        sent.push(JSON.stringify(params));
        return { sent: true };
      },
    }),
  ],
});

async function nudgeText(level: 'standard' | 'strict'): Promise<{ message: string; stored: string }> {
  sent.length = 0;
  now = new Date('2026-03-02T10:00:00Z');
  const opened = await createTeamState({
    database: ':memory:',
    clock: () => now,
    signals: [stuck],
    connectors: [dm],
    policy: {
      actions: { 'slack.dm.send': { mode: 'auto' } },
      agreements: [{ id: 'unstick', signal: 'item.stuck', after: '4h', notify: 'author' }],
      limits: { pii_redaction: level },
    },
  });
  ts = opened;
  await opened.import({
    format: 'teamstate.bundle/v1',
    teams: [{ id: 'pay', name: 'Payments' }],
    people: [{ id: 'ana', name: 'Ana', teams: ['pay'], accounts: [{ provider: 'slack', id: 'U0ANA' }] }],
  });
  await opened.signals.refresh();
  now = new Date('2026-03-02T15:00:00Z');
  await runNudges(opened);
  const stored = await opened.store.execute("SELECT title FROM signals WHERE kind = 'item.stuck'");
  return { message: sent.join('\n'), stored: String(stored.rows[0]?.title) };
}

describe('pii_redaction in the messages teamstate composes', () => {
  it('strict: a nudge quotes the signal’s title with [email] and [phone], and the stored title is unchanged', async () => {
    const { message, stored } = await nudgeText('strict');
    expect(message).toContain('Refund for [email] ([phone]) is stuck since 2026-03-01 (PAY-131)');
    expect(message).not.toContain('jo.doe@example.com');
    expect(message).not.toContain('7946');
    expect(stored).toBe(TITLE);
  });

  it('standard: the nudge quotes the title as it is', async () => {
    const { message } = await nudgeText('standard');
    expect(message).toContain(TITLE);
  });
});
