import { demo } from '@teamstate/connectors/demo';
import { createTeamState } from '@teamstate/core';
import { describe, expect, it } from 'vitest';

describe('the demo organisation’s PagerDuty incidents', () => {
  it('briefs the one caused by a bad deploy with that deploy as the top suspect, the decoy below it', async () => {
    const now = new Date('2026-03-18T10:00:00Z');
    const ts = await createTeamState({ database: ':memory:', connectors: [demo()], clock: () => now });
    await ts.sync();
    const open = await ts.incidents.summaries({ status: 'open' });
    expect(open.map((i) => i.id)).toContain('pd-Q2DEMOQUEUELAG');
    const brief = await ts.incidents.brief('pd-Q1DEMOBADDEPLOY');
    expect(brief.incident).toMatchObject({ source: 'pagerduty', status: 'resolved', urgency: 'high' });
    expect(brief.suspects[0]).toMatchObject({ deployment: 'deploy-pd-bad' });
    expect(brief.suspects[0]?.reasons.map((r) => r.kind)).toEqual(['team', 'paths', 'nearest', 'failed']);
    expect(brief.suspects.map((s) => s.deployment).indexOf('deploy-pd-decoy')).not.toBe(0);
    expect(brief.timeline.filter((e) => e.kind === 'status_update')).toHaveLength(2);
    // The real on-call, not the leads: the responder held the first level's shift when it began.
    expect(brief.oncall[0]).toMatchObject({ person: brief.incident.responders?.[0], level: 1, source: 'pagerduty' });
    expect(brief.oncall[0]?.role).toMatch(/^level 1 of .+ \(.+ primary\) when it began$/);
    const queue = await ts.incidents.brief('pd-Q2DEMOQUEUELAG');
    expect(queue.oncall.map((p) => p.role)).toEqual([expect.stringMatching(/^level 1 of .+ \(.+ primary\) when it began$/)]);
    await ts.close();
  });
});
