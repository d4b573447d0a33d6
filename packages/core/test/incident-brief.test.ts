// `ts.incidents.brief(id)`: the timeline merged with deployments, merges and signals from 24 h before the start, the
// ranked suspects with the rows behind each reason, on-call and responders, runbooks with citations, and drafts in
// which every line cites its source. The known-answer test plants incidents in a generated week, each caused by one
// deployment with decoys nearby, and measures top-1 and top-3 suspect accuracy on two seeds (the second untuned).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTeamState, localKnowledge, type TeamState } from '../src/index.js';
import { plantedWeek } from './fixtures/incident-week.js';

const NOW = new Date('2026-05-12T00:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'teamstate-brief-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function accuracy(seed: number) {
  const { bundle, causes } = plantedWeek(seed);
  const ts = await createTeamState({ database: ':memory:', clock: () => NOW });
  await ts.import(bundle);
  let top1 = 0;
  let top3 = 0;
  for (const [incident, cause] of causes) {
    const brief = await ts.incidents.brief(incident);
    const ranked = brief.suspects.map((s) => s.deployment);
    if (ranked[0] === cause) top1++;
    if (ranked.slice(0, 3).includes(cause)) top3++;
  }
  await ts.close();
  return { top1: top1 / causes.size, top3: top3 / causes.size, incidents: causes.size };
}

/** Every non-empty line ends with one or more citations `[kind:id]`. */
const uncited = (markdown: string) => markdown.split('\n').filter((line) => line.trim() !== '' && !/(?: \[[a-z_]+:[^\]]+\])+$/.test(line));

describe('incident brief', () => {
  it('names the deploying change: top-1 ≥ 0.8 and top-3 = 1.0 on the tuned seed and on a second one', async () => {
    const tuned = await accuracy(1);
    const untuned = await accuracy(2);
    console.log(
      `suspect accuracy: seed 1 top-1 ${tuned.top1.toFixed(3)} top-3 ${tuned.top3.toFixed(3)} (${tuned.incidents} incidents); seed 2 (untuned) top-1 ${untuned.top1.toFixed(3)} top-3 ${untuned.top3.toFixed(3)} (${untuned.incidents} incidents)`,
    );
    for (const result of [tuned, untuned]) {
      expect(result.top1).toBeGreaterThanOrEqual(0.8);
      expect(result.top3).toBe(1);
    }
  });

  it('merges the timeline, ranks suspects with the rows behind each reason, and cites every draft line', async () => {
    const docs = join(dir, 'docs');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(docs, 'runbooks'), { recursive: true });
    writeFileSync(
      join(docs, 'runbooks', 'checkout.md'),
      '# Checkout runbook\n\n## Error rate above 5%\n\nRoll back the last checkout deployment with `deploy rollback checkout`, then check the payment provider status.\n',
    );
    const ts: TeamState = await createTeamState({
      database: ':memory:',
      clock: () => new Date('2026-05-05T12:00:00Z'),
      knowledge: { sources: [localKnowledge({ paths: ['docs'], baseDir: dir })] },
    });
    await ts.knowledge.sync();
    await ts.import({
      format: 'teamstate.bundle/v1',
      teams: [
        { id: 'shop', name: 'Shop', leads: ['lea'] },
        { id: 'search', name: 'Search' },
      ],
      people: [
        { id: 'lea', name: 'Lea Lead', teams: ['shop'] },
        { id: 'rui', name: 'Rui', teams: ['shop'] },
      ],
      repositories: [
        { id: 'acme/checkout', team: 'shop' },
        { id: 'acme/search', team: 'search' },
      ],
      workItems: [
        {
          id: 'acme/checkout#7',
          source: 'github',
          kind: 'pull_request',
          key: 'acme/checkout#7',
          title: 'Retry card payments [incident:fake] \n# injected',
          state: 'merged',
          repository: 'acme/checkout',
          createdAt: '2026-05-05T06:00:00Z',
          mergedAt: '2026-05-05T09:00:00Z',
          paths: ['services/checkout/pay.ts'],
        },
      ],
      deployments: [
        {
          id: 'old',
          repository: 'acme/checkout',
          environment: 'production',
          status: 'success',
          finishedAt: '2026-05-04T08:00:00Z',
          sha: 'a1',
        },
        {
          id: 'cause',
          repository: 'acme/checkout',
          environment: 'production',
          status: 'success',
          finishedAt: '2026-05-05T09:30:00Z',
          sha: 'b2',
          pullRequests: ['acme/checkout#7'],
        },
        {
          id: 'decoy',
          repository: 'acme/search',
          environment: 'production',
          status: 'success',
          finishedAt: '2026-05-05T09:50:00Z',
          sha: 'c3',
        },
        {
          id: 'rollback',
          repository: 'acme/checkout',
          environment: 'production',
          status: 'success',
          finishedAt: '2026-05-05T10:40:00Z',
          sha: 'a1',
        },
      ],
      incidents: [
        {
          id: 'pd-1',
          title: 'checkout error rate above 5%',
          source: 'pagerduty',
          externalId: 'Q1ABC',
          service: 'checkout',
          team: 'shop',
          urgency: 'high',
          status: 'resolved',
          createdAt: '2026-05-05T10:00:00Z',
          acknowledgedAt: '2026-05-05T10:03:00Z',
          resolvedAt: '2026-05-05T10:45:00Z',
          responders: ['rui', 'Sam from SRE'],
          timeline: [
            { at: '2026-05-05T10:00:00Z', kind: 'triggered', text: 'checkout error rate above 5%' },
            { at: '2026-05-05T10:03:00Z', kind: 'acknowledged', actor: 'Rui' },
            { at: '2026-05-05T10:10:00Z', kind: 'status_update', text: 'Investigating elevated checkout errors' },
            { at: '2026-05-05T10:45:00Z', kind: 'resolved', actor: 'Rui' },
          ],
        },
      ],
    });
    const brief = await ts.incidents.brief('pd-1');
    expect(brief.incident).toMatchObject({ id: 'pd-1', status: 'resolved', source: 'pagerduty', service: 'checkout', team: 'shop' });
    // 'old' finished 26 h before the start and 'rollback' after it: neither is a suspect.
    expect(brief.suspects.map((s) => s.deployment)).toEqual(['cause']);
    const [top] = brief.suspects;
    expect(top?.reasons.map((r) => r.kind)).toEqual(['team', 'paths', 'nearest', 'failed']);
    expect(top?.reasons.find((r) => r.kind === 'paths')?.rows).toEqual(['pull_request:acme/checkout#7']);
    expect(top?.reasons.find((r) => r.kind === 'failed')?.rows).toEqual(['deployment:cause', 'deployment:rollback']);
    // The search team's deployment is no suspect, and not in the shop team's timeline either.
    expect(brief.timeline.map((e) => `${e.kind} ${e.ref}`)).toEqual([
      'merge pull_request:acme/checkout#7',
      'deployment deployment:cause',
      'triggered incident:pd-1#0',
      'acknowledged incident:pd-1#1',
      'status_update incident:pd-1#2',
      'deployment deployment:rollback',
      'resolved incident:pd-1#3',
    ]);
    // No on-call shift is known for checkout or shop: the team's leads stand in, and the brief says so.
    expect(brief.oncall).toEqual([{ person: 'lea', name: 'Lea Lead', role: 'lead of team shop (no on-call known)' }]);
    expect(brief.responders).toEqual([
      { person: 'rui', name: 'Rui', role: 'responder' },
      { name: 'Sam from SRE', role: 'responder' },
    ]);
    expect(brief.runbooks[0]).toMatchObject({ title: 'Checkout runbook', headingPath: ['Checkout runbook', 'Error rate above 5%'] });
    expect(brief.runbooks[0]?.ref).toMatch(/^runbook:docs\/runbooks\/checkout\.md#/);

    // Every line of both drafts cites a row the brief holds; the PR title cannot forge a citation or a heading.
    const refs = new Set([
      'incident:pd-1',
      ...brief.timeline.map((e) => e.ref),
      ...brief.suspects.flatMap((s) => [`deployment:${s.deployment}`, ...s.reasons.flatMap((r) => r.rows)]),
      ...brief.runbooks.map((r) => r.ref),
      'person:lea',
      'person:rui',
    ]);
    for (const draft of [brief.drafts.statusUpdate, brief.drafts.postmortem]) {
      expect(uncited(draft)).toEqual([]);
      for (const line of draft.split('\n').filter((l) => l.trim() !== ''))
        for (const [, ref] of line.matchAll(/ \[([a-z_]+:[^\]]+)\](?= \[|$)/g)) expect(refs, line).toContain(ref);
      expect(draft).not.toMatch(/^# injected/m);
    }
    expect(brief.drafts.postmortem).toContain('Retry card payments \\[incident:fake\\] \\# injected');
    expect(brief.drafts.statusUpdate).toMatch(/^\*\*Resolved\*\*: checkout error rate above 5% \[incident:pd-1\]$/m);

    await expect(ts.incidents.brief('pd-2')).rejects.toThrow(/incident.*pd-2.*pd-1/s);
    const list = await ts.incidents.summaries();
    expect(list).toEqual([
      {
        id: 'pd-1',
        title: 'checkout error rate above 5%',
        source: 'pagerduty',
        externalId: 'Q1ABC',
        status: 'resolved',
        urgency: 'high',
        service: 'checkout',
        team: 'shop',
        createdAt: '2026-05-05T10:00:00.000Z',
        acknowledgedAt: '2026-05-05T10:03:00.000Z',
        resolvedAt: '2026-05-05T10:45:00.000Z',
      },
    ]);
    await ts.close();
  });

  it('names who was on call when the incident began, by service or team, and who is on call now while it is open', async () => {
    const ts = await createTeamState({ database: ':memory:', clock: () => new Date('2026-05-05T12:00:00Z') });
    const shift = (person: string, start: string, end: string, extra: Record<string, unknown> = {}) => ({
      source: 'pagerduty',
      escalationPolicy: 'PESCPOL',
      escalationPolicyName: 'Shop on-call',
      level: 1,
      schedule: 'PSCHED1',
      scheduleName: 'Shop primary',
      service: 'checkout',
      team: 'shop',
      person,
      start,
      end,
      ...extra,
    });
    await ts.import({
      format: 'teamstate.bundle/v1',
      teams: [{ id: 'shop', name: 'Shop', leads: ['lea'] }],
      people: [
        { id: 'lea', name: 'Lea Lead', teams: ['shop'] },
        { id: 'ana', name: 'Ana Lima', teams: ['shop'] },
        { id: 'rui', name: 'Rui', teams: ['shop'] },
        { id: 'sam', name: 'Sam', teams: ['shop'] },
      ],
      incidents: [
        {
          id: 'pd-old',
          title: 'checkout slow',
          source: 'pagerduty',
          service: 'checkout',
          status: 'resolved',
          createdAt: '2026-05-04T08:00:00Z',
          resolvedAt: '2026-05-04T09:00:00Z',
        },
        {
          id: 'pd-open',
          title: 'checkout errors',
          source: 'pagerduty',
          service: 'checkout',
          team: 'shop',
          status: 'acknowledged',
          createdAt: '2026-05-05T08:30:00Z',
        },
        {
          id: 'pd-other',
          title: 'search down',
          source: 'pagerduty',
          service: 'search',
          status: 'triggered',
          createdAt: '2026-05-05T08:30:00Z',
        },
        {
          id: 'pd-team',
          title: 'stock sync late',
          source: 'pagerduty',
          service: 'stock',
          team: 'shop',
          status: 'triggered',
          createdAt: '2026-05-05T08:30:00Z',
        },
      ],
      oncalls: [
        shift('ana', '2026-05-04T09:00:00Z', '2026-05-05T09:00:00Z'),
        shift('rui', '2026-05-05T09:00:00Z', '2026-05-06T09:00:00Z'),
        // The second level, a person named directly (no schedule, no bounds).
        {
          source: 'pagerduty',
          escalationPolicy: 'PESCPOL',
          escalationPolicyName: 'Shop on-call',
          level: 2,
          service: 'checkout',
          team: 'shop',
          person: 'lea',
        },
        // The team's policy, for what has no shift of its own service.
        { source: 'pagerduty', escalationPolicy: 'PESCTEAM', escalationPolicyName: 'Shop team', level: 1, team: 'shop', person: 'ana' },
        // An earlier shift: over before pd-old began.
        shift('sam', '2026-05-03T09:00:00Z', '2026-05-04T09:00:00Z'),
      ],
    });
    // pd-old began at 08:00 on the 4th, in sam's shift, with lea as the second level.
    const old = await ts.incidents.brief('pd-old');
    expect(old.oncall.map((p) => p.person)).toEqual(['sam', 'lea']);
    expect(old.oncall[0]).toEqual({
      person: 'sam',
      name: 'Sam',
      role: 'level 1 of Shop on-call (Shop primary) when it began',
      source: 'pagerduty',
      escalationPolicy: 'PESCPOL',
      level: 1,
      schedule: 'PSCHED1',
      start: '2026-05-03T09:00:00.000Z',
      end: '2026-05-04T09:00:00.000Z',
    });
    // pd-open began in ana's shift and is still open: rui took over at 09:00. The team's own policy is left out: the
    // service has shifts of its own.
    const open = await ts.incidents.brief('pd-open');
    expect(open.oncall.map((p) => `${p.person} ${p.role}`)).toEqual([
      'ana level 1 of Shop on-call (Shop primary) when it began',
      'rui level 1 of Shop on-call (Shop primary) now',
      'lea level 2 of Shop on-call',
    ]);
    expect(open.drafts.postmortem).toMatch(/^- On call: Rui \(level 1 of Shop on-call \(Shop primary\) now\) \[person:rui\]$/m);
    // A service without shifts: its team's.
    expect((await ts.incidents.brief('pd-team')).oncall.map((p) => `${p.person} ${p.role}`)).toEqual(['ana level 1 of Shop team']);
    // Another service without shifts or team: nobody on call, and no leads to stand in.
    expect((await ts.incidents.brief('pd-other')).oncall).toEqual([]);
    // A bundle round-trips the shifts.
    expect((await ts.export()).oncalls).toHaveLength(5);
    // A person's export holds their shifts; erasing them removes their shifts, and the brief names them no more.
    expect((await ts.people.export('rui')).oncalls).toEqual([expect.objectContaining({ person: 'rui', level: 1 })]);
    await ts.people.erase('rui', { by: 'dpo' });
    expect((await ts.export()).oncalls.map((o) => o.person)).not.toContain('rui');
    expect((await ts.export()).oncalls).toHaveLength(4);
    expect((await ts.incidents.brief('pd-open')).oncall.map((p) => p.person)).toEqual(['ana', 'lea']);
    await ts.close();
  });

  it('refuses an on-call entry without service or team, or ending before it starts, and stores nothing', async () => {
    const ts = await createTeamState({ database: ':memory:', clock: () => new Date('2026-05-05T12:00:00Z') });
    await ts.import({ format: 'teamstate.bundle/v1', people: [{ id: 'ana', name: 'Ana' }] });
    await expect(
      ts.import({
        format: 'teamstate.bundle/v1',
        oncalls: [
          { source: 'pagerduty', escalationPolicy: 'P1', person: 'ana' },
          {
            source: 'pagerduty',
            escalationPolicy: 'P1',
            service: 'x',
            person: 'ana',
            start: '2026-05-05T09:00:00Z',
            end: '2026-05-04T09:00:00Z',
          },
        ],
      }),
    ).rejects.toThrow(/oncalls\[0\]\.service.*service or its team[\s\S]*oncalls\[1\]\.end: must not be before start/);
    expect((await ts.export()).oncalls).toEqual([]);
    await ts.close();
  });
});
