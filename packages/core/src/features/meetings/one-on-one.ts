import { TeamStateError } from '../../kernel/errors.js';
import type { Report } from '../../kernel/model/report.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import { columns, text } from '../../kernel/store/row-decoder.js';
import type { MeetingDeps, MeetingLine, MeetingPack, TimelineLike } from './meeting-pack-model.js';
import { allReports, bound, DAY, day, refusal, requirePerson } from './meeting-pack-reads.js';
import { block, itemEvidence, line, render } from './meeting-pack-text.js';

/** A pack's window as the readers take it: ISO timestamps. */
type PackWindow = { from: string; to: string };

/**
 * A 1:1 pack for `person` over `[from, to)` (default: the 14 days before now): their reports and the blockers they
 * reported, their work and reviews, the wellbeing prompts the viewer may see, and the open risks they own. Reports,
 * blockers and wellbeing follow the reading rule: a viewer without the right sees those sections withheld, with why.
 */
export async function oneOnOne(deps: MeetingDeps, person: string, query: { from?: string; to?: string } = {}): Promise<MeetingPack> {
  const who = await requirePerson(deps, person);
  const to = bound('to', query.to) ?? deps.clock().getTime();
  const from = bound('from', query.from) ?? to - 14 * DAY;
  if (from >= to) throw new TeamStateError('invalid_argument', `from: must be before to (${formatTimestamp(to)})`);
  const window = { from: formatTimestamp(from), to: formatTimestamp(to) };

  const reportsWithheld = await refusal(deps, 'reports', { person: who.id });
  const reports = reportsWithheld ? [] : await allReports(deps, { person: who.id, from: day(from), to: day(to - 1) });
  const { work, reviews } = workAndReviews(await timelineOf(deps, who.id, window));
  // Blocked work assigned to them (visible to everyone) and the blockers they reported (their words: the rule applies).
  const blockers = [...reportedBlockers(reports), ...(await blockedWork(deps, who.id))];
  const wellbeingWithheld = await refusal(deps, 'wellbeing', { person: who.id });
  const wellbeing = wellbeingWithheld ? [] : await wellbeingPrompts(deps, who.id);
  const risks = (await deps.risks.list({ owner: who.id })).map((r) => ({
    text: `${line(r.title)} (${r.severity}, ${r.status}${r.reviewBy ? `, review by ${r.reviewBy}` : ''})`,
    evidence: [{ kind: 'risk' as const, ref: r.id }],
  }));

  const pack: Omit<MeetingPack, 'text'> = {
    kind: 'one_on_one',
    title: `1:1 with ${line(who.name)}`,
    ...window,
    person: { id: who.id, name: who.name },
    sections: [
      {
        id: 'reports',
        title: 'What they reported',
        lines: reports.map((r) => ({ at: r.createdAt, text: `${r.day}: ${block(r.text)}`, evidence: [{ kind: 'report', ref: r.id }] })),
        ...(reportsWithheld ? { withheld: reportsWithheld } : {}),
      },
      {
        id: 'blockers',
        title: 'Blockers',
        lines: blockers,
        ...(reportsWithheld ? { withheld: `reported blockers: ${reportsWithheld}` } : {}),
      },
      { id: 'work', title: 'Work', lines: work },
      { id: 'reviews', title: 'Reviews', lines: reviews },
      { id: 'wellbeing', title: 'Wellbeing prompts', lines: wellbeing, ...(wellbeingWithheld ? { withheld: wellbeingWithheld } : {}) },
      { id: 'risks', title: 'Open risks they own', lines: risks },
    ],
  };
  return { ...pack, text: render(pack) };
}

/** The person's timeline in the window (at most about 5,000 entries). */
async function timelineOf(deps: MeetingDeps, person: string, window: PackWindow): Promise<TimelineLike[]> {
  const entries: TimelineLike[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.timeline(person, { ...window, limit: 500, ...(cursor ? { cursor } : {}) });
    entries.push(...(page.items as TimelineLike[]));
    cursor = page.nextCursor;
  } while (cursor && entries.length < 5_000);
  return entries;
}

/** The timeline as lines: pull requests opened and merged, issues moved and deployments shipped; and reviews given. */
function workAndReviews(entries: readonly TimelineLike[]): { work: MeetingLine[]; reviews: MeetingLine[] } {
  const work: MeetingLine[] = [];
  const reviews: MeetingLine[] = [];
  for (const entry of entries) {
    if (entry.kind === 'pr.opened' || entry.kind === 'pr.merged')
      work.push({
        at: entry.at,
        text: `${entry.kind === 'pr.opened' ? 'Opened' : 'Merged'} ${line(entry.workItem.key)} ${line(entry.workItem.title)}`,
        evidence: [itemEvidence(entry.workItem)],
      });
    else if (entry.kind === 'issue.moved')
      work.push({
        at: entry.at,
        text: `Moved ${line(entry.workItem.key)} ${line(entry.workItem.title)}: ${line(entry.from ?? 'new')} → ${line(entry.to)}`,
        evidence: [itemEvidence(entry.workItem)],
      });
    else if (entry.kind === 'deployment.shipped')
      work.push({
        at: entry.at,
        text: `Shipped to ${line(entry.deployment.environment)} in ${line(entry.deployment.repository)}`,
        evidence: [{ kind: 'deployment', ref: entry.deployment.id }],
      });
    else if (entry.kind === 'pr.reviewed')
      reviews.push({
        at: entry.at,
        text: `Reviewed ${line(entry.workItem.key)} ${line(entry.workItem.title)} (${entry.review.state.replace('_', ' ')})`,
        evidence: [itemEvidence(entry.workItem)],
      });
  }
  return { work, reviews };
}

/** The blockers the person's reports name. */
function reportedBlockers(reports: readonly Report[]): MeetingLine[] {
  return reports.flatMap((r) =>
    r.blockers?.trim()
      ? [{ at: r.createdAt, text: `${r.day}: ${block(r.blockers)}`, evidence: [{ kind: 'report' as const, ref: r.id }] }]
      : [],
  );
}

/** The work assigned to the person that is blocked or flagged, and not done. */
async function blockedWork(deps: MeetingDeps, person: string): Promise<MeetingLine[]> {
  const blocked = columns({ id: text, key: text, title: text, state: text, kind: text }).all(
    (
      await deps.store.execute(
        `SELECT w.id, w.key, w.title, w.state, w.kind FROM work_item_assignees a
         JOIN work_items w ON w.workspace = a.workspace AND w.id = a.work_item_id
         WHERE a.workspace = ? AND a.person_id = ? AND (lower(w.state) = 'blocked' OR w.flagged = 1)
           AND w.kind <> 'pull_request' AND COALESCE(w.status_category, '') <> 'done' ORDER BY w.key`,
        [deps.workspace, person],
      )
    ).rows,
  );
  return blocked.map((w) => ({
    text: `${line(w.key)} ${line(w.title)} is ${line(w.state)}`,
    evidence: [{ kind: w.kind === 'pull_request' ? ('pull_request' as const) : ('issue' as const), ref: w.id, label: w.key }],
  }));
}

/** The person's open wellbeing signals, as prompts for a conversation. */
async function wellbeingPrompts(deps: MeetingDeps, person: string): Promise<MeetingLine[]> {
  return (await deps.signals.list({ status: 'open', limit: 500 }))
    .filter((s) => s.subject.type === 'person' && s.subject.id === person && s.kind.startsWith('person.'))
    .map((s) => ({
      at: s.lastSeenAt,
      text: `${line(s.title)}: a prompt for a conversation, not a judgement`,
      evidence: [{ kind: 'signal' as const, ref: s.fingerprint }],
    }));
}
