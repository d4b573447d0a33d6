import type { Feedback, FeedbackCategory } from '../../kernel/model/feedback.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import type { InValue } from '../../kernel/store/driver.js';
import type { Store } from '../../kernel/store/open-store.js';
import { checkKnown, invalid } from '../../records/arguments.js';
import { type Reading, readableCondition } from '../../records/identity/viewer.js';
import { parseWindowBound } from '../../services/metrics/index.js';
import { checkTracked } from './feedback-arguments.js';
import { feedbackFromRow } from './feedback-rows.js';
import { aiFeedbackSpec } from './table-specs.js';

/** Filters of `ts.feedback.patterns()`: a window `[from, to)` (ISO timestamps or days), a team, a repository. */
export interface FeedbackPatternQuery {
  /** Default: 90 days before `to`. */
  from?: string;
  /** Default: now. */
  to?: string;
  /** Feedback on the team's repositories, and feedback without a repository from the team's members. */
  team?: string;
  repository?: string;
}

/** One example of a pattern: a piece of feedback, newest first. */
export interface FeedbackExample {
  id: string;
  person: string;
  text: string;
  tool?: string;
  pullRequest?: number;
  paths?: string[];
  createdAt: string;
}

/** Whether a pattern was reported more in the second half of the window than in the first. */
export interface FeedbackTrend {
  /** Feedback in the first half of the window. */
  earlier: number;
  /** Feedback in the second half of the window. */
  later: number;
  direction: 'rising' | 'falling' | 'steady';
}

/** A group of feedback: the same category, repository, path pattern and language. */
export interface FeedbackPattern {
  category: FeedbackCategory;
  /** The repository (`owner/name`), or null for feedback that named none. */
  repository: string | null;
  /** The deepest directory common to the paths, as a glob (`services/payments/**`; `**` for the whole repository); null without paths. */
  pathPattern: string | null;
  /** The language of the files (from their extensions), or null when the paths name none. */
  language: string | null;
  /** The file extensions seen (`ts`, `tsx`), for globs. */
  extensions: string[];
  count: number;
  /** How many people reported it. */
  people: number;
  /** The assistants named, most reported first. */
  tools: string[];
  trend: FeedbackTrend;
  /** Up to 3, newest first. */
  examples: FeedbackExample[];
}

/** What `ts.feedback.patterns()` returns: the window it read and the patterns, most reported first. */
export interface FeedbackPatterns {
  from: string;
  to: string;
  /** Feedback in the window (after the filters). */
  total: number;
  patterns: FeedbackPattern[];
}

/** The default window of patterns, in days. */
export const DEFAULT_PATTERN_WINDOW_DAYS = 90;
const DAY_MS = 86_400_000;

const LANGUAGES: Record<string, string> = {
  ts: 'TypeScript',
  tsx: 'TypeScript',
  mts: 'TypeScript',
  cts: 'TypeScript',
  js: 'JavaScript',
  jsx: 'JavaScript',
  mjs: 'JavaScript',
  cjs: 'JavaScript',
  py: 'Python',
  go: 'Go',
  rb: 'Ruby',
  java: 'Java',
  kt: 'Kotlin',
  kts: 'Kotlin',
  rs: 'Rust',
  cs: 'C#',
  php: 'PHP',
  swift: 'Swift',
  scala: 'Scala',
  c: 'C',
  h: 'C',
  cc: 'C++',
  cpp: 'C++',
  hpp: 'C++',
  m: 'Objective-C',
  sql: 'SQL',
  sh: 'Shell',
  bash: 'Shell',
  tf: 'Terraform',
  yaml: 'YAML',
  yml: 'YAML',
  vue: 'Vue',
  svelte: 'Svelte',
  css: 'CSS',
  scss: 'CSS',
  html: 'HTML',
  md: 'Markdown',
  ex: 'Elixir',
  exs: 'Elixir',
  dart: 'Dart',
};

/** The extension of a path's file name, lower-case (`ts` for `a/b.test.ts`), or undefined. */
export function extensionOf(path: string): string | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : undefined;
}

/** The language of a file from its extension, or undefined. */
export const languageOf = (path: string): string | undefined => {
  const extension = extensionOf(path);
  return extension === undefined ? undefined : LANGUAGES[extension];
};

/** The directory of a path that names a file (one with an extension); a path without one is taken as a directory. */
const directoryOf = (path: string) => (extensionOf(path) === undefined ? path : path.slice(0, Math.max(0, path.lastIndexOf('/'))));

/** The deepest directory common to `paths` (`''` for the repository root). */
export function commonDirectory(paths: readonly string[]): string {
  const [first, ...rest] = paths.map((path) => directoryOf(path).split('/').filter(Boolean));
  if (!first) return '';
  let depth = first.length;
  for (const segments of rest) {
    let i = 0;
    while (i < depth && i < segments.length && segments[i] === first[i]) i++;
    depth = i;
  }
  return first.slice(0, depth).join('/');
}

/** A directory as a glob: `services/payments/**`, or `**` for the root. */
export const directoryGlob = (directory: string) => (directory === '' ? '**' : `${directory}/**`);

/** The most frequent value (ties: the first in alphabetical order), or undefined. */
function mostFrequent(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}

/** The window of a patterns request, checked: `[from, to)` in epoch ms. */
export function feedbackWindow(query: { from?: string; to?: string }, now: Date, defaultDays = DEFAULT_PATTERN_WINDOW_DAYS) {
  const bound = (argument: 'from' | 'to', value: string) => {
    const ms = parseWindowBound(value);
    if (ms === undefined) throw invalid(`${argument}: expected an ISO 8601 timestamp or a day (2026-03-01), got ${JSON.stringify(value)}`);
    return ms;
  };
  // By default up to and including now (the window is half-open): feedback filed this instant is in it.
  const to = query.to === undefined ? now.getTime() + 1 : bound('to', query.to);
  const from = query.from === undefined ? (query.to === undefined ? now.getTime() : to) - defaultDays * DAY_MS : bound('from', query.from);
  if (from >= to) throw invalid(`from: ${formatTimestamp(from)} is not before to (${formatTimestamp(to)}); give an earlier from`);
  return { from, to };
}

/**
 * Reads the feedback of a window, filtered by team and repository (checked to exist): feedback text follows the
 * reading rule of reports, so only what `reading`'s viewer may read (everything without one).
 */
export async function feedbackInWindow(
  store: Store,
  workspace: string,
  window: { from: number; to: number },
  filters: { team?: string; repository?: string },
  reading?: Reading,
): Promise<Feedback[]> {
  await checkKnown(store.execute, workspace, 'team', filters.team);
  if (filters.repository !== undefined) await checkTracked(store.execute, workspace, filters.repository);
  const where = ['f.workspace = ?1', 'f.created_at >= ?2', 'f.created_at < ?3'];
  const args: InValue[] = [workspace, window.from, window.to];
  const readable = reading && readableCondition(await reading.check('reports', { team: filters.team }), 'f.person_id');
  if (readable) {
    args.push(readable.arg);
    where.push(readable.sql.replace('?', `?${args.length}`));
  }
  if (filters.repository !== undefined) {
    args.push(filters.repository);
    where.push(`f.repository_id = ?${args.length}`);
  }
  if (filters.team !== undefined) {
    args.push(filters.team);
    const team = `?${args.length}`;
    where.push(`(f.repository_id IN (SELECT id FROM repositories WHERE workspace = ?1 AND team_id = ${team})
      OR (f.repository_id IS NULL AND f.person_id IN (SELECT person_id FROM memberships WHERE workspace = ?1 AND team_id = ${team})))`);
  }
  const { rows } = await store.execute(
    `SELECT ${aiFeedbackSpec.select('f')} FROM ai_feedback f WHERE ${where.join(' AND ')} ORDER BY f.created_at DESC, f.id DESC`,
    args,
  );
  return aiFeedbackSpec.rows.all(rows).map(feedbackFromRow);
}

/** The group a piece of feedback falls in: its directory cut to two levels, so sibling folders group together. */
function keyOf(feedback: Feedback): { key: string; language: string | null } {
  const paths = feedback.paths ?? [];
  const language = mostFrequent(paths.flatMap((path) => languageOf(path) ?? [])) ?? null;
  const directory = paths.length === 0 ? null : commonDirectory(paths).split('/').filter(Boolean).slice(0, 2).join('/');
  return { key: JSON.stringify([feedback.category, feedback.repository ?? null, directory, language]), language };
}

/**
 * Groups feedback by category, repository, path pattern (the deepest directory common to the group's paths) and
 * language (from the files' extensions), with counts, the trend over the window (first half against second half)
 * and up to 3 examples each, newest first. Most reported first; ties by category, then path pattern.
 */
export function groupPatterns(feedback: readonly Feedback[], window: { from: number; to: number }): FeedbackPattern[] {
  const middle = window.from + (window.to - window.from) / 2;
  const groups = new Map<string, { language: string | null; items: Feedback[] }>();
  for (const item of feedback) {
    const { key, language } = keyOf(item);
    const group = groups.get(key);
    if (group) group.items.push(item);
    else groups.set(key, { language, items: [item] });
  }
  const patterns = [...groups.values()].map(({ language, items }): FeedbackPattern => {
    const first = items[0]!;
    const paths = items.flatMap((item) => item.paths ?? []);
    const earlier = items.filter((item) => Date.parse(item.createdAt) < middle).length;
    const later = items.length - earlier;
    const toolCounts = new Map<string, number>();
    for (const item of items) if (item.tool) toolCounts.set(item.tool, (toolCounts.get(item.tool) ?? 0) + 1);
    return {
      category: first.category,
      repository: first.repository ?? null,
      pathPattern: paths.length === 0 ? null : directoryGlob(commonDirectory(paths)),
      language,
      extensions: [
        ...new Set(paths.flatMap((path) => (language !== null && languageOf(path) === language ? [extensionOf(path)!] : []))),
      ].sort(),
      count: items.length,
      people: new Set(items.map((item) => item.person)).size,
      tools: [...toolCounts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([tool]) => tool),
      trend: { earlier, later, direction: later > earlier ? 'rising' : later < earlier ? 'falling' : 'steady' },
      examples: items.slice(0, 3).map(({ category: _category, repository: _repository, ...example }) => example),
    };
  });
  return patterns.sort(
    (a, b) =>
      b.count - a.count ||
      a.category.localeCompare(b.category) ||
      (a.repository ?? '').localeCompare(b.repository ?? '') ||
      (a.pathPattern ?? '').localeCompare(b.pathPattern ?? ''),
  );
}

/** `ts.feedback.patterns()`. */
export async function feedbackPatterns(
  deps: { store: Store; workspace: string; now: () => Date; reading?: Reading },
  query: FeedbackPatternQuery = {},
): Promise<FeedbackPatterns> {
  if (typeof query !== 'object' || query === null) throw invalid('query: expected { from?, to?, team?, repository? }');
  const window = feedbackWindow(query, deps.now());
  const feedback = await feedbackInWindow(deps.store, deps.workspace, window, query, deps.reading);
  return {
    from: formatTimestamp(window.from),
    to: formatTimestamp(window.to),
    total: feedback.length,
    patterns: groupPatterns(feedback, window),
  };
}
