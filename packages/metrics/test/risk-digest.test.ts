import { createTeamState, type TeamState } from '@teamstate/core';
import { afterEach, describe, expect, it } from 'vitest';
import { riskDigest } from '../src/digests/risk-digest.js';
import { riskReviewDue } from '../src/signals/index.js';

// The register's signal and weekly digest, on a real in-memory store with an injected clock.
let now = Date.parse('2026-11-20T09:30:00Z');
let ts: TeamState;
afterEach(() => ts.close());

async function register() {
  ts = await createTeamState({ database: ':memory:', signals: [riskReviewDue], clock: () => new Date(now) });
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [
      { id: 'pay', name: 'Payments' },
      { id: 'growth', name: 'Growth' },
    ],
    people: [
      { id: 'ana', name: 'Ana Garcia', teams: ['pay'] },
      { id: 'cleo', name: 'Cleo', teams: ['growth'] },
    ],
    risks: [
      // Recorded two weeks ago, review day passed: due.
      {
        id: 'r1',
        team: 'pay',
        title: 'Card processor sunset',
        severity: 'high',
        owner: 'ana',
        reviewBy: '2026-11-18',
        createdAt: '2026-11-06T10:00:00Z',
      },
      // Review day today: not due yet.
      { id: 'r2', team: 'pay', title: 'Vendor contract', severity: 'critical', reviewBy: '2026-11-20', createdAt: '2026-11-19T10:00:00Z' },
      // Closed this week: never due, listed as closed.
      {
        id: 'r3',
        team: 'pay',
        title: 'TLS certificate',
        severity: 'medium',
        status: 'closed',
        reviewBy: '2026-11-01',
        createdAt: '2026-10-01T10:00:00Z',
        updatedAt: '2026-11-19T10:00:00Z',
      },
      // Another team's.
      {
        id: 'r4',
        team: 'growth',
        title: 'Funnel knowledge',
        severity: 'critical',
        owner: 'cleo',
        reviewBy: '2026-11-01',
        createdAt: '2026-10-01T10:00:00Z',
      },
    ],
  });
}

describe('risk.review_due', () => {
  it('opens for risks not closed whose review day has passed, and resolves once the risk is closed', async () => {
    await register();
    await ts.signals.refresh();
    expect(await ts.signals.list({ kind: 'risk.review_due' })).toMatchObject([
      {
        severity: 'critical',
        subject: { type: 'risk', id: 'r4' },
        team: 'growth',
        evidence: { risk: 'r4', reviewBy: '2026-11-01', daysOverdue: 19, owner: 'cleo' },
      },
      {
        severity: 'warning',
        subject: { type: 'risk', id: 'r1' },
        team: 'pay',
        title: 'Risk "Card processor sunset" (high) was due for review on 2026-11-18; owner Ana Garcia',
        evidence: { daysOverdue: 2, status: 'open' },
      },
    ]);
    await ts.risks.close('r1', { reason: 'migrated' }, { requestedBy: 'ana' });
    await ts.signals.refresh();
    expect((await ts.signals.list({ kind: 'risk.review_due' })).map((s) => s.subject.id)).toEqual(['r4']);
    // The next day, r2's review day has passed too.
    now += 86_400_000;
    await ts.signals.refresh();
    expect((await ts.signals.list({ kind: 'risk.review_due', team: 'pay' })).map((s) => s.subject.id)).toEqual(['r2']);
  });
});

describe('riskDigest', () => {
  it("reads a team's week of risks in the standup's format", async () => {
    now = Date.parse('2026-11-20T09:30:00Z');
    await register();
    const digest = await riskDigest(ts, { team: 'pay' });
    expect(digest.open.map((r) => r.id)).toEqual(['r2', 'r1']);
    expect(digest.reviewDue.map((r) => r.id)).toEqual(['r1']);
    expect(digest.added.map((r) => r.id)).toEqual(['r2']);
    expect(digest.closed.map((r) => r.id)).toEqual(['r3']);
    expect(digest.text).toBe(
      [
        'Risks for Payments, since Fri 13 Nov 09:30 UTC',
        '',
        'Open (2)',
        '  !! Vendor contract (critical, medium likelihood, open; no owner, review by 2026-11-20)',
        '   ! Card processor sunset (high, medium likelihood, open; owner Ana Garcia, review by 2026-11-18)',
        '',
        'Due for review',
        '   ! Card processor sunset (review was due 2026-11-18)',
        '',
        'Added this week',
        '  added     Vendor contract (critical)',
        '',
        'Closed this week',
        '  closed    TLS certificate',
        '',
      ].join('\n'),
    );
    await expect(riskDigest(ts, { team: 'nope' })).rejects.toThrow(/^team: "nope" is not a team/);
  });
});
