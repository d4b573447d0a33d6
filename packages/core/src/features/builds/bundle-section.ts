import { toRow } from '../../kernel/store/table-spec.js';
import { upsertRows } from '../../kernel/store/upsert.js';
import type { BundleSection } from '../../records/feature.js';
import { buildSchema } from './build-model.js';
import { buildFromRow, buildToRow } from './build-rows.js';
import { buildsSpec } from './table-specs.js';

/**
 * The bundle's `builds`: one row per build id (a later state of the same run replaces the earlier). Builds are about
 * commits, not people, so a person's export holds none.
 */
export const buildsSection: BundleSection<'builds', typeof buildSchema> = {
  list: 'builds',
  element: buildSchema,
  tables: [buildsSpec.name],
  references: (build) => [
    { kind: 'repository', id: build.repository, path: 'repository' },
    { kind: 'work item', id: build.pullRequest, path: 'pullRequest' },
  ],
  write: (tx, workspace, items) =>
    upsertRows(
      tx,
      buildsSpec,
      items.map((build) => toRow(buildsSpec, buildToRow(workspace, build))),
    ),
  async read(execute, workspace, person) {
    if (person !== undefined) return [];
    const { rows } = await execute(
      `SELECT ${buildsSpec.select()} FROM ${buildsSpec.name} WHERE workspace = ?1 ORDER BY repository_id, commit_sha, workflow, job, attempt, id`,
      [workspace],
    );
    return buildsSpec.rows.all(rows).map(buildFromRow);
  },
};
