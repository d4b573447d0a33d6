import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder, with a trailing slash. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A file of the repository, by its path from the root. */
export function readRepositoryFile(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8');
}

/** What a package.json of the repository says (the fields these tests read). */
export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  files?: string[];
  bin?: Record<string, string>;
  engines?: Record<string, string>;
  repository?: { type?: string; url?: string; directory?: string };
  exports?: Record<string, string | Record<string, string>>;
  scripts?: Record<string, string>;
  packageManager?: string;
}

/** A package.json of the repository, by its folder from the root ('' for the root's). */
export function manifest(folder: string): Manifest {
  return JSON.parse(readRepositoryFile(join(folder, 'package.json')));
}

/** The folders of the packages published to npm: every `packages/*` whose package.json is not private. */
export function publishedPackages(): string[] {
  return readdirSync(join(ROOT, 'packages'))
    .map((name) => `packages/${name}`)
    .filter((folder) => !manifest(folder).private);
}
