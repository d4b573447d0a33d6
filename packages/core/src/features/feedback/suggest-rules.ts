import { unknownId } from '../../kernel/errors.js';
import type { Logger } from '../../kernel/logger.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import type { Store } from '../../kernel/store/open-store.js';
import { invalid } from '../../records/arguments.js';
import type { Reading } from '../../records/identity/viewer.js';
import type { Connector } from '../../spec/connector.js';
import { formatRules, pullRequestText, RULE_FORMATS, type RuleFormat, ruleText, targetPath } from './agent-rule-formats.js';
import { checkTracked } from './feedback-arguments.js';
import { type FeedbackPattern, feedbackInWindow, feedbackWindow, groupPatterns } from './feedback-patterns.js';

/** What `ts.feedback.suggestRules()` takes. */
export interface RuleSuggestionQuery {
  /** `owner/name`, a tracked repository. */
  repository: string;
  /** `claude` (CLAUDE.md), `agents` (AGENTS.md), `cursor` (.cursor/rules/*.mdc) or `copilot` (.github/…instructions.md). */
  format: RuleFormat;
  /** The window of feedback read (default: the 90 days up to now). */
  from?: string;
  to?: string;
  /** Patterns with at least this many reports become rules (default 2). */
  minCount?: number;
  /** At most this many rules, most reported first (default 5). */
  limit?: number;
}

/** A suggested change to a repository's agent instructions. */
export interface RuleSuggestion {
  repository: string;
  format: RuleFormat;
  /** The target file, relative to the repository root. */
  path: string;
  /** The rule text (markdown), one rule per pattern, each citing its evidence count. */
  rules: string;
  /** The whole new content of the target file. */
  content: string;
  /** A unified diff from the file on the default branch (or from nothing) to `content`. */
  diff: string;
  /**
   * What the diff was made against: the default branch and the file's blob sha there (`null` when the file does not
   * exist yet); `null` when no configured connector reads the repository (the diff is then against an empty file).
   */
  base: { defaultBranch: string; sha: string | null } | null;
  /** The patterns the rules come from. */
  patterns: FeedbackPattern[];
  /** The title and description of the pull request that would carry the change (`github.pr.open_file_change`). */
  pullRequest: { title: string; body: string };
  from: string;
  to: string;
}

const isRuleFormat = (value: unknown): value is RuleFormat => RULE_FORMATS.includes(value as RuleFormat);

function wholeNumber(argument: string, value: unknown, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max)
    throw invalid(`${argument}: expected a whole number from 1 to ${max}, got ${JSON.stringify(value)}`);
  return value;
}

/**
 * `ts.feedback.suggestRules()`: the repository's patterns with at least `minCount` reports become rules (deterministic
 * text, no language model), written in the format's file, and diffed against that file on the default branch, read
 * through the connector that syncs the repository (its `repositoryFiles`).
 */
export async function suggestRules(
  deps: { store: Store; workspace: string; now: () => Date; connectors: readonly Connector[]; log: Logger; reading?: Reading },
  query: RuleSuggestionQuery,
): Promise<RuleSuggestion> {
  if (typeof query !== 'object' || query === null) throw invalid('query: expected { repository, format, from?, to?, minCount?, limit? }');
  if (query.repository === undefined) throw invalid('repository: required (owner/name of a tracked repository)');
  if (!isRuleFormat(query.format)) {
    if (query.format === undefined) throw invalid(`format: required; expected one of ${RULE_FORMATS.join(', ')}`);
    throw unknownId('format', query.format, RULE_FORMATS, { listAs: 'expected one of ', list: 'always' });
  }
  const minCount = wholeNumber('minCount', query.minCount, 2, 1_000);
  const limit = wholeNumber('limit', query.limit, 5, 20);
  const repository = await checkTracked(deps.store.execute, deps.workspace, query.repository);
  const window = feedbackWindow(query, deps.now());
  const from = formatTimestamp(window.from);
  const to = formatTimestamp(window.to);
  const feedback = await feedbackInWindow(deps.store, deps.workspace, window, { repository }, deps.reading);
  const patterns = groupPatterns(feedback, window)
    .filter((pattern) => pattern.count >= minCount)
    .slice(0, limit);
  if (patterns.length === 0)
    throw invalid(
      `repository: no pattern in ${repository} has ${minCount} or more reports from ${from} to ${to} (${feedback.length} in all); nothing to suggest yet (see ts.feedback.patterns, or lower minCount)`,
    );
  const scoped = patterns.every((p) => p.pathPattern !== null && p.pathPattern !== '**');
  const pathPatterns = scoped ? [...new Set(patterns.map((p) => p.pathPattern!))].sort() : null;
  const path = targetPath(query.format, pathPatterns);

  const reader = deps.connectors.find((connector) => connector.repositoryFiles?.handles(repository))?.repositoryFiles;
  const file = reader ? await reader.read(repository, path, { workspace: deps.workspace, log: deps.log, now: deps.now }) : undefined;
  if (file?.notAFile)
    throw invalid(
      `format: ${path} in ${repository} is ${file.notAFile}, so this repository cannot take the ${query.format} format there; choose another format or move it`,
    );
  const current = file?.content ?? null;
  const rules = ruleText(repository, patterns, { from, to });
  const content = formatRules(query.format, rules, repository, pathPatterns, current);
  // The diff library loads with the first suggestion, not with every process that imports the library.
  const { createTwoFilesPatch } = await import('diff');
  const diff = createTwoFilesPatch(
    current === null ? '/dev/null' : `a/${path}`,
    `b/${path}`,
    current ?? '',
    content,
    undefined,
    undefined,
    {
      context: 3,
    },
  );
  return {
    repository,
    format: query.format,
    path,
    rules,
    content,
    diff,
    base: file ? { defaultBranch: file.defaultBranch, sha: file.sha } : null,
    patterns,
    pullRequest: pullRequestText({ repository, path, from, to }, patterns),
    from,
    to,
  };
}
