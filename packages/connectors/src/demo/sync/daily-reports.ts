import type { BundleReport, WorkItem } from '@teamstate/core';
import { issueTopics, prTopics, prVerbs } from './names.js';
import type { Random } from './random.js';
import { isWeekday, localOf, momentOf, type WorkingDay } from './working-time.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A team as the reports need it: its members, the first one its lead. */
export interface ReportingTeam {
  members: readonly string[];
  /** The pull requests the lead's reviews are pending on (the stale one and the one waiting on changes). */
  leadReviews: readonly string[];
  /** The ticket blocked for days, its assignee and since when. */
  blocked?: { person: string; key: string; since: number; waitingOn: string };
}

/** What the reports are written from. */
export interface ReportInput {
  rng: Random;
  /** Reports are written for the weekdays of `[from, end)`. */
  from: number;
  end: number;
  teams: readonly ReportingTeam[];
  names: ReadonlyMap<string, string>;
  workItems: readonly WorkItem[];
  hoursOf(person: string): WorkingDay;
}

/** One thing a person did, to mention in their report. */
interface Activity {
  at: number;
  line: string;
  /** An issue they moved there (for the previous day's "Next:"). */
  issue?: string;
}

const MISC: readonly ((topic: string, issue: string, mate: string) => string)[] = [
  (topic) => `Investigated ${topic}`,
  (topic, _issue, mate) => `Paired with ${mate} on ${topic}`,
  () => 'Sprint planning and backlog refinement',
  () => 'Interviewed a backend candidate',
  (_topic, issue) => `Wrote the design notes for "${issue}"`,
  () => 'Helped support with a customer escalation',
  () => 'On-call handover; quiet night',
  () => 'Looked into the flaky integration tests in CI',
];

const BLOCKERS = [
  'Waiting on product to decide the refund limits',
  'CI is flaky: the integration suite times out about one run in three',
  'Need read access to the production replica to debug this',
  'Staging is down since the Postgres upgrade',
  'Waiting for the security review of the token change',
];

const REASONS = [
  "waiting on the data team's schema change",
  'needs a decision from product',
  "waiting for the partner's API keys",
  'waiting on platform for a new queue',
];

/** The local day `YYYY-MM-DD` of `at` for someone working `hours` (their time zone, UTC without one). */
const dayOf = (at: number, hours: WorkingDay) => new Date(localOf(at, hours)).toISOString().slice(0, 10);

/**
 * Daily reports written the way people write them: on most working days (about nine in ten), a few bullet points
 * from what they actually did that day (pull requests opened, merged and reviewed, issues moved), sometimes a
 * meeting or an investigation, often what comes next; blockers now and then, and always while an issue of theirs is
 * Blocked. The situations signals look for are in them too: the assignee of each team's ticket blocked on the vendor
 * says so every day since, the team's lead reports being stretched thin on the last three working days
 * (`person.blocked_streak`), and one person per team has not reported for the last four (`person.no_reports`).
 * Each report is written near the end of the person's working day, in their hours.
 */
export function dailyReports(input: ReportInput): BundleReport[] {
  const { rng, from, end, hoursOf } = input;
  const activity = new Map<string, Activity[]>();
  const blockedOn = new Map<string, string[]>();
  const add = (person: string | undefined, at: number, entry: Omit<Activity, 'at'>) => {
    if (person === undefined || at < from || at >= end) return;
    const key = `${person}|${dayOf(at, hoursOf(person))}`;
    const list = activity.get(key);
    if (list) list.push({ at, ...entry });
    else activity.set(key, [{ at, ...entry }]);
  };
  for (const item of input.workItems) {
    if (item.kind === 'pull_request') {
      const opener = item.author ?? item.assignees?.[0];
      const what = `${item.key}: ${item.title}`;
      add(opener, Date.parse(item.createdAt), {
        line: item.author ? `Opened ${what}` : `Asked Copilot's coding agent for ${what}`,
      });
      if (item.mergedAt) add(opener, Date.parse(item.mergedAt), { line: `Merged ${what}` });
      for (const review of item.reviews ?? []) {
        if (review.reviewer === item.author) continue;
        const verdict =
          review.state === 'approved' ? 'approved' : review.state === 'changes_requested' ? 'asked for changes' : 'left comments';
        add(review.reviewer, Date.parse(review.submittedAt), { line: `Reviewed ${item.key} (${verdict})` });
      }
    } else if (item.kind !== 'epic') {
      const person = item.assignees?.[0];
      const moves = item.transitions ?? [];
      moves.forEach((move, i) => {
        const at = Date.parse(move.at);
        const line =
          move.to === 'In Progress'
            ? move.from === 'To Do'
              ? `Started ${item.key} ${item.title}`
              : `Back on ${item.key}`
            : move.to === 'Waiting'
              ? `${item.key} ready for review`
              : move.to === 'Done'
                ? `Finished ${item.key} ${item.title}`
                : move.to === 'On Hold'
                  ? `Put ${item.key} on hold for something more urgent`
                  : move.to === 'Blocked'
                    ? `${item.key} is blocked`
                    : undefined;
        if (line) add(person, at, { line, issue: `${item.key} ${item.title}` });
        // Every working day it stays Blocked, its assignee names it as a blocker.
        if (move.to === 'Blocked' && person !== undefined) {
          const until = i + 1 < moves.length ? Date.parse(moves[i + 1]!.at) : end;
          const reason = REASONS[item.key.length % REASONS.length]!;
          for (let day = at; day < until; day += DAY) {
            const key = `${person}|${dayOf(day, hoursOf(person))}`;
            const list = blockedOn.get(key);
            if (list) list.push(`${item.key} ${reason}`);
            else blockedOn.set(key, [`${item.key} ${reason}`]);
          }
        }
      });
    }
  }
  // The next issue each person moves, after a given moment: their "Next:".
  const upcoming = new Map<string, Activity[]>();
  for (const [key, list] of activity) {
    const person = key.slice(0, key.indexOf('|'));
    const issues = upcoming.get(person) ?? [];
    upcoming.set(person, issues);
    for (const entry of list) if (entry.issue) issues.push(entry);
  }
  for (const list of upcoming.values()) list.sort((a, b) => a.at - b.at);

  // The UTC midnight starting the `n`th working day before the anchor's day.
  const workingDaysBack = (n: number) => {
    let day = end - DAY;
    for (let found = isWeekday(day) ? 1 : 0; found < n; found += isWeekday(day) ? 1 : 0) day -= DAY;
    return day;
  };
  const reports: BundleReport[] = [];
  for (const team of input.teams) {
    const [lead, , , quiet] = team.members;
    for (const person of team.members) {
      const hours = hoursOf(person);
      const teammates = team.members.filter((m) => m !== person);
      // The quiet one has not reported on the last four working days; the lead has named blockers on the last three.
      const silentFrom = person === quiet ? workingDaysBack(4) : end;
      const stretchedFrom = person === lead ? workingDaysBack(3) : end;
      for (let midnight = from - (from % DAY); midnight < end; midnight += DAY) {
        const written = momentOf(midnight + hours.end - rng.between(5 * MINUTE, 80 * MINUTE), hours);
        // Drawn every day, so one person's reports never shift another's.
        const [writes, miscRoll, topic, issue, misc, mate, nextRoll, nextTopic, blockerRoll, blocker] = [
          rng.chance(0.92),
          rng.next(),
          rng.pick(prTopics),
          rng.pick(issueTopics),
          rng.pick(MISC),
          rng.pick(teammates.length > 0 ? teammates : [person]),
          rng.next(),
          `${rng.pick(prVerbs)} ${rng.pick(prTopics)}`,
          rng.next(),
          rng.pick(BLOCKERS),
        ];
        const day = dayOf(written, hours);
        if (!isWeekday(Date.parse(`${day}T00:00:00Z`)) || written < from || written >= end || !writes) continue;
        if (written >= silentFrom) continue;
        const done = (activity.get(`${person}|${day}`) ?? []).sort((a, b) => a.at - b.at);
        const lines = [...new Set(done.map((entry) => entry.line))].slice(0, 5);
        if (lines.length === 0 || miscRoll < 0.35) lines.push(misc(topic, issue, input.names.get(mate)?.split(' ')[0] ?? 'a teammate'));
        const next = upcoming.get(person)?.find((entry) => entry.at > written);
        if (nextRoll < 0.6) lines.push(`Next: ${next?.issue ?? nextTopic}`);
        const blockers: string[] = [];
        if (team.blocked?.person === person && written > team.blocked.since)
          blockers.push(`Waiting on ${team.blocked.waitingOn} (${team.blocked.key}); chased it again`);
        else blockers.push(...(blockedOn.get(`${person}|${day}`) ?? []).filter(() => blockerRoll < 0.7).slice(0, 1));
        if (written >= stretchedFrom)
          blockers.push(
            `Stretched thin: too many tickets in progress${team.leadReviews.length > 0 ? ` and reviews of ${team.leadReviews.join(' and ')} waiting on me` : ''}; could someone take one over?`,
          );
        if (blockers.length === 0 && blockerRoll > 0.96) blockers.push(blocker);
        reports.push({
          // An id of its own, so a sync that resumes after a crash writes the same report as one that did not.
          id: `report-${person}-${day}`,
          person,
          day,
          text: lines.map((line) => `- ${line}`).join('\n'),
          ...(blockers.length > 0 ? { blockers: blockers.join('\n') } : {}),
          createdAt: new Date(written).toISOString(),
        });
      }
    }
  }
  return reports;
}
