/** The characters an action type or action glob may contain (`github.pr.merge`, `github.*`, `*`). */
export const ACTION_GLOB_PATTERN = /^[A-Za-z0-9_.*-]+$/;

/** True when `type` matches `glob`, where `*` stands for any run of characters, dots included. */
export function matchesActionGlob(glob: string, type: string): boolean {
  const source = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\-]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`).test(type);
}

/**
 * Orders globs most specific first: more literal characters first, then fewer wildcards, then
 * alphabetically so ties resolve the same way everywhere. An exact action type beats every glob
 * that matches it, because nothing matching it has more literal characters.
 */
export function compareSpecificity(a: string, b: string): number {
  const literal = (glob: string) => glob.replaceAll('*', '').length;
  const wildcards = (glob: string) => glob.length - literal(glob);
  return literal(b) - literal(a) || wildcards(a) - wildcards(b) || (a < b ? -1 : a > b ? 1 : 0);
}
