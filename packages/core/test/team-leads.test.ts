import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Connector, createTeamState, defineActionType, runNudges, type SignalDetector, type TeamState } from '../src/index.js';
import { testConnector } from '../src/testing/index.js';

// A team's leads have one definition, used by every feature: `teams[].leads` plus the policy's approvers who are
// members of the team. Escalations to `leads` reach an approver who leads that way, as the reading rule lets them read.
let now = new Date('2026-03-02T10:00:00Z'); // a Monday
let ts: TeamState | undefined;
afterEach(async () => {
  await ts?.close();
  ts = undefined;
});

const stuck: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'item.stuck',
  title: 'Stuck item',
  description: 'A work item that does not move.',
  async detect() {
    return [
      { severity: 'warning' as const, subject: { type: 'person' as const, id: 'ana' }, team: 'pay', title: 'ana is stuck', evidence: {} },
    ];
  },
};

const dm: Connector = testConnector({
  id: 'slack',
  actions: [
    defineActionType({
      type: 'slack.dm.send',
      description: 'Send a direct message',
      risk: 'low',
      params: z.strictObject({ user: z.string(), text: z.string(), blocks: z.array(z.unknown()).optional() }),
      async execute() {
        return { sent: true };
      },
    }),
  ],
});

const person = (id: string, teams: string[]) => ({ id, name: id, teams, accounts: [{ provider: 'slack', id: `U0${id.toUpperCase()}` }] });

async function start(approvers: Record<string, string[]>) {
  ts = await createTeamState({
    database: ':memory:',
    clock: () => now,
    signals: [stuck],
    connectors: [dm],
    policy: {
      actions: { 'slack.dm.send': { mode: 'auto' } },
      approvers,
      privacy: { reports: 'person' },
      agreements: [{ id: 'unstick', signal: 'item.stuck', after: '4h', notify: 'author', escalate: { after: '8h', notify: 'leads' } }],
    },
  });
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [
      { id: 'pay', name: 'Payments' },
      { id: 'leads', name: 'Leads' },
    ],
    people: [person('ana', ['pay']), person('ben', ['pay']), person('cy', ['pay', 'leads']), person('dee', ['leads'])],
    reports: [{ person: 'ana', day: '2026-03-01', text: 'shipped the fix' }],
  });
  return ts;
}

/** Who the escalation went to, once the signal is 9 hours old. */
async function escalatedTo(ts: TeamState): Promise<string[]> {
  now = new Date('2026-03-02T10:00:00Z');
  await ts.signals.refresh();
  now = new Date('2026-03-02T19:00:00Z');
  const round = await runNudges(ts, { now: new Date('2026-03-03T10:00:00Z') });
  return round.sent
    .filter((nudge) => nudge.stage === 'escalate')
    .map((nudge) => nudge.recipient)
    .sort();
}

describe("a team's leads, one definition for reading and nudges", () => {
  it('escalates to an approver named by id who is a member of the team (and whom the reading rule counts as a lead)', async () => {
    const ts = await start({ high: ['ben'] });
    expect(await escalatedTo(ts)).toEqual(['ben']);
    // The reading rule (reports: author and their teams' leads) lets the same person read Ana's report.
    expect((await ts.as('ben').reports.list({ person: 'ana' })).items.map((r) => r.text)).toEqual(['shipped the fix']);
    await expect(ts.as('cy').reports.list({ person: 'ana' })).rejects.toThrow(/visible to them and their teams’ leads/);
  });

  it('escalates to the members of an approving team who are members of this one, not to the others', async () => {
    const ts = await start({ high: ['team:leads'] });
    expect(await escalatedTo(ts)).toEqual(['cy']);
  });
});
