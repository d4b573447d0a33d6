import { createRequire } from 'node:module';

let loaded: typeof import('yaml') | undefined;

/** The YAML library (about 70 modules), loaded by the first config or policy file read or written as YAML. */
export function yaml(): typeof import('yaml') {
  loaded ??= createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return loaded;
}
