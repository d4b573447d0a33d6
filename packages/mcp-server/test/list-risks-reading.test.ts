import { createTeamState, type SignalDetector, type TeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect } from './fixtures/connect.js';

// list_risks reads as the caller (docs/hub.md#risk-register): a person's wellbeing signal in a risk's evidence only
// for whoever may read that person's wellbeing (the person and their teams' leads by default).
const NOW = new Date('2026-03-20T12:00:00Z');
const WELLBEING = 'person.after_hours:person:ana';
let ts: TeamState;
const servers: Awaited<ReturnType<typeof connect>>[] = [];

const afterHours: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'person.after_hours',
  title: 'After-hours work',
  description: 'A test detector: Ana worked after hours.',
  wellbeing: true,
  async detect() {
    return [
      { severity: 'info', subject: { type: 'person', id: 'ana' }, team: 'payments', title: 'Ana worked late', evidence: { days: 4 } },
    ];
  },
};

beforeAll(async () => {
  ts = await createTeamState({ database: ':memory:', clock: () => NOW, signals: [afterHours] });
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [
      { id: 'payments', name: 'Payments', leads: ['lena'] },
      { id: 'growth', name: 'Growth' },
    ],
    people: [
      { id: 'ana', name: 'Ana', teams: ['payments'] },
      { id: 'lena', name: 'Lena', teams: ['payments'] },
      { id: 'cleo', name: 'Cleo', teams: ['growth'] },
    ],
  });
  await ts.signals.refresh();
  await ts.risks.create({ id: 'r1', title: 'On-call burnout', severity: 'high', source: `signal:${WELLBEING}` }, { requestedBy: 'lena' });
});
afterAll(async () => {
  for (const server of servers) await server.close();
  await ts.close();
});

async function listAs(person: string) {
  const server = await connect(ts, { onBehalfOf: person });
  servers.push(server);
  return call<{ risks: { id: string; source: string; evidence: { kind: string; ref: string }[] }[] }>(server.client, 'list_risks', {});
}

describe('list_risks under the reading rule', () => {
  it("keeps team payments' wellbeing evidence from a viewer of team growth, and shows it to the team's lead", async () => {
    const other = await listAs('cleo');
    expect(other.risks).toMatchObject([{ id: 'r1', source: 'signal:withheld', evidence: [] }]);
    expect(JSON.stringify(other)).not.toContain('person:ana');
    const lead = await listAs('lena');
    expect(lead.risks).toMatchObject([{ id: 'r1', source: `signal:${WELLBEING}`, evidence: [{ kind: 'signal', ref: WELLBEING }] }]);
  });

  it('keeps the wellbeing signal out of the approvals list_approvals and get_approval answer another team with', async () => {
    const cleo = await connect(ts, { onBehalfOf: 'cleo' });
    servers.push(cleo);
    const { items } = await call<{ items: { id: string; type: string; target: string; params: { source?: string } }[] }>(
      cleo.client,
      'list_approvals',
      { type: 'risk.create' },
    );
    expect(items).toMatchObject([{ type: 'risk.create', target: 'team:payments', params: { source: 'signal:withheld' } }]);
    expect(JSON.stringify(items)).not.toMatch(/person:ana|after_hours|"days"/);
    const one = await call<{ params: { source?: string } }>(cleo.client, 'get_approval', { id: items[0]!.id });
    expect(JSON.stringify(one)).not.toMatch(/person:ana|after_hours|"days"/);
    const lena = await connect(ts, { onBehalfOf: 'lena' });
    servers.push(lena);
    expect((await call<{ params: { source?: string } }>(lena.client, 'get_approval', { id: items[0]!.id })).params.source).toBe(
      `signal:${WELLBEING}`,
    );
  });
});
