import { compact } from '../../kernel/store/row-mapping.js';
import { iso, ms, opt } from '../../records/store/records.js';
import type { Build } from './build-model.js';
import type { BuildInsert, BuildRow } from './schema.js';

/** Maps a build to its `builds` row. */
export const buildToRow = (workspace: string, build: Build): BuildInsert => ({
  workspace,
  id: build.id,
  repositoryId: build.repository,
  workflow: build.workflow,
  job: build.job ?? null,
  commitSha: build.commit,
  pullRequestId: build.pullRequest ?? null,
  status: build.status,
  conclusion: build.conclusion ?? null,
  startedAt: ms(build.startedAt),
  completedAt: ms(build.completedAt),
  attempt: build.attempt,
});

/** Maps a `builds` row. */
export const buildFromRow = (row: BuildRow): Build =>
  compact({
    id: row.id,
    repository: row.repositoryId,
    workflow: row.workflow,
    job: opt(row.job),
    commit: row.commitSha,
    pullRequest: opt(row.pullRequestId),
    status: row.status,
    conclusion: opt(row.conclusion),
    startedAt: iso(row.startedAt),
    completedAt: iso(row.completedAt),
    attempt: row.attempt,
  });
