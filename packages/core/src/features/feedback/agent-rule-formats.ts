import type { FeedbackCategory } from '../../kernel/model/feedback.js';
import { safeText } from '../../kernel/text/safe-text.js';
import type { FeedbackPattern } from './feedback-patterns.js';

/** The agent instruction formats rules can be suggested in. */
export const RULE_FORMATS = ['claude', 'agents', 'cursor', 'copilot'] as const;
export type RuleFormat = (typeof RULE_FORMATS)[number];

/** What each category asks of an assistant, as an instruction. */
const GUIDANCE: Record<FeedbackCategory, { title: string; rule: string }> = {
  wrong_code: {
    title: 'Wrong code',
    rule: 'Check the logic against the existing code and its tests before proposing a change, and run the tests.',
  },
  missed_context: {
    title: 'Missed context',
    rule: 'Read the surrounding code, the README and the docs of this area first, and follow the conventions already used here.',
  },
  style: { title: 'Style', rule: 'Follow the style of the existing code here (naming, structure, formatting), not general defaults.' },
  missing_tests: {
    title: 'Missing tests',
    rule: 'Add or update tests with every change, reusing the existing fixtures and test helpers.',
  },
  security: {
    title: 'Security',
    rule: 'Treat this code as security-sensitive: never log secrets or personal data, validate input, and follow the existing security patterns.',
  },
  hallucinated_api: {
    title: 'Invented APIs',
    rule: 'Use only functions, flags and packages that exist in this codebase or its pinned dependencies; check the source or the docs before calling one.',
  },
  performance: {
    title: 'Performance',
    rule: 'Mind performance: no extra queries, allocations or work inside loops; follow the efficient patterns already used here.',
  },
  other: { title: 'Other corrections', rule: 'Take extra care here: people have corrected AI-written code in this area before.' },
};

/** Markers around the section teamstate writes in a shared file, so a later suggestion replaces it instead of adding another. */
export const SECTION_START = '<!-- teamstate:ai-feedback:start -->';
export const SECTION_END = '<!-- teamstate:ai-feedback:end -->';

/** A person's words quoted on one line of markdown: no control characters, markup characters escaped, cut at 120. */
function quote(text: string): string {
  return `"${plainText(text, 120).replace(/"/g, "'")}"`;
}

/** Text from people as plain markdown on one line: no control characters, markup characters escaped, cut at `max`. */
function plainText(text: string, max: number): string {
  return safeText(text, { singleLine: true, maxLength: max }).replace(/[\\`*_[\]<>#|~]/g, (character) => `\\${character}`);
}

/**
 * A path pattern as inline code. Paths come from people: one holding a backtick is fenced with two (CommonMark), so
 * it cannot end the code span and write markdown of its own.
 */
export function inlineCode(text: string): string {
  const line = safeText(text, { singleLine: true, maxLength: 200 }).replace(/<!--/g, '<\\!--');
  return line.includes('`') ? `\`\` ${line.replace(/``+/g, (ticks) => ticks.split('').join(' '))} \`\`` : `\`${line}\``;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `**Missing tests** in `services/payments/**` (TypeScript): <rule> _Evidence: 3 reports by 2 people, e.g. "…"._ */
function ruleLine(pattern: FeedbackPattern): string {
  const { title, rule } = GUIDANCE[pattern.category];
  const where = [
    pattern.pathPattern === null || pattern.pathPattern === '**' ? '' : ` in ${inlineCode(pattern.pathPattern)}`,
    pattern.language === null ? '' : ` (${pattern.language})`,
  ].join('');
  const examples = pattern.examples.slice(0, 2).map((example) => quote(example.text));
  const evidence = `${plural(pattern.count, 'report')} by ${plural(pattern.people, 'person').replace('persons', 'people')}${
    pattern.tools.length > 0 ? ` about ${pattern.tools.map((tool) => plainText(tool, 100)).join(', ')}` : ''
  }${examples.length > 0 ? `, e.g. ${examples.join('; ')}` : ''}`;
  return `- **${title}**${where}: ${rule} _Evidence: ${evidence}._`;
}

/** The rule text: a heading, where the rules come from, one line per pattern. Deterministic for the same patterns. */
export function ruleText(repository: string, patterns: readonly FeedbackPattern[], window: { from: string; to: string }): string {
  const total = patterns.reduce((sum, p) => sum + p.count, 0);
  return [
    '## Lessons from AI feedback',
    '',
    `People corrected AI-written code in ${repository} in these ways (${plural(total, 'report')} from ${window.from.slice(0, 10)} to ${window.to.slice(0, 10)}, collected by teamstate). Follow these rules:`,
    '',
    ...patterns.map(ruleLine),
    '',
    categoriesMarker(patterns.map((p) => p.category)),
    '',
  ].join('\n');
}

/** The comment that tells `ts.feedback.effect()` which categories a rules file addresses, once its pull request merges. */
export const categoriesMarker = (categories: readonly FeedbackCategory[]) =>
  `<!-- teamstate:ai-feedback categories: ${[...new Set(categories)].sort().join(', ')} -->`;

/** The categories a rules file addresses, read back from its {@link categoriesMarker}; empty when it has none. */
export function markedCategories(content: string): FeedbackCategory[] {
  const match = /<!-- teamstate:ai-feedback categories: ([a-z_, ]+) -->/.exec(content);
  if (!match) return [];
  return match[1]!
    .split(',')
    .map((category) => category.trim())
    .filter((category): category is FeedbackCategory => category in GUIDANCE);
}

/** The title and description of the pull request that carries the rules: where they come from, and that people decide. */
export function pullRequestText(
  suggestion: { repository: string; path: string; from: string; to: string },
  patterns: readonly FeedbackPattern[],
): { title: string; body: string } {
  const reports = patterns.reduce((sum, p) => sum + p.count, 0);
  const body = [
    `Rules for AI coding assistants in ${inlineCode(suggestion.path)}, from ${plural(reports, 'report')} of what assistants got wrong in ${suggestion.repository} (${suggestion.from.slice(0, 10)} to ${suggestion.to.slice(0, 10)}).`,
    '',
    ...patterns.map(
      (p) =>
        `- ${p.category}${p.pathPattern && p.pathPattern !== '**' ? ` in ${inlineCode(p.pathPattern)}` : ''}${p.language ? ` (${p.language})` : ''}: ${plural(p.count, 'report')} by ${plural(p.people, 'person').replace('persons', 'people')}`,
    ),
    '',
    'Suggested by teamstate from the AI feedback people reported; edit the wording freely before merging. `teamstate feedback effect` shows whether these categories drop after the merge.',
  ].join('\n');
  return { title: `Agent rules from AI feedback (${suggestion.path})`, body };
}

/** The section of a shared file (`CLAUDE.md`, `AGENTS.md`, `.github/copilot-instructions.md`), between the markers. */
const section = (rules: string) => `${SECTION_START}\n${rules}${SECTION_END}\n`;

/**
 * The new content of a shared instructions file: the marked section replaced when the file has one, else appended
 * after a blank line (or the whole file when there is none).
 */
export function withSection(current: string | null, rules: string, title: string): string {
  if (current === null || current.trim() === '') return `# ${title}\n\n${section(rules)}`;
  const start = current.indexOf(SECTION_START);
  const end = current.indexOf(SECTION_END, start);
  if (start >= 0 && end > start)
    return `${current.slice(0, start)}${section(rules)}${current.slice(end + SECTION_END.length).replace(/^\n/, '')}`;
  return `${current.replace(/\n*$/, '\n')}\n${section(rules)}`;
}

/** A YAML string scalar, double-quoted (JSON strings are valid YAML), so globs starting with `*` stay strings. */
const yamlString = (value: string) => JSON.stringify(value);

/** A file name from a path pattern: `services/payments/**` → `services-payments`. */
export function ruleName(pathPatterns: readonly string[]): string {
  const [only] = pathPatterns;
  const slug =
    pathPatterns.length === 1 && only
      ? only
          .replace(/\/?\*\*$/, '')
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-+|-+$/g, '')
          .slice(0, 60)
      : '';
  return slug === '' ? 'ai-feedback' : `ai-feedback-${slug}`;
}

/** Where a format's rules go and what the file holds, given the current file content. */
export interface FormattedRules {
  path: string;
  content: string;
}

/**
 * The target file and its new content in a format. Path-scoped rules (every pattern has a path pattern) go to
 * their own file in the formats that scope by path (`cursor` globs, `copilot` `applyTo`); `claude` and `agents`,
 * and repository-wide rules, go to the shared file's marked section.
 */
export function targetPath(format: RuleFormat, pathPatterns: readonly string[] | null): string {
  switch (format) {
    case 'claude':
      return 'CLAUDE.md';
    case 'agents':
      return 'AGENTS.md';
    case 'cursor':
      return `.cursor/rules/${ruleName(pathPatterns ?? [])}.mdc`;
    case 'copilot':
      return pathPatterns === null ? '.github/copilot-instructions.md' : `.github/instructions/${ruleName(pathPatterns)}.instructions.md`;
  }
}

/** The new content of the target file (see {@link targetPath}). */
export function formatRules(
  format: RuleFormat,
  rules: string,
  repository: string,
  pathPatterns: readonly string[] | null,
  current: string | null,
): string {
  const scope = pathPatterns === null ? `${repository}` : pathPatterns.join(', ');
  switch (format) {
    case 'claude':
      return withSection(current, rules, 'CLAUDE.md');
    case 'agents':
      return withSection(current, rules, 'AGENTS.md');
    case 'cursor':
      // Cursor reads `globs` as one comma-separated string; `alwaysApply` for rules that hold everywhere.
      return [
        '---',
        `description: ${yamlString(`Lessons from AI feedback in ${scope} (teamstate)`)}`,
        `globs: ${pathPatterns === null ? '' : yamlString(pathPatterns.join(','))}`.trimEnd(),
        `alwaysApply: ${pathPatterns === null}`,
        '---',
        '',
        rules,
      ].join('\n');
    case 'copilot':
      if (pathPatterns === null) return withSection(current, rules, 'Copilot instructions');
      return ['---', `applyTo: ${yamlString(pathPatterns.join(','))}`, '---', '', rules].join('\n');
  }
}
