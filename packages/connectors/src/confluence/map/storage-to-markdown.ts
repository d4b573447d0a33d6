import TurndownService from 'turndown';

// Confluence's storage format is XHTML with `ac:` (macros, links, images) and `ri:` (resource identifiers) elements.
// turndown parses HTML, not XML, so two XML-only forms are made HTML first: CDATA sections (code and link bodies),
// which an HTML parser would turn into comments, become escaped text (a code body inside <pre>, so its line breaks
// stay); and self-closing `ac:`/`ri:`/`time` elements,
// which an HTML parser would leave open around what follows, get their end tag. `<colgroup>` (column widths) goes.
const CDATA = /<!\[CDATA\[([\s\S]*?)\]\]>/g;
const CODE_BODY = /<ac:plain-text-body>\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*<\/ac:plain-text-body>/g;
const SELF_CLOSING = /<((?:ac|ri):[\w-]+|time)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/>/gi;
const COLGROUP = /<colgroup[\s>][\s\S]*?<\/colgroup>/gi;

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// What a self-closing element shows: a page link its title, a space link its key, a date the date; the rest nothing.
const SHOWN_ATTRIBUTE: Record<string, string> = {
  'ri:page': 'ri:content-title',
  'ri:blog-post': 'ri:content-title',
  'ri:space': 'ri:space-key',
  time: 'datetime',
};

function shownText(name: string, attributes: string): string {
  const shown = SHOWN_ATTRIBUTE[name.toLowerCase()];
  if (!shown) return '';
  const value = new RegExp(`\\s${shown}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'i').exec(attributes);
  // The value is still escaped as in the XML, so it stays escaped as HTML text.
  return value ? (value[1] ?? value[2] ?? '') : '';
}

/** Makes a storage-format body parseable as HTML without losing CDATA text or nesting. */
export function storageToHtml(storage: string): string {
  return storage
    .replace(CODE_BODY, (_, code: string) => `<ac:plain-text-body><pre>\n${escapeText(code)}</pre></ac:plain-text-body>`)
    .replace(CDATA, (_, text: string) => escapeText(text))
    .replace(SELF_CLOSING, (_, name: string, attributes: string) => `<${name}${attributes}>${shownText(name, attributes)}</${name}>`)
    .replace(COLGROUP, '');
}

/** The parts of a DOM node the rules read (turndown hands them the nodes of its own HTML parser, domino). */
interface DomNode {
  nodeName: string;
  childNodes: ArrayLike<DomNode>;
  textContent: string | null;
  parentNode: DomNode | null;
  getAttribute(name: string): string | null;
  closest(selector: string): DomNode | null;
  querySelector(selector: string): DomNode | null;
}
const dom = (node: unknown) => node as DomNode;

const name = (node: DomNode) => node.nodeName.toLowerCase();
const children = (node: DomNode) => Array.from(node.childNodes);
const child = (node: DomNode, tag: string) => children(node).find((candidate) => name(candidate) === tag);
const macroName = (node: DomNode) => (name(node) === 'ac:structured-macro' ? (dom(node).getAttribute('ac:name') ?? '') : '');
const parameter = (node: DomNode, key: string) =>
  children(node).find((candidate) => name(candidate) === 'ac:parameter' && candidate.getAttribute('ac:name') === key)?.textContent ?? '';

const CODE_MACROS = new Set(['code', 'noformat']);
const PANEL_MACROS: Record<string, string> = { info: 'Info', note: 'Note', warning: 'Warning', tip: 'Tip', panel: '' };
// Macros that show nothing worth indexing on their own (their parameters are settings, not text).
const DROPPED_MACROS = new Set(['toc', 'children', 'anchor', 'jira', 'recently-updated', 'contentbylabel', 'attachments', 'gallery']);

/** A fenced code block whose fence is longer than any run of backticks in the code. */
function fence(code: string, language: string): string {
  const longest = Math.max(2, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const marks = '`'.repeat(longest + 1);
  return `\n\n${marks}${language.trim().toLowerCase()}\n${code.replace(/\n+$/, '')}\n${marks}\n\n`;
}

const quote = (text: string) =>
  `\n\n${text
    .trim()
    .split('\n')
    .map((line) => (line ? `> ${line}` : '>'))
    .join('\n')}\n\n`;

/** A table cell's text on one line, with its pipes escaped. */
const cellText = (content: string) => content.trim().replace(/\n+/g, ' ').replace(/\|/g, '\\|');

function createConverter(): TurndownService {
  const service = new TurndownService({
    headingStyle: 'atx',
    codeBlockStyle: 'fenced',
    bulletListMarker: '-',
    emDelimiter: '_',
  });
  service.remove((node) =>
    [
      'ac:parameter',
      'ac:image',
      'ac:emoticon',
      'ac:placeholder',
      'ri:attachment',
      'ri:user',
      'ac:adf-fallback',
      'ac:adf-attribute',
      'ac:task-id',
      'ac:task-uuid',
      'ac:task-status',
      'img',
    ].includes(name(node)),
  );
  service.addRule('codeMacro', {
    filter: (node) => CODE_MACROS.has(macroName(node)),
    replacement: (_content, node) => fence(child(node, 'ac:plain-text-body')?.textContent ?? '', parameter(node, 'language')),
  });
  service.addRule('panelMacro', {
    filter: (node) => macroName(node) in PANEL_MACROS,
    replacement: (content, node) => {
      const label = [PANEL_MACROS[macroName(node)], parameter(node, 'title')].filter(Boolean).join(': ');
      return quote(label ? `**${label}**\n\n${content.trim()}` : content);
    },
  });
  service.addRule('adfPanel', {
    filter: (node) => name(node) === 'ac:adf-node' && dom(node).getAttribute('type') === 'panel',
    replacement: (content) => quote(content),
  });
  service.addRule('statusMacro', {
    filter: (node) => macroName(node) === 'status',
    replacement: (_content, node) => `[${parameter(node, 'title').trim()}]`,
  });
  service.addRule('droppedMacro', { filter: (node) => DROPPED_MACROS.has(macroName(node)), replacement: () => '' });
  // A link to a page reads as its link body, else as the page's title (the text given to ri:page above).
  service.addRule('linkTarget', {
    filter: (node) =>
      ['ri:page', 'ri:blog-post', 'ri:space'].includes(name(node)) &&
      !!node.parentNode &&
      (child(node.parentNode, 'ac:link-body') ?? child(node.parentNode, 'ac:plain-text-link-body')) !== undefined,
    replacement: () => '',
  });
  service.addRule('task', {
    filter: (node) => name(node) === 'ac:task',
    replacement: (content, node) => {
      const done = child(node, 'ac:task-status')?.textContent?.trim() === 'complete';
      return `\n- [${done ? 'x' : ' '}] ${content.trim().replace(/\n+/g, ' ')}\n`;
    },
  });
  service.addRule('strikethrough', { filter: ['del', 's'], replacement: (content) => `~~${content}~~` });
  // GFM tables: every table gets one (Confluence's often have no header row: the first row becomes the header).
  service.addRule('tableCell', {
    filter: ['th', 'td'],
    replacement: (content) => ` ${cellText(content) || ' '} |`,
  });
  service.addRule('tableRow', {
    filter: 'tr',
    replacement: (content, node) => {
      const table = dom(node).closest('table');
      const first = table?.querySelector('tr') === node;
      const cells = children(node).filter((cell) => name(cell) === 'td' || name(cell) === 'th').length;
      return `\n|${content}${first ? `\n|${' --- |'.repeat(cells)}` : ''}`;
    },
  });
  service.addRule('tableSection', { filter: ['thead', 'tbody', 'tfoot'], replacement: (content) => content });
  service.addRule('table', {
    filter: 'table',
    replacement: (content) => `\n\n${content.replace(/\n+/g, '\n').trim()}\n\n`,
  });
  return service;
}

let converter: TurndownService | undefined;

/** The longest body converted (characters of storage format): a page past it is skipped rather than stalling the sync. */
export const MAX_STORAGE_CHARS = 2_000_000;

/**
 * Converts a page body in Confluence's storage format to markdown: headings, lists, emphasis and links kept; code
 * macros become fenced code with their language; info, note, warning and tip panels become blockquotes; tables become
 * GFM tables; links to pages become their text; images, attachments, user mentions and macro settings are dropped.
 * Throws when the body cannot be converted, or is longer than {@link MAX_STORAGE_CHARS} (the caller skips that page
 * with a warning).
 *
 * @example storageToMarkdown('<h2>Rollback</h2><ac:structured-macro ac:name="code">…') // '## Rollback\n\n```bash\n…'
 */
export function storageToMarkdown(storage: string): string {
  if (storage.length > MAX_STORAGE_CHARS)
    throw new Error(
      `the body is ${storage.length.toLocaleString('en-US')} characters, over the ${MAX_STORAGE_CHARS.toLocaleString('en-US')} converted`,
    );
  converter ??= createConverter();
  return converter
    .turndown(storageToHtml(storage))
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
