import { TeamStateError } from '../../kernel/errors.js';
import { queryWords } from './identifier-terms.js';

/** The longest query `ts.knowledge.search` takes, in characters. */
export const KNOWLEDGE_QUERY_MAX = 500;

/**
 * Words that carry no topic in a question ("how do I roll back the payments service?"): dropped from the query, so
 * a natural-language question matches on its content words. English function words plus question words.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all also am an and any are aren as at be because been before being below between both but by ' +
    'can cannot could couldn did didn do does doesn doing don down during each either else etc ever every few for from further get gets getting ' +
    'got had hadn has hasn have haven having he her here hers herself him himself his how however i if in into is isn it its itself just ' +
    'know let like ll may me might mine more most much must mustn my myself need needs no nor not now of off often on once only or other ' +
    'ought our ours ourselves out over own per please re really same shall shan she should shouldn so some such than that the their theirs them ' +
    'themselves then there these they this those through to too under until up upon us use used using ve very via was wasn way we were weren what ' +
    'whats when where whether which while who whom whose why will with within without won would wouldn yes yet you your yours yourself yourselves ' +
    'anyone anybody someone somebody something anything thing things tell find want wants go goes going one ones s t d m'
  ).split(' '),
);

/** Checks the query argument: a string of 1 to 500 characters with at least one word. */
export function checkKnowledgeQuery(query: unknown): string {
  if (typeof query !== 'string')
    throw new TeamStateError('invalid_argument', 'query: expected the question or words to search for, as a string');
  if (query.trim() === '') throw new TeamStateError('invalid_argument', 'query: must not be empty (ask a question or give a few words)');
  if (query.length > KNOWLEDGE_QUERY_MAX)
    throw new TeamStateError(
      'invalid_argument',
      `query: ${query.length.toLocaleString('en-US')} characters, at most ${KNOWLEDGE_QUERY_MAX} allowed (ask a shorter question)`,
    );
  return query;
}

/** The content words of a query (stop words dropped unless nothing else is left), with identifier forms, once each. */
export function contentTerms(query: string): string[] {
  const words = queryWords(query).filter((word) => word.length > 1 || /\p{N}/u.test(word));
  const content = words.filter((word) => !STOP_WORDS.has(word));
  return [...new Set(content.length > 0 ? content : words)];
}

/** What a search looks for: the content terms, and neighbouring words joined. */
export function queryTerms(query: string): string[] {
  return [...new Set([...contentTerms(query), ...joinedPairs(query)])];
}

/**
 * Two neighbouring words also as one (`roll back` → `rollback`, `set up` → `setup`, `log in` → `login`): people write
 * these both ways. A pair that is no word matches nothing and costs nothing.
 */
function joinedPairs(query: string): string[] {
  const words = query.toLowerCase().match(/\p{L}+/gu) ?? [];
  const pairs: string[] = [];
  for (let i = 1; i < words.length; i++) {
    const [a, b] = [words[i - 1]!, words[i]!];
    if (a.length < 2 || b.length < 2 || (STOP_WORDS.has(a) && STOP_WORDS.has(b))) continue;
    pairs.push(a + b);
  }
  return pairs;
}

/**
 * The FTS5 query for the user's words: each term a quoted string (inner `"` doubled), so nothing a person types
 * (quotes, `*`, `^`, `:`, `-`, parentheses, `AND`/`OR`/`NOT`/`NEAR`) is syntax, joined with `OR` so a question matches
 * passages that hold some of its words (BM25 ranks the ones that hold more, and rarer, words first). `undefined`
 * when the query has no searchable word.
 */
export function knowledgeMatch(terms: readonly string[]): string | undefined {
  if (terms.length === 0) return undefined;
  return terms.map((term) => `"${term.replaceAll('"', '""')}"`).join(' OR ');
}
