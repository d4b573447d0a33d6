import { z } from 'zod';
import { TeamStateError } from '../../kernel/errors.js';

// Work types: which kind of work an item is (feature, bug, keeping the lights on, debt …), from rules on its labels,
// issue type, epic, changed paths and title. The first rule that matches wins; an item no rule matches is a feature.

/** When a rule matches: any one of the conditions given (each list matches when any entry does). */
export const workTypeWhenSchema = z.strictObject({
  /** Labels, compared case-insensitively. */
  labels: z.array(z.string().min(1)).optional(),
  /** Issue types (`bug`, `story`, `task` …), compared case-insensitively. */
  issueTypes: z.array(z.string().min(1)).optional(),
  /** Epic keys (or ids): the item's parent. */
  epics: z.array(z.string().min(1)).optional(),
  /** Path patterns of a pull request's changed files: `*` within a folder, `**` across folders, else a prefix. */
  paths: z.array(z.string().min(1)).optional(),
  /** Regular expressions tested on the title, case-insensitively. */
  titleMatches: z.array(z.string().min(1)).optional(),
});

/** One configured rule: `{ type, when }` (config `workTypes`). */
export const workTypeRuleSchema = z.strictObject({
  type: z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'expected a lower-case type name such as ktlo or platform'),
  when: workTypeWhenSchema,
});

/** A configured work-type rule. */
export type WorkTypeRule = z.infer<typeof workTypeRuleSchema>;

/** The built-in types, in the order they are shown. */
export const BUILTIN_WORK_TYPES = ['feature', 'bug', 'ktlo', 'debt'] as const;

/** The built-in rules, tried after the configured ones. */
export const BUILTIN_RULES: readonly WorkTypeRule[] = [
  { type: 'bug', when: { issueTypes: ['bug'], labels: ['bug'] } },
  { type: 'ktlo', when: { labels: ['chore', 'ops', 'maintenance', 'incident'] } },
  { type: 'debt', when: { labels: ['tech-debt', 'refactor'] } },
];

/** What a rule is tested on. */
export interface ClassifiedItem {
  kind: string;
  labels: readonly string[];
  parent: string | null;
  paths: readonly string[];
  title: string;
}

/** A compiled rule: a test over an item. */
export interface CompiledRule {
  type: string;
  matches(item: ClassifiedItem): boolean;
}

const lower = (values: readonly string[] | undefined) => new Set((values ?? []).map((v) => v.toLowerCase()));

/** A path pattern as a regular expression: `**` any folders, `*` within one, otherwise the pattern is a prefix. */
function pathPattern(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const body = escaped.replace(/\*\*\/?|\*/g, (star) => (star.startsWith('**') ? '.*' : '[^/]*'));
  return new RegExp(pattern.includes('*') ? `^${body}$` : `^${body}`);
}

/** Compiles one rule; `field` names it in the message when a title pattern is not a regular expression. */
export function compileRule(rule: WorkTypeRule, field: string): CompiledRule {
  const labels = lower(rule.when.labels);
  const issueTypes = lower(rule.when.issueTypes);
  const epics = new Set(rule.when.epics ?? []);
  const paths = (rule.when.paths ?? []).map(pathPattern);
  const titles = (rule.when.titleMatches ?? []).map((source, i) => {
    try {
      return new RegExp(source, 'i');
    } catch {
      throw new TeamStateError(
        'invalid_config',
        `${field}.when.titleMatches[${i}]: ${JSON.stringify(source)} is not a regular expression; escape it or fix it`,
      );
    }
  });
  return {
    type: rule.type,
    matches: (item) =>
      item.labels.some((label) => labels.has(label.toLowerCase())) ||
      issueTypes.has(item.kind.toLowerCase()) ||
      (item.parent !== null && epics.has(item.parent)) ||
      item.paths.some((path) => paths.some((p) => p.test(path))) ||
      titles.some((t) => t.test(item.title)),
  };
}

/** The configured rules followed by the built-in ones. */
export function compileRules(configured: readonly WorkTypeRule[] = []): CompiledRule[] {
  return [...configured.map((rule, i) => compileRule(rule, `workTypes[${i}]`)), ...BUILTIN_RULES.map((r) => compileRule(r, 'built-in'))];
}

/** The item's type, and whether a rule said so (false: the default `feature`). */
export function classify(rules: readonly CompiledRule[], item: ClassifiedItem): { type: string; matched: boolean } {
  for (const rule of rules) if (rule.matches(item)) return { type: rule.type, matched: true };
  return { type: 'feature', matched: false };
}
