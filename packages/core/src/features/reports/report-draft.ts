import { localDayRange } from '../../kernel/model/local-day.js';
import { dayArgument } from '../../records/arguments.js';
import { personTimeZone } from '../../records/identity/person-time-zone.js';
import { activityBetween, type TimelineDeps, type TimelineEntry, type TimelineWorkItem } from './timeline.js';

/** What `ts.reports.draft()` returns: markdown to edit and submit, and the activity it was made from. */
export interface ReportDraft {
  person: string;
  day: string;
  /** The time zone the day was read in (the person's, else `UTC`). */
  timeZone: string;
  /** Markdown: one section per kind of activity, one line per pull request or issue. */
  text: string;
  /** The entries the draft lists, oldest first. */
  activity: TimelineEntry[];
}

// Titles are people's text: shown as data on one line, whatever newlines or markup they hold.
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
const line = (item: TimelineWorkItem, rest = '') => `- ${oneLine(item.key)} ${oneLine(item.title)}${rest}`;

/** A draft of a person's report for a day from the store's activity of that local day. */
export async function reportDraft(deps: TimelineDeps, person: string, day: string): Promise<ReportDraft> {
  const timeZone = await personTimeZone(deps.store, deps.workspace, person);
  dayArgument('day', day, '2026-03-18');
  const [from, to] = localDayRange(day, timeZone);
  const activity = await activityBetween(deps, person, { from, to }, ['pr.opened', 'pr.merged', 'pr.reviewed', 'issue.moved']);

  // One line per pull request or issue, in the order first seen: reviews list their states, moves their statuses.
  const sections: { title: string; lines: Map<string, { item: TimelineWorkItem; details: string[] }> }[] = [
    { title: 'Pull requests opened', lines: new Map() },
    { title: 'Pull requests merged', lines: new Map() },
    { title: 'Reviews', lines: new Map() },
    { title: 'Issues moved', lines: new Map() },
  ];
  const add = (section: number, item: TimelineWorkItem, detail?: string) => {
    const lines = sections[section]!.lines;
    const entry = lines.get(item.id) ?? { item, details: [] };
    if (detail !== undefined) entry.details.push(detail);
    lines.set(item.id, entry);
  };
  for (const entry of activity) {
    if (entry.kind === 'pr.opened') add(0, entry.workItem);
    else if (entry.kind === 'pr.merged') add(1, entry.workItem);
    else if (entry.kind === 'pr.reviewed') add(2, entry.workItem, entry.review.state.replaceAll('_', ' '));
    else if (entry.kind === 'issue.moved') {
      const lines = sections[3]!.lines;
      if (!lines.has(entry.workItem.id) && entry.from !== null) add(3, entry.workItem, oneLine(entry.from));
      add(3, entry.workItem, oneLine(entry.to));
    }
  }
  const text = sections
    .filter((section) => section.lines.size > 0)
    .map((section, index) => {
      const rendered = [...section.lines.values()].map(({ item, details }) => {
        if (section.title === 'Reviews') return line(item, ` (${[...new Set(details)].join(', ')})`);
        if (section.title === 'Issues moved') return line(item, `: ${details.join(' → ')}`);
        return line(item);
      });
      return [...(index > 0 ? [''] : []), `### ${section.title}`, ...rendered].join('\n');
    })
    .join('\n');
  return {
    person,
    day,
    timeZone,
    text: text === '' ? `_No pull requests, reviews or issue changes found for ${day}: write what you worked on._\n` : `${text}\n`,
    activity,
  };
}
