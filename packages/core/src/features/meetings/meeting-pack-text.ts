import { formatWindow } from '../../kernel/text/format-values.js';
import { safeText } from '../../kernel/text/safe-text.js';
import type { MeetingEvidence, MeetingPack, TimelineItem } from './meeting-pack-model.js';

/** A value as one line of a pack, cut to `max` characters. */
export const line = (value: string, max = 200) => safeText(value, { singleLine: true, maxLength: max });

/** A value that may hold line breaks (a daily report, its blockers), made safe, its lines kept (the bullet cuts it). */
export const block = (value: string) => safeText(value);

/**
 * A value that may hold line breaks (a daily report) as the text of a bullet, cut to `max` characters: its lines stay
 * lines, each after the first indented under the bullet, rather than shown as a literal `\n`.
 */
const bulletText = (value: string, max: number) =>
  safeText(value, { maxLength: max })
    .trim()
    .split('\n')
    .map((text) => text.trimEnd())
    .filter((text) => text !== '')
    .join('\n  ');

/** A work item as the evidence of a line. */
export const itemEvidence = (item: TimelineItem): MeetingEvidence => ({
  kind: item.kind === 'pull_request' ? 'pull_request' : 'issue',
  ref: item.id,
  label: item.key,
});

/** A pack as markdown: one bullet per line, its evidence in brackets. */
export function render(pack: Omit<MeetingPack, 'text'>): string {
  const out = [`# ${line(pack.title)}`, '', formatWindow(pack), ''];
  for (const section of pack.sections) {
    out.push(`## ${section.title}`, '');
    if (section.withheld) out.push(`_Not shown: ${line(section.withheld, 300)}_`);
    else if (section.lines.length === 0) out.push('- nothing in this window');
    for (const l of section.lines) {
      const refs = l.evidence.map((e) => `${e.kind} ${line(e.label ?? e.ref, 120)}`).join('; ');
      out.push(`- ${bulletText(l.text, 300)}${refs ? ` [${refs}]` : ''}`);
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
