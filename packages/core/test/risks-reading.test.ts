import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTeamState, type SignalDetector, type TeamRisk, type TeamState } from '../src/index.js';

// Risks follow the one reading rule (docs/security.md): a risk and its team-level facts are readable to everyone, but
// the evidence that is a person's wellbeing signal or a person's report only to whoever may read that person's
// wellbeing or reports. Read through ts.as(viewer), the MCP server and the CLI alike.

let ts: TeamState;
const now = Date.parse('2026-03-18T10:00:00Z');

// A wellbeing detector: Ana worked after hours (a person-level signal).
const afterHours: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'person.after_hours',
  title: 'After-hours work',
  description: 'A test detector: Ana worked after hours.',
  wellbeing: true,
  async detect() {
    return [
      {
        severity: 'info',
        subject: { type: 'person', id: 'ana' },
        team: 'payments',
        title: 'Ana worked after hours on 4 of the last 7 days',
        evidence: { days: 4, latest: '2026-03-17T23:40:00Z' },
      },
    ];
  },
};
// Not a wellbeing signal: readable to everyone, like the signal itself.
const blocked: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'item.blocked',
  title: 'Blocked item',
  description: 'A test detector: PAY-1 is blocked.',
  async detect() {
    return [
      {
        severity: 'warning',
        subject: { type: 'work_item', id: 'jira:PAY-1' },
        team: 'payments',
        title: 'PAY-1 has been Blocked for 4 days',
        evidence: { status: 'Blocked', days: 4 },
      },
    ];
  },
};

const WELLBEING = 'person.after_hours:person:ana';

beforeEach(async () => {
  ts = await createTeamState({ database: ':memory:', clock: () => new Date(now), signals: [afterHours, blocked] });
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [
      { id: 'payments', name: 'Payments', leads: ['lena'] },
      { id: 'growth', name: 'Growth' },
    ],
    people: [
      { id: 'ana', name: 'Ana', teams: ['payments'] },
      { id: 'dan', name: 'Dan', teams: ['payments'] },
      { id: 'lena', name: 'Lena', teams: ['payments'] },
      { id: 'cleo', name: 'Cleo', teams: ['growth'] },
    ],
    workItems: [
      {
        id: 'jira:PAY-1',
        source: 'jira',
        kind: 'story',
        key: 'PAY-1',
        title: 'Card processor migration',
        state: 'Blocked',
        team: 'payments',
        createdAt: '2026-03-01T09:00:00Z',
      },
    ],
  });
  await ts.signals.refresh();
});
afterEach(() => ts.close());

/** Records the risk from Ana's wellbeing signal, with her report and a note as more evidence. */
async function recordRisks(): Promise<{ wellbeing: TeamRisk; blockedRisk: TeamRisk }> {
  const report = await ts.reports.submit({ person: 'ana', day: '2026-03-17', text: 'Late again: on-call pages all night', source: 'api' });
  const { risk: wellbeing } = await ts.risks.create(
    {
      title: 'On-call load burns out the payments team',
      severity: 'high',
      owner: 'lena',
      source: `signal:${WELLBEING}`,
      evidence: [
        { kind: 'report', ref: report.id, title: 'Late again: on-call pages all night' },
        { kind: 'note', ref: 'on-call rota', title: 'Rota has three people for seven days' },
      ],
    },
    { requestedBy: 'lena' },
  );
  const { risk: blockedRisk } = await ts.risks.create(
    { title: 'The card migration may slip', severity: 'medium', source: 'signal:item.blocked:work_item:jira:PAY-1' },
    { requestedBy: 'lena' },
  );
  return { wellbeing: wellbeing!, blockedRisk: blockedRisk! };
}

const kinds = (risk: TeamRisk | undefined) => risk?.evidence.map((e) => e.kind);

describe('risks under the reading rule', () => {
  it('keeps a person’s wellbeing signal and report out of the evidence another team reads', async () => {
    const { wellbeing, blockedRisk } = await recordRisks();
    expect(kinds(wellbeing)).toEqual(['signal', 'report', 'note']);

    const cleo = ts.as('cleo');
    const seen = await cleo.risks.get(wellbeing.id);
    // The risk itself (team, title, owner, severity) stays readable; the person-level evidence does not.
    expect(seen).toMatchObject({ id: wellbeing.id, team: 'payments', title: wellbeing.title, owner: 'lena', source: 'signal:withheld' });
    expect(seen?.evidence).toEqual([{ kind: 'note', ref: 'on-call rota', title: 'Rota has three people for seven days' }]);
    expect(JSON.stringify(await cleo.risks.list({ status: 'all' }))).not.toMatch(/after_hours|person:ana|on-call pages/);
    // A risk from a signal everyone may read keeps its evidence.
    expect((await cleo.risks.get(blockedRisk.id))?.evidence).toEqual(blockedRisk.evidence);
    // A credential that names nobody reads no one's.
    expect(kinds(await ts.as({}).risks.get(wellbeing.id))).toEqual(['note']);
  });

  it('lets the person, their team’s lead and the owner of the database read it all', async () => {
    const { wellbeing } = await recordRisks();
    for (const reader of [ts.as('ana'), ts.as('lena'), ts]) {
      expect(await reader.risks.get(wellbeing.id)).toEqual(wellbeing);
      expect((await reader.risks.list()).find((r) => r.id === wellbeing.id)).toEqual(wellbeing);
    }
  });

  it('applies each kind’s own rule: a teammate reads the report (privacy.reports team) but not the wellbeing signal (leads)', async () => {
    const { wellbeing } = await recordRisks();
    const dan = await ts.as('dan').risks.get(wellbeing.id);
    expect(kinds(dan)).toEqual(['report', 'note']);
    expect(dan?.source).toBe('signal:withheld');
  });

  it('follows the policy: privacy.wellbeing team lets teammates read it', async () => {
    await ts.close();
    ts = await createTeamState({
      database: ':memory:',
      clock: () => new Date(now),
      signals: [afterHours, blocked],
      policy: { privacy: { wellbeing: 'team' } },
    });
    await ts.import({
      format: 'teamstate.bundle/v1',
      teams: [{ id: 'payments', name: 'Payments' }],
      people: [
        { id: 'ana', name: 'Ana', teams: ['payments'] },
        { id: 'dan', name: 'Dan', teams: ['payments'] },
        { id: 'lena', name: 'Lena', teams: ['payments'] },
        { id: 'cleo', name: 'Cleo', teams: [] },
      ],
    });
    await ts.signals.refresh();
    const { risk } = await ts.risks.create({ title: 'Burnout', severity: 'high', source: `signal:${WELLBEING}` }, { requestedBy: 'lena' });
    expect((await ts.as('dan').risks.get(risk!.id))?.source).toBe(`signal:${WELLBEING}`);
    expect((await ts.as('cleo').risks.get(risk!.id))?.evidence).toEqual([]);
  });

  it('answers a change with the risk as the viewer may read it', async () => {
    await ts.risks.create({ id: 'burnout', title: 'Burnout', severity: 'high', source: `signal:${WELLBEING}` }, { requestedBy: 'lena' });
    const risk = await ts.as('cleo').risks.get('burnout');
    expect(risk).toMatchObject({ source: 'signal:withheld', evidence: [] });
    // Stored in full: the owner and the lead read the evidence.
    expect(kinds(await ts.as('lena').risks.get(risk!.id))).toEqual(['signal']);
    const { risk: updated } = await ts.as('cleo').risks.update(risk!.id, { severity: 'critical' }, { requestedBy: 'cleo' });
    expect(updated).toMatchObject({ severity: 'critical', evidence: [] });
  });

  it('keeps the person-level evidence out of the approvals every viewer reads', async () => {
    const { wellbeing } = await recordRisks();
    const [created] = (await ts.approvals.list({ type: 'risk.create' })).filter((a) => a.params.title === wellbeing.title);
    // Stored as the change's record: what was asked and the risk it made, never the evidence copied from the signal.
    const { source: _source, evidence: _evidence, ...teamLevel } = wellbeing;
    expect(created?.result).toEqual(teamLevel);
    expect(JSON.stringify(created)).not.toMatch(/latest|"days"/);
    const { approval: update } = await ts.risks.update(wellbeing.id, { severity: 'critical' }, { requestedBy: 'lena' });
    expect(update.result).toMatchObject({ id: wellbeing.id, severity: 'critical' });
    expect(update.result).not.toHaveProperty('evidence');

    // Approvals are readable to everyone; the params that name a person's wellbeing signal or report are not.
    const leak = /after_hours|person:ana|on-call pages|Late again/;
    const cleo = ts.as('cleo');
    const seen = await cleo.approvals.get(created!.id);
    expect(seen).toMatchObject({ id: created!.id, type: 'risk.create', status: 'executed' });
    expect(seen?.params).toMatchObject({ title: wellbeing.title, source: 'signal:withheld' });
    expect(seen?.params.evidence).toEqual([{ kind: 'note', ref: 'on-call rota', title: 'Rota has three people for seven days' }]);
    expect(JSON.stringify(await cleo.approvals.list())).not.toMatch(leak);
    expect(JSON.stringify(await cleo.approvals.wait(created!.id))).not.toMatch(leak);
    // Dan may read Ana's report (privacy.reports team) but not her wellbeing signal.
    expect((await ts.as('dan').approvals.get(created!.id))?.params).toMatchObject({
      source: 'signal:withheld',
      evidence: [{ kind: 'report' }, { kind: 'note' }],
    });
    // The lead and the owner of the database read it as it was asked.
    expect((await ts.as('lena').approvals.get(created!.id))?.params).toEqual(created!.params);

    // Proposing a risk from a wellbeing signal one may not read: there is no such signal for them (the next test).
  });

  it('withholds evidence whose signal is gone when its kind is a wellbeing kind (resolved and forgotten)', async () => {
    const { wellbeing } = await recordRisks();
    await ts.store.write(async (tx) => {
      await tx.execute({ sql: 'DELETE FROM signals WHERE fingerprint = ?', args: [WELLBEING] });
    });
    expect(kinds(await ts.as('cleo').risks.get(wellbeing.id))).toEqual(['note']);
    expect(kinds(await ts.as('lena').risks.get(wellbeing.id))).toEqual(['signal', 'report', 'note']);
  });
});

describe('a risk from a signal the proposer may not read', () => {
  /** What a failed change answers: its code and its text, the signal's id aside. */
  const refusal = async (change: Promise<unknown>, id: string) => {
    const error = await change.then(
      () => undefined,
      (e: unknown) => e as { code?: string; message: string },
    );
    return { code: error?.code, message: error?.message.replace(id, '<id>') };
  };

  it('is "no signal", exactly as a wrong id, on every path, and nothing is created', async () => {
    const risksBefore = (await ts.risks.list({ status: 'all' })).length;
    const approvalsBefore = (await ts.approvals.list({ type: 'risk.create' })).length;
    const wrong = 'person.after_hours:person:nobody';
    const create = (reader: TeamState, source: string, by: { requestedBy: string; onBehalfOf?: string }) =>
      reader.risks.create({ team: 'payments', title: 'Burnout', severity: 'high', source: `signal:${source}` }, by);
    const propose = (source: string, by: { requestedBy: string; onBehalfOf?: string }) =>
      ts.actions.propose({
        type: 'risk.create',
        target: 'team:payments',
        params: { title: 'Burnout', severity: 'high', source: `signal:${source}` },
        reason: 'record it',
        ...by,
      });
    for (const by of [
      { requestedBy: 'cleo' },
      { requestedBy: 'dan' },
      { requestedBy: 'assistant', onBehalfOf: 'cleo' },
      { requestedBy: 'assistant' },
    ]) {
      expect(await refusal(create(ts, WELLBEING, by), WELLBEING)).toEqual(await refusal(create(ts, wrong, by), wrong));
      expect(await refusal(propose(WELLBEING, by), WELLBEING)).toEqual(await refusal(propose(wrong, by), wrong));
    }
    expect(await refusal(create(ts.as('cleo'), WELLBEING, { requestedBy: 'cleo' }), WELLBEING)).toMatchObject({
      message: expect.stringMatching(/^source: no signal "<id>"/),
    });
    expect((await ts.risks.list({ status: 'all' })).length).toBe(risksBefore);
    expect((await ts.approvals.list({ type: 'risk.create' })).length).toBe(approvalsBefore);
    // Whoever may read it records the risk: the person, their lead, and for a lead, through an assistant.
    const { risk } = await create(ts, WELLBEING, { requestedBy: 'assistant', onBehalfOf: 'lena' });
    expect(kinds(risk)).toEqual(['signal']);
  });
});
