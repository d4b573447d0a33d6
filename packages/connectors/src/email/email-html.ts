/** `&`, `<`, `>`, `"` and `'` as entities: text from people shown in HTML is data, never markup. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The HTML part of a message whose plain-text part is `text`: the same words, every character escaped, paragraphs at
 * blank lines and line breaks kept. Nothing of `text` becomes a tag, an attribute or a link of its own.
 */
export function htmlOf(subject: string, text: string): string {
  const paragraphs = text
    .split(/\n{2,}/)
    .map((block) => `<p>${block.split('\n').map(escapeHtml).join('<br>\n')}</p>`)
    .join('\n');
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"><title>',
    escapeHtml(subject),
    '</title></head><body style="font-family: sans-serif; line-height: 1.4">',
    paragraphs,
    '</body></html>',
  ].join('\n');
}
