import { createRequire } from 'node:module';
import type { Heading, Root, RootContent } from 'mdast';
import { quietRequire } from '../../kernel/quiet-require.js';
import { yaml } from '../../kernel/text/yaml.js';

/**
 * The markdown parser and its extensions (about 150 modules), loaded by the first document chunked: every process that
 * imports the library but indexes no document (each CLI command, each MCP server) starts without them. They are ES
 * modules: Node 22.12 would warn as require() loads them from a build in a clone ({@link quietRequire}).
 */
interface Markdown {
  fromMarkdown: typeof import('mdast-util-from-markdown').fromMarkdown;
  frontmatterFromMarkdown: typeof import('mdast-util-frontmatter').frontmatterFromMarkdown;
  gfmFromMarkdown: typeof import('mdast-util-gfm').gfmFromMarkdown;
  mdastText: typeof import('mdast-util-to-string').toString;
  frontmatter: typeof import('micromark-extension-frontmatter').frontmatter;
  gfm: typeof import('micromark-extension-gfm').gfm;
}
let loaded: Markdown | undefined;
function markdownParser(): Markdown {
  if (loaded !== undefined) return loaded;
  const require = createRequire(import.meta.url);
  loaded = quietRequire(() => ({
    fromMarkdown: require('mdast-util-from-markdown').fromMarkdown,
    frontmatterFromMarkdown: require('mdast-util-frontmatter').frontmatterFromMarkdown,
    gfmFromMarkdown: require('mdast-util-gfm').gfmFromMarkdown,
    mdastText: require('mdast-util-to-string').toString,
    frontmatter: require('micromark-extension-frontmatter').frontmatter,
    gfm: require('micromark-extension-gfm').gfm,
  }));
  return loaded;
}

/** One passage of a markdown document. */
export interface MarkdownChunk {
  /** The headings above the passage, outermost first (the document's H1 included). */
  headingPath: string[];
  /** The passage's markdown, as written (code blocks whole). */
  text: string;
}

/** A markdown document split for search. */
export interface ChunkedMarkdown {
  /** Front matter `title`, else the first H1, else `fallbackTitle`. */
  title: string;
  /** Front matter `author` (a string), when given. */
  author?: string;
  chunks: MarkdownChunk[];
}

/** Sizes of the passages, in characters. */
export interface ChunkOptions {
  /** A section longer than this is split (default 1,500). */
  maxChars?: number;
  /** How much of the end of a split part starts the next one (default 200). */
  overlapChars?: number;
}

const FRONTMATTER = ['yaml', 'toml'] as const;

/**
 * Splits markdown at its headings with a real markdown parser (mdast, with GFM tables and front matter): each section
 * becomes a passage that keeps its heading path, code blocks are never cut, and a section longer than `maxChars` is
 * split between blocks (or, for one long paragraph, between sentences) with `overlapChars` of overlap. The title is
 * the front matter's `title`, else the first H1, else `fallbackTitle` (the file name).
 *
 * @example chunkMarkdown('# Deploys\n\n## Rollback\n\nRun `make rollback`.', 'deploys.md').chunks
 * // [{ headingPath: ['Deploys', 'Rollback'], text: 'Run `make rollback`.' }]
 */
export function chunkMarkdown(markdown: string, fallbackTitle: string, options: ChunkOptions = {}): ChunkedMarkdown {
  const maxChars = options.maxChars ?? 1_500;
  const overlapChars = Math.min(options.overlapChars ?? 200, Math.floor(maxChars / 3));
  const source = markdown.replace(/^\uFEFF/, '');
  const { fromMarkdown, gfm, frontmatter, gfmFromMarkdown, frontmatterFromMarkdown } = markdownParser();
  const tree: Root = fromMarkdown(source, {
    extensions: [gfm(), frontmatter([...FRONTMATTER])],
    mdastExtensions: [gfmFromMarkdown(), frontmatterFromMarkdown([...FRONTMATTER])],
  });
  const meta = frontMatter(tree);
  let title = typeof meta.title === 'string' && meta.title.trim() !== '' ? meta.title.trim() : undefined;
  const chunks: MarkdownChunk[] = [];
  const path: { depth: number; text: string }[] = [];
  let blocks: RootContent[] = [];
  const flush = () => {
    if (blocks.length === 0) return;
    const headingPath = path.map((heading) => heading.text);
    for (const text of splitSection(source, blocks, maxChars, overlapChars)) chunks.push({ headingPath, text });
    blocks = [];
  };
  for (const node of tree.children) {
    if (node.type === 'yaml' || node.type === ('toml' as string)) continue;
    if (node.type === 'heading') {
      flush();
      const text = headingText(node);
      if (node.depth === 1 && title === undefined && text !== '') title = text;
      while (path.length > 0 && path.at(-1)!.depth >= node.depth) path.pop();
      if (text !== '') path.push({ depth: node.depth, text });
      continue;
    }
    if (node.type === 'html' && /^<!--[\s\S]*-->$/.test(node.value.trim())) continue;
    blocks.push(node);
  }
  flush();
  return {
    title: oneLine(title ?? fallbackTitle),
    ...(typeof meta.author === 'string' && meta.author.trim() !== '' ? { author: meta.author.trim() } : {}),
    chunks,
  };
}

function frontMatter(tree: Root): Record<string, unknown> {
  const first = tree.children[0];
  if (first?.type !== 'yaml') return {};
  try {
    const value = yaml().parse(first.value);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
const headingText = (node: Heading) => oneLine(markdownParser().mdastText(node));

/** The markdown of a node as written. */
function sourceOf(source: string, node: RootContent): string {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  return start === undefined || end === undefined ? markdownParser().mdastText(node) : source.slice(start, end);
}

/** A section's passages: whole when short enough, else parts of at most `maxChars` (code blocks whole) with overlap. */
function splitSection(source: string, nodes: RootContent[], maxChars: number, overlapChars: number): string[] {
  const first = nodes[0]?.position?.start.offset;
  const last = nodes.at(-1)?.position?.end.offset;
  const whole = (
    first === undefined || last === undefined ? nodes.map((node) => sourceOf(source, node)).join('\n\n') : source.slice(first, last)
  ).trim();
  if (whole === '') return [];
  if (whole.length <= maxChars) return [whole];
  // Pieces that may not be cut further: code blocks (and tables) whole, long paragraphs and lists into sentences.
  const pieces = nodes.flatMap((node) => {
    const text = sourceOf(source, node).trim();
    if (text === '') return [];
    if (text.length <= maxChars || node.type === 'code' || node.type === 'table') return [text];
    // Room for the overlap that starts the next part.
    return sentences(text, maxChars - overlapChars);
  });
  const parts: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (current !== '' && current.length + piece.length + 2 > maxChars) {
      parts.push(current);
      current = overlap(current, overlapChars);
      // A piece too long to follow the overlap starts its part alone.
      if (current.length + piece.length + 2 > maxChars) current = '';
    }
    current = current === '' ? piece : `${current}\n\n${piece}`;
  }
  if (current !== '' && (parts.length === 0 || current !== overlap(parts.at(-1)!, overlapChars))) parts.push(current);
  return parts;
}

/** Splits a long run of text at sentence or line ends into pieces of at most `maxChars` (a longer sentence is cut). */
function sentences(text: string, maxChars: number): string[] {
  const found = text.match(/[^.!?\n]+(?:[.!?]+(?=\s|$)|\n+|$)\s*/g) ?? [text];
  const out: string[] = [];
  let current = '';
  for (const sentence of found) {
    if (current !== '' && current.length + sentence.length > maxChars) {
      out.push(current.trim());
      current = '';
    }
    if (sentence.length > maxChars) {
      for (let i = 0; i < sentence.length; i += maxChars) out.push(sentence.slice(i, i + maxChars).trim());
      continue;
    }
    current += sentence;
  }
  if (current.trim() !== '') out.push(current.trim());
  return out.filter((piece) => piece !== '');
}

/** The end of a passage that starts the next one: the last whole sentences or words within `chars`. */
function overlap(text: string, chars: number): string {
  if (chars <= 0 || text.length <= chars) return chars <= 0 ? '' : text;
  // A code block is never cut, so a passage ending in one carries no overlap.
  if (text.trimEnd().endsWith('```') || text.trimEnd().endsWith('~~~')) return '';
  let tail = text.slice(-chars);
  // Never start inside a code block: what follows the last fence in the tail is prose.
  const fence = Math.max(tail.lastIndexOf('```'), tail.lastIndexOf('~~~'));
  if (fence >= 0) tail = tail.slice(fence + 3).replace(/^[^\n]*\n?/, '');
  if (tail.trim() === '') return '';
  const sentenceStart = tail.search(/(?<=[.!?]\s)\S/);
  if (sentenceStart > 0) return tail.slice(sentenceStart);
  const wordStart = tail.indexOf(' ');
  return wordStart >= 0 ? tail.slice(wordStart + 1) : tail;
}
