/**
 * Code identifiers in prose (`retry_backoff`, `maxRetries`, `HTTPServer`, `ts.knowledge.search`, `config.yaml`): the
 * full-text tokenizer keeps `snake_case` and `camelCase` as one token and splits dotted names at the dots, so both
 * sides (the index and the query) add the same extra forms: the parts of every identifier, and a dotted name joined
 * with `_` as one token. Searching for the whole identifier or for its words then both match.
 */
const HYPHENATED = /\p{L}+(?:-\p{L}+)+/gu;
const IDENTIFIER = /[\p{L}\p{N}_]+(?:\.[\p{L}\p{N}_]+)+|[\p{L}\p{N}_]+/gu;
const CAMEL_BOUNDARY = /(?<=[\p{Ll}\p{N}])(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})/u;

/** Whether a word is a code identifier whose parts are worth indexing apart. */
function isIdentifier(word: string): boolean {
  return word.includes('.') || /[\p{L}\p{N}]_+[\p{L}\p{N}]/u.test(word) || /\p{Ll}\p{Lu}|\p{Lu}{2}\p{Ll}/u.test(word);
}

/** The parts of an identifier, lowercased: `maxRetryCount` → max, retry, count; `retry_backoff` → retry, backoff. */
export function identifierParts(word: string): string[] {
  return word
    .split(/[._]+/)
    .flatMap((piece) => piece.split(CAMEL_BOUNDARY))
    .map((part) => part.toLowerCase())
    .filter((part) => part !== '');
}

/**
 * The extra forms of the identifiers in `text`, one each: the parts of every `snake_case`, `camelCase` and dotted
 * name, each dotted name joined with `_` (`ts.knowledge.search` → `ts_knowledge_search`), and each hyphenated word
 * joined (`stand-up` → `standup`). Plain words add nothing.
 *
 * @example identifierTerms('Set retry_backoff in config.yaml') // ['retry', 'backoff', 'config_yaml', 'config', 'yaml']
 */
export function identifierTerms(text: string): string[] {
  const terms = new Set<string>();
  for (const match of text.matchAll(IDENTIFIER)) {
    const word = match[0];
    if (!isIdentifier(word)) continue;
    if (word.includes('.')) terms.add(word.toLowerCase().replaceAll('.', '_'));
    const parts = identifierParts(word);
    if (parts.length > 1) for (const part of parts) terms.add(part);
  }
  // Hyphenated words also as one word (`stand-up` → `standup`, `on-call` → `oncall`), as people often write them.
  for (const match of text.matchAll(HYPHENATED)) terms.add(match[0].toLowerCase().replaceAll('-', ''));
  return [...terms];
}

/** The words of a query, each with its identifier forms: `retry_backoff` → retry_backoff, retry, backoff. */
export function queryWords(text: string): string[] {
  const words: string[] = [];
  for (const match of text.matchAll(IDENTIFIER)) {
    const word = match[0];
    if (word.includes('.')) {
      // Dotted: the joined token (only in the identifier column) and each part.
      words.push(word.toLowerCase().replaceAll('.', '_'));
    } else words.push(word.toLowerCase());
    if (isIdentifier(word)) {
      const parts = identifierParts(word);
      if (parts.length > 1) words.push(...parts);
    }
  }
  for (const match of text.matchAll(HYPHENATED)) words.push(match[0].toLowerCase().replaceAll('-', ''));
  return words;
}
