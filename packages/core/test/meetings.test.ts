import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeamState, type MeetingPack, type SignalDetector, type TeamState } from '../src/index.js';

// Meeting packs (docs/hub.md#meeting-packs) follow the reading rule: a viewer of team growth does not see team
// payments' reports, blockers or wellbeing; every line carries its evidence.

const now = new Date('2026-03-20T12:00:00Z');
let ts: TeamState;

// A wellbeing detector that finds Ana working late, so a pack has a wellbeing prompt to show or withhold.
const lateHours: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'person.after_hours',
  title: 'After hours',
  description: 'A test detector: Ana works late.',
  wellbeing: true,
  async detect() {
    return [
      {
        severity: 'info',
        subject: { type: 'person', id: 'ana' },
        team: 'payments',
        title: 'Ana worked late on 4 of the last 10 days',
        evidence: {},
      },
    ];
  },
};

beforeAll(async () => {
  ts = await createTeamState({ database: ':memory:', clock: () => now, signals: [lateHours] });
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [
      { id: 'payments', name: 'Payments', leads: ['lea'] },
      { id: 'growth', name: 'Growth' },
    ],
    people: [
      { id: 'ana', name: 'Ana', teams: ['payments'] },
      { id: 'ben', name: 'Ben', teams: ['payments'] },
      { id: 'lea', name: 'Lea', teams: ['payments'] },
      { id: 'cleo', name: 'Cleo', teams: ['growth'] },
    ],
    repositories: [{ id: 'acme/api', team: 'payments' }],
    workItems: [
      {
        id: 'pr-1',
        source: 'github',
        kind: 'pull_request',
        key: 'acme/api#1',
        title: 'Refund retries',
        state: 'merged',
        repository: 'acme/api',
        author: 'ana',
        createdAt: '2026-03-16T10:00:00Z',
        mergedAt: '2026-03-17T10:00:00Z',
        reviews: [{ reviewer: 'ben', state: 'approved', submittedAt: '2026-03-17T09:00:00Z' }],
      },
      {
        id: 'PAY-1',
        source: 'jira',
        kind: 'story',
        key: 'PAY-1',
        title: 'Card processor migration',
        state: 'In Progress',
        statusCategory: 'in_progress',
        team: 'payments',
        assignees: ['ana'],
        storyPoints: 5,
        sprint: 's2',
        createdAt: '2026-03-01T10:00:00Z',
      },
    ],
    sprints: [
      {
        id: 's1',
        name: 'Sprint 1',
        team: 'payments',
        state: 'closed',
        startAt: '2026-03-02T09:00:00Z',
        endAt: '2026-03-09T09:00:00Z',
        completedAt: '2026-03-09T09:00:00Z',
      },
      {
        id: 's2',
        name: 'Sprint 2',
        team: 'payments',
        state: 'closed',
        startAt: '2026-03-09T09:00:00Z',
        endAt: '2026-03-19T09:00:00Z',
        completedAt: '2026-03-19T09:00:00Z',
        committedItems: ['PAY-1'],
      },
    ],
    incidents: [{ id: 'inc-1', title: 'Refunds failing', severity: 'sev2', createdAt: '2026-03-12T08:00:00Z', repository: 'acme/api' }],
    reports: [
      { person: 'ana', day: '2026-03-16', text: 'Refund retries', blockers: 'Waiting on the vendor sandbox' },
      { person: 'cleo', day: '2026-03-16', text: 'Funnel experiment', blockers: 'No analytics access' },
    ],
    risks: [
      { id: 'r1', team: 'payments', title: 'Card processor sunset', severity: 'high', owner: 'ana', createdAt: '2026-03-10T10:00:00Z' },
    ],
  });
  await ts.signals.refresh();
});
afterAll(() => ts.close());

const section = (pack: MeetingPack, id: string) => pack.sections.find((s) => s.id === id)!;
const texts = (pack: MeetingPack, id: string) => section(pack, id).lines.map((l) => l.text);

describe('ts.meetings.oneOnOne', () => {
  it('gathers reports, blockers, work, reviews, wellbeing and risks, each line linked to its evidence', async () => {
    const pack = await ts.meetings.oneOnOne('ana', { from: '2026-03-13', to: '2026-03-20' });
    expect(pack).toMatchObject({ kind: 'one_on_one', person: { id: 'ana', name: 'Ana' }, from: '2026-03-13T00:00:00.000Z' });
    expect(texts(pack, 'reports')).toEqual(['2026-03-16: Refund retries']);
    expect(texts(pack, 'blockers')).toEqual(['2026-03-16: Waiting on the vendor sandbox']);
    expect(section(pack, 'work').lines).toEqual([
      expect.objectContaining({
        text: 'Opened acme/api#1 Refund retries',
        evidence: [{ kind: 'pull_request', ref: 'pr-1', label: 'acme/api#1' }],
      }),
      expect.objectContaining({ text: 'Merged acme/api#1 Refund retries' }),
    ]);
    expect(texts(pack, 'wellbeing')).toEqual(['Ana worked late on 4 of the last 10 days: a prompt for a conversation, not a judgement']);
    expect(section(pack, 'risks').lines).toEqual([{ text: 'Card processor sunset (high, open)', evidence: [{ kind: 'risk', ref: 'r1' }] }]);
    for (const s of pack.sections) for (const l of s.lines) expect(l.evidence.length, l.text).toBeGreaterThan(0);
    expect(pack.text).toContain('- 2026-03-16: Refund retries [report ');
    const ben = await ts.meetings.oneOnOne('ben', { from: '2026-03-13', to: '2026-03-20' });
    expect(texts(ben, 'reviews')).toEqual(['Reviewed acme/api#1 Refund retries (approved)']);
  });

  it("keeps a viewer of another team from the person's reports, blockers and wellbeing, saying why", async () => {
    const pack = await ts.as('cleo').meetings.oneOnOne('ana', { from: '2026-03-13', to: '2026-03-20' });
    expect(section(pack, 'reports')).toMatchObject({
      lines: [],
      withheld: expect.stringMatching(/^forbidden: reports of ana are visible to/),
    });
    expect(section(pack, 'blockers').withheld).toMatch(/forbidden/);
    expect(section(pack, 'blockers').lines.map((l) => l.text)).not.toContain('2026-03-16: Waiting on the vendor sandbox');
    expect(section(pack, 'wellbeing')).toMatchObject({ lines: [], withheld: expect.stringMatching(/^forbidden: wellbeing signals/) });
    // Work and the register stay readable to everyone.
    expect(section(pack, 'work').lines).toHaveLength(2);
    expect(section(pack, 'risks').lines).toHaveLength(1);
    expect(pack.text).not.toContain('vendor sandbox');
    expect(pack.text).not.toContain('worked late');
    // A teammate reads the reports (privacy.reports: team) but not the wellbeing (leads); the lead reads both.
    const ben = await ts.as('ben').meetings.oneOnOne('ana', { from: '2026-03-13', to: '2026-03-20' });
    expect(texts(ben, 'reports')).toHaveLength(1);
    expect(section(ben, 'wellbeing').withheld).toMatch(/forbidden/);
    const lea = await ts.as('lea').meetings.oneOnOne('ana', { from: '2026-03-13', to: '2026-03-20' });
    expect(texts(lea, 'wellbeing')).toHaveLength(1);
  });

  it('refuses an unknown person or a bad window naming the field', async () => {
    await expect(ts.meetings.oneOnOne('anna')).rejects.toThrow(/^person: unknown person "anna" \(did you mean "ana"\?\)/);
    await expect(ts.meetings.oneOnOne('ana', { from: 'yesterday' })).rejects.toThrow(/^from: expected an ISO timestamp or a day/);
    await expect(ts.meetings.oneOnOne('ana', { from: '2026-03-20', to: '2026-03-10' })).rejects.toThrow(/^from: must be before to/);
  });
});

describe('ts.meetings.retro', () => {
  it('shows carry-over, metric deltas against the previous sprint, incidents and reported blockers', async () => {
    const pack = await ts.meetings.retro('payments', { sprint: 's2' });
    expect(pack.sprint).toEqual({ id: 's2', name: 'Sprint 2', previous: { id: 's1', name: 'Sprint 1' } });
    expect(section(pack, 'carry_over').lines).toEqual([
      { text: 'PAY-1 Card processor migration (In Progress, 5 points)', evidence: [{ kind: 'issue', ref: 'PAY-1', label: 'PAY-1' }] },
    ]);
    expect(texts(pack, 'incidents')).toEqual(['inc-1 (sev2) Refunds failing']);
    expect(texts(pack, 'blockers')).toEqual(['ana, 2026-03-16: Waiting on the vendor sandbox']);
    expect(section(pack, 'blockers').lines[0]!.evidence[0]!.kind).toBe('report');
    // Default: the latest closed sprint.
    expect((await ts.meetings.retro('payments')).sprint?.id).toBe('s2');
  });

  it("withholds another team's reported blockers from a viewer of team growth", async () => {
    const pack = await ts.as('cleo').meetings.retro('payments', { sprint: 's2' });
    expect(section(pack, 'blockers')).toMatchObject({ lines: [], withheld: expect.stringMatching(/^forbidden: reports of team payments/) });
    expect(pack.text).not.toContain('vendor sandbox');
    expect(texts(pack, 'carry_over')).toHaveLength(1);
  });

  it('refuses an unknown team or sprint naming the field', async () => {
    await expect(ts.meetings.retro('paymnets')).rejects.toThrow(/^team: unknown team "paymnets"/);
    await expect(ts.meetings.retro('payments', { sprint: 's9' })).rejects.toThrow(/^sprint: unknown sprint of team payments "s9"/);
    await expect(ts.meetings.retro('growth')).rejects.toThrow(/^sprint: team growth has no closed or active sprint/);
  });
});
