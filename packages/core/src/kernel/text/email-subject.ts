// C0 and C1 control characters and DEL: a line break in a subject would start a header of its own.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters replaced
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]+/g;

/**
 * An email's subject from text that may quote people's (a PR title): one line (control characters become a space),
 * at most 200 characters, a longer one cut and ending with `…`.
 *
 * @example emailSubject('Nudge: Fix\r\nBcc: all') // 'Nudge: Fix Bcc: all'
 */
export function emailSubject(text: string): string {
  const flat = text.replace(CONTROLS, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}
