/** How {@link safeText} shows a value. */
export interface SafeTextOptions {
  /** Keep the value on one line: line breaks and tabs are shown escaped (`\n`, `\t`), never printed. */
  singleLine?: boolean;
  /** At most this many characters; a longer value is cut and ends with `…`. */
  maxLength?: number;
}

// Escape sequences a terminal would act on: CSI (ESC [ … final byte, or the 8-bit CSI), OSC, DCS, SOS, PM and
// APC strings (up to BEL or ST, ESC \ or the 8-bit ST), and the two-character ESC sequences (ESC 7, ESC c …).
const ESCAPE_SEQUENCES =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters removed
  /(?:\u001b\[|\u009b)[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]?|(?:\u001b[\]PX^_]|[\u0090\u0098\u009d\u009e\u009f])[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[\u0020-\u002f]*[\u0030-\u007e]?/g;
// Other C0 and C1 control characters (tab and line feed are handled apart), DEL, and the bidirectional
// overrides and isolates that make text display in another order than it is stored (Trojan Source).
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters removed
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\u202a-\u202e\u2066-\u2069]/g;
const SHOWN_ESCAPED: Record<string, string> = {
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\u0085': '\\u0085',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * Makes text from people, assistants and upstream systems safe to print to a terminal or to put in
 * digest text: escape sequences and control characters are removed (a title cannot clear a line, hide
 * text, change colours or carry a link), a single-line field stays on one line, and a long one is cut.
 * It is the one sanitizer for every such output; the text itself is never interpreted.
 *
 * @example safeText('Fix\u001b[2K\r\u001b[31m bug\nnext', { singleLine: true }) // 'Fix bug\\nnext'
 */
export function safeText(value: string, options: SafeTextOptions = {}): string {
  let text = String(value).replace(ESCAPE_SEQUENCES, '').replace(CONTROLS, '');
  text = options.singleLine
    ? text.replace(/[\n\r\t\u0085\u2028\u2029]/g, (character) => SHOWN_ESCAPED[character]!)
    : text.replace(/\r\n?|\u0085|\u2028|\u2029/g, '\n');
  const max = options.maxLength;
  if (max !== undefined) {
    const characters = Array.from(text);
    if (characters.length > max) text = `${characters.slice(0, Math.max(0, max - 1)).join('')}…`;
  }
  return text;
}
