import { splitRepository } from '../sync/sync-cursors.js';

/**
 * The files `github.pr.open_file_change` may write: the agent instructions that teamstate's rule suggestions make
 * (docs/ai-feedback.md). `CLAUDE.md` and `AGENTS.md` in any folder (tools read nested ones too), the others only where
 * the tools read them. Matched case-sensitively: `claude.md` is not read by Claude Code, and a workflow file
 * (`.github/workflows/*.yml`, which a push runs with the repository's secrets before anyone merges) is never one.
 */
export const AGENT_INSTRUCTION_FILES =
  'CLAUDE.md or AGENTS.md (in any folder), .cursor/rules/<name>.mdc, .github/copilot-instructions.md, .github/instructions/<name>.instructions.md';

const ANY_DEPTH = new Set(['CLAUDE.md', 'AGENTS.md']);
const EXACT: readonly RegExp[] = [
  /^\.cursor\/rules\/[^/]+\.mdc$/,
  /^\.github\/copilot-instructions\.md$/,
  /^\.github\/instructions\/[^/]+\.instructions\.md$/,
];

/** Control characters (C0, DEL, C1) and invisible formatting (bidirectional overrides, zero-width characters). */
const HIDDEN = /[\p{Cc}\p{Cf}]/u;

/**
 * Why `path` is not an agent-instructions file a change may write, or `undefined` when it is one: a relative,
 * `/`-separated path inside the repository (no `..`, `.` or empty segment, no leading `/`, no `\`), without control
 * or invisible characters, whose name is one of {@link AGENT_INSTRUCTION_FILES}.
 */
export function agentInstructionsPathProblem(path: string): string | undefined {
  const hidden = HIDDEN.exec(path);
  if (hidden)
    return `must not contain control or invisible formatting characters (found U+${hidden[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`;
  const segments = path.split('/');
  if (path.startsWith('/') || path.includes('\\') || segments.some((segment) => segment === '' || segment === '.' || segment === '..'))
    return 'expected a path inside the repository, e.g. CLAUDE.md or .cursor/rules/tests.mdc (relative, "/"-separated, no "..")';
  if (ANY_DEPTH.has(segments.at(-1)!) || EXACT.some((pattern) => pattern.test(path))) return undefined;
  return `${JSON.stringify(path)} is not an agent-instructions file; allowed: ${AGENT_INSTRUCTION_FILES}`;
}

/** The repositories a GitHub connector tracks: its `repositories`, or without them every repository of its `org`. */
export interface TrackedRepositories {
  /** True for a tracked repository, in any spelling of its name (GitHub names are case-insensitive). */
  handles(repository: string): boolean;
  /** Where they are configured, for messages: `connectors.github.repositories: acme/api, acme/web`. */
  describe(): string;
}

/** The {@link TrackedRepositories} of a connector's options. */
export function trackedRepositories(options: { org?: string; repositories?: readonly string[] }): TrackedRepositories {
  const listed = new Set((options.repositories ?? []).map((repository) => repository.toLowerCase()));
  return {
    handles: (repository) =>
      listed.size > 0
        ? listed.has(repository.toLowerCase())
        : options.org !== undefined && splitRepository(repository).owner.toLowerCase() === options.org.toLowerCase(),
    describe: () =>
      listed.size > 0
        ? `connectors.github.repositories: ${(options.repositories ?? []).join(', ')}`
        : `connectors.github.org: ${options.org ?? '(none)'}`,
  };
}

/** Why `repository` is not one the connector tracks, or `undefined` when it is. */
export function untrackedRepositoryProblem(tracked: TrackedRepositories, repository: string): string | undefined {
  return tracked.handles(repository) ? undefined : `${repository} is not a repository the GitHub connector tracks (${tracked.describe()})`;
}
