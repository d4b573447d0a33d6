/** The markdown files the GitHub knowledge source indexes by default (docs/knowledge.md). */
export const DEFAULT_KNOWLEDGE_PATHS = [
  'README.md',
  'CONTRIBUTING.md',
  'docs/**/*.md',
  '**/adr/**/*.md',
  '**/decisions/**/*.md',
  'runbooks/**',
] as const;

/** Only markdown is indexed, whatever a glob matches (`runbooks/**` holds scripts too). */
const MARKDOWN = /\.(md|mdx|markdown)$/i;

/** A glob as a regular expression over a repository path: `**` any folders, `*` and `?` within one name. */
function globToRegExp(glob: string): RegExp {
  const parts = glob.replace(/^\/+/, '').split('/');
  let source = '';
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    if (part === '**') {
      source += last ? '.*' : '(?:[^/]+/)*';
      return;
    }
    source += part
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replaceAll('*', '[^/]*')
      .replaceAll('?', '[^/]');
    if (!last) source += '/';
  });
  return new RegExp(`^${source}$`);
}

/**
 * Which repository paths are indexed: those matching one of the globs (relative to the repository root; `**` any
 * number of folders, `*` and `?` within a name) that are markdown files (`.md`, `.mdx`, `.markdown`).
 *
 * @example knowledgePathMatcher(['docs/**\/*.md'])('docs/runbooks/deploy.md') // true
 */
export function knowledgePathMatcher(globs: readonly string[]): (path: string) => boolean {
  const patterns = globs.map(globToRegExp);
  return (path) => MARKDOWN.test(path) && patterns.some((pattern) => pattern.test(path));
}
