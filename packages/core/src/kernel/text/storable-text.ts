import type { ValidationIssue } from '../errors.js';
import { formatPath } from '../model/json-path.js';

// What SQLite TEXT cannot hold exactly: a NUL ends the text early when it is read back, and a lone UTF-16 surrogate
// (half of a pair) is not Unicode text at all; it is stored as U+FFFD.
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly the character refused
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why `text` would not read back exactly as written from a TEXT column, or `undefined` when it would. Text people and
 * assistants send is stored as it is: every other character (C0 and C1 controls, bidirectional overrides, any length)
 * round-trips, so only these two are refused.
 *
 * @example unstorableText('please add\u0000 HIDDEN') // 'contains a NUL character (U+0000) at index 10; remove it'
 */
export function unstorableText(text: string): string | undefined {
  const match = UNSTORABLE.exec(text);
  if (!match) return undefined;
  if (match[0] === '\u0000') return `contains a NUL character (U+0000) at index ${match.index}; remove it`;
  const code = match[0].charCodeAt(0).toString(16).toUpperCase();
  return `contains a lone surrogate (U+${code}) at index ${match.index}, which is not Unicode text; remove it or send the whole character`;
}

/**
 * Every string, and every object key, at any depth of `value` that {@link unstorableText} refuses, located by its path
 * (`params.items[2].title`). Walks plain objects and arrays only; a value seen twice is walked once.
 */
export function unstorableTextIssues(value: unknown, path: readonly PropertyKey[] = []): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Set<object>();
  const walk = (current: unknown, at: readonly PropertyKey[]) => {
    if (typeof current === 'string') {
      const problem = unstorableText(current);
      if (problem) issues.push({ path: formatPath(at), message: problem });
      return;
    }
    if (typeof current !== 'object' || current === null || seen.has(current)) return;
    seen.add(current);
    if (Array.isArray(current)) {
      current.forEach((item, index) => walk(item, [...at, index]));
      return;
    }
    for (const [key, item] of Object.entries(current)) {
      const problem = unstorableText(key);
      if (problem) issues.push({ path: formatPath([...at, key]), message: `its key ${problem}` });
      walk(item, [...at, key]);
    }
  };
  walk(value, path);
  return issues;
}

/**
 * `text` cut to at most `max` UTF-16 code units without splitting a surrogate pair (a cut pair would leave a lone
 * surrogate, which {@link unstorableText} refuses).
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/**
 * `text` with every character {@link unstorableText} refuses replaced by U+FFFD: for text teamstate writes itself from
 * what others produced (a connector's message), where refusing is not possible.
 */
export function storableText(text: string): string {
  return text.replace(new RegExp(UNSTORABLE.source, 'g'), '\uFFFD');
}
