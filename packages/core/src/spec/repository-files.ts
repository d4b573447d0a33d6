import type { Logger } from '../kernel/logger.js';

/** What core gives a {@link RepositoryFiles} reader. */
export interface RepositoryFilesContext {
  readonly workspace: string;
  readonly log: Logger;
  readonly signal?: AbortSignal;
  /** The injected clock. */
  now(): Date;
}

/** A file as it is on a repository's default branch. */
export interface RepositoryFile {
  /** `owner/name`. */
  readonly repository: string;
  readonly path: string;
  /** The branch the file was read from (the repository's default branch), e.g. `main`. */
  readonly defaultBranch: string;
  /** The file's content as UTF-8 text, or `null` when the default branch has no file at `path`. */
  readonly content: string | null;
  /** The blob sha of the file (what a later write must still find there), or `null` when there is none. */
  readonly sha: string | null;
  /** Set when `path` exists but is not a text file (a directory, a symlink, a submodule, binary content). */
  readonly notAFile?: string;
}

/**
 * Reads single files of the repositories a connector syncs, as they are on the default branch (agent instruction
 * files such as `CLAUDE.md`, for `ts.feedback.suggestRules`). Plain object on the connector (`repositoryFiles`), so
 * core never loads a provider's client.
 *
 * @example
 * const repositoryFiles: RepositoryFiles = {
 *   specificationVersion: 'v1',
 *   handles: (repository) => repository.startsWith('acme/'),
 *   async read(repository, path) { return { repository, path, defaultBranch: 'main', content: null, sha: null } },
 * }
 */
export interface RepositoryFiles {
  /** The contract version; may be left out (the connector's own version applies). */
  readonly specificationVersion?: 'v1';
  /** Whether this connector reads `repository` (`owner/name`): one it syncs. */
  handles(repository: string): boolean;
  /** Reads `path` (relative to the repository root) on the default branch. Upstream failures throw `UpstreamError`. */
  read(repository: string, path: string, ctx: RepositoryFilesContext): Promise<RepositoryFile>;
}
