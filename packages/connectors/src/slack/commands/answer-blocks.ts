import { type Block, escapeMrkdwn, plain } from '../approvals/approval-blocks.js';

/**
 * What a slash command answers with: a digest's title and text, exactly as the digest renders them (`teamstate
 * standup` prints the same), and where the whole of it is when Slack's limits cut it.
 */
export interface SlackCommandAnswer {
  /** One line, e.g. `Standup for Payments, since Fri 20 Nov 09:30 UTC`. */
  title: string;
  /** Lines; a blank line separates sections (one per person, the blockers…). */
  text: string;
  /** Where to read all of it when it is cut, e.g. `teamstate standup --team payments`. */
  more?: string;
}

/** Slack's limit on blocks in one message. */
export const MAX_BLOCKS = 50;
/** Characters of a section's text (Slack's limit). */
const SECTION_CHARS = 3000;
/** Characters of text across the answer's blocks: about a long phone screen's worth, well under Slack's message size. */
export const MAX_ANSWER_CHARS = 12_000;

// A section longer than Slack takes is split at lines (a line longer than that is cut).
function sectionsOf(paragraph: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const line of paragraph.split('\n')) {
    const next = current === '' ? line : `${current}\n${line}`;
    if (next.length <= SECTION_CHARS) current = next;
    else {
      if (current !== '') out.push(current);
      current = line.length > SECTION_CHARS ? `${line.slice(0, SECTION_CHARS - 1)}…` : line;
    }
  }
  if (current !== '') out.push(current);
  return out;
}

/**
 * Block Kit for an answer, readable on a phone: a header with the title, one `plain_text` section per paragraph of
 * the text (text from people and upstream is never read as mrkdwn, so it cannot mention, link or format), at most
 * {@link MAX_BLOCKS} blocks and {@link MAX_ANSWER_CHARS} characters; what does not fit is cut, and a last line says
 * how much and where the rest is. `text` is the notification line, which Slack reads as mrkdwn: the title is escaped
 * there (`&`, `<`, `>`), so a question holding `<!channel>` or a link mentions and links nobody.
 */
export function answerMessage(answer: SlackCommandAnswer): { text: string; blocks: Block[] } {
  const sections = answer.text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/^\n+|\s+$/g, ''))
    .filter((paragraph) => paragraph !== '')
    .flatMap(sectionsOf);
  const blocks: Block[] = [{ type: 'header', text: plain(answer.title, 150) }];
  let chars = 0;
  let shown = 0;
  // Room for the header and the pointer to the rest.
  while (shown < sections.length && blocks.length < MAX_BLOCKS - 1) {
    const section = sections[shown]!;
    if (chars + section.length > MAX_ANSWER_CHARS) break;
    blocks.push({ type: 'section', text: plain(section) });
    chars += section.length;
    shown++;
  }
  if (shown < sections.length) {
    const left = sections.slice(shown).reduce((lines, section) => lines + section.split('\n').length, 0);
    blocks.push({
      type: 'context',
      elements: [
        plain(`Cut to fit Slack: ${left} more line${left === 1 ? '' : 's'} not shown.${answer.more ? ` All of it: ${answer.more}` : ''}`),
      ],
    });
  }
  return { text: escapeMrkdwn(answer.title), blocks };
}
