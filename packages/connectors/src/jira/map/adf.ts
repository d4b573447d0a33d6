import type { AdfDocument } from '../client/jira-api.js';

interface AdfNode {
  type?: string;
  text?: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
}

const BLOCKS = new Set([
  'paragraph',
  'heading',
  'blockquote',
  'codeBlock',
  'listItem',
  'bulletList',
  'orderedList',
  'panel',
  'table',
  'tableRow',
  'rule',
]);

/**
 * The plain text of an Atlassian Document Format document (a Cloud description or comment): text,
 * mentions, emoji and links, one line per block. A string (Data Center wiki markup) is returned as is.
 */
export function adfToText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (!value || typeof value !== 'object') return '';
  const lines: string[] = [];
  let line = '';
  const flush = () => {
    lines.push(line);
    line = '';
  };
  const walk = (node: AdfNode) => {
    switch (node.type) {
      case 'text':
        line += node.text ?? '';
        return;
      case 'hardBreak':
        flush();
        return;
      case 'mention':
      case 'emoji':
        line += String(node.attrs?.text ?? node.attrs?.shortName ?? '');
        return;
      case 'inlineCard':
      case 'blockCard':
        line += String(node.attrs?.url ?? '');
        return;
    }
    for (const child of node.content ?? []) walk(child);
    if (node.type && BLOCKS.has(node.type) && line) flush();
  };
  walk(value as AdfNode);
  if (line) flush();
  return lines.join('\n').trim();
}

/** Plain text as an ADF document: blank lines separate paragraphs, single newlines become hard breaks. Nothing is interpreted as markup. */
export function textToAdf(text: string): AdfDocument {
  const paragraphs = text.replace(/\r\n?/g, '\n').split(/\n{2,}/);
  return {
    type: 'doc',
    version: 1,
    content: paragraphs.map((paragraph) => ({
      type: 'paragraph',
      content: paragraph
        .split('\n')
        .flatMap((part, i) => [...(i > 0 ? [{ type: 'hardBreak' }] : []), ...(part ? [{ type: 'text', text: part }] : [])]),
    })),
  };
}
