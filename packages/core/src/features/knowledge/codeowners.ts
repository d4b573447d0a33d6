import ignore, { type Ignore } from 'ignore';

/** One line of a CODEOWNERS file: a gitignore-style pattern and its owners (`@user`, `@org/team`, emails). */
export interface CodeownersRule {
  /** The line number, from 1. */
  line: number;
  pattern: string;
  /** Empty when the line names no owner (it takes the paths it matches away from earlier rules). */
  owners: string[];
}

/** Where the CODEOWNERS file may be, in the order GitHub looks: the first that exists is the one used. */
export const CODEOWNERS_PATHS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'] as const;

const OWNER = /^@[A-Za-z0-9-]+(\/[A-Za-z0-9_.-]+)?$|^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * Parses a CODEOWNERS file: one rule per line `pattern owner…`; `#` starts a comment; owners are `@user`,
 * `@org/team` or an email; a token that is none of these is left out. Negated patterns (`!…`) and GitLab-style
 * sections (`[Section]`) are not part of GitHub's syntax and are skipped.
 *
 * @example parseCodeowners('docs/ @acme/docs\n*.md @alice') // [{ line: 1, pattern: 'docs/', owners: ['@acme/docs'] }, …]
 */
export function parseCodeowners(text: string): CodeownersRule[] {
  const rules: CodeownersRule[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    // `#` starts a comment unless escaped (`\#` is a file name's first character).
    const line = raw.replace(/(^|[^\\])#.*$/, '$1').trim();
    if (line === '' || line.startsWith('!') || line.startsWith('[') || line.startsWith('^[')) return;
    const [pattern, ...tokens] = line.split(/\s+/);
    if (!pattern) return;
    rules.push({ line: index + 1, pattern, owners: tokens.filter((token) => OWNER.test(token)) });
  });
  return rules;
}

/** A matcher per rule, built once: `ignore` implements gitignore's pattern rules, which CODEOWNERS follows. */
const matchers = new WeakMap<CodeownersRule, Ignore>();

function matcherOf(rule: CodeownersRule): Ignore {
  let matcher = matchers.get(rule);
  if (!matcher) {
    matcher = ignore().add(rule.pattern.replace(/^\\#/, '\\#'));
    matchers.set(rule, matcher);
  }
  return matcher;
}

/**
 * GitHub's one departure from gitignore: `docs/*` owns the files directly in `docs/`, not those in its subfolders
 * (gitignore would take the subfolders, which `*` matches, with all they hold).
 */
function beyondTrailingStar(pattern: string, path: string): boolean {
  if (!pattern.endsWith('/*') || pattern.includes('**')) return false;
  const depth = (value: string) => value.replace(/^\/+/, '').split('/').length;
  return depth(path) > depth(pattern);
}

/**
 * The rule that owns a path (relative to the repository root, `/`-separated): the last matching rule wins, as on
 * GitHub. `undefined` when no rule matches.
 */
export function codeownersRuleFor(rules: readonly CodeownersRule[], path: string): CodeownersRule | undefined {
  const relative = path.replace(/^\/+/, '');
  for (let i = rules.length - 1; i >= 0; i--) {
    const rule = rules[i]!;
    try {
      if (matcherOf(rule).ignores(relative) && !beyondTrailingStar(rule.pattern, relative)) return rule;
    } catch {
      // A pattern gitignore cannot read owns nothing (GitHub shows it as an error and skips it too).
    }
  }
  return undefined;
}
