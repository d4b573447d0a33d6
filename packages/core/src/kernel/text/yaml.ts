import { createRequire } from 'node:module';

let loaded: typeof import('yaml') | undefined;

/**
 * The YAML library (about 70 modules), loaded by the first document read or written as YAML: a process that reads no
 * policy or front matter as YAML (most commands, every MCP server) starts without it.
 */
export function yaml(): typeof import('yaml') {
  loaded ??= createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return loaded;
}
