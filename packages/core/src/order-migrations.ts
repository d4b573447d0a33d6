import { TeamStateError } from './kernel/errors.js';
import type { MigrationPart } from './kernel/store/migrate.js';

// The order the store applies migrations in. Across tags it is the journal's (packages/core/drizzle/meta/_journal.json,
// whose tags start with their index: `0009_reports`). Within one tag the parts run records first, then the services,
// then the features, each layer by owner name. That is safe because every table has one owner, so the statements on
// one table keep drizzle's order inside its owner's part, and a part only reads (a trigger on, an INSERT … SELECT from)
// another owner's tables: scripts/split-migrations.ts refuses a part that reads what a part of the same tag running
// after it writes, and names on its first line (`-- depends on: records/0042_person_activity_team`) the migrations of
// other owners it reads. The layers import in that direction too: a feature builds on records and services, never
// the other way.

const LAYERS = ['records', 'services', 'features'] as const;

/** The rank of an owner's layer: 0 for records, 1 for a service, 2 for a feature. */
function layerOf(part: MigrationPart): number {
  const layer = part.owner === 'records' ? 0 : LAYERS.indexOf(/^(services|features)\/[\w-]+$/.exec(part.owner)?.[1] as 'services');
  if (layer < 0) {
    throw new TeamStateError(
      'invalid_config',
      `migration ${part.tag}: owner "${part.owner}" is not records, services/<name> or features/<name>`,
    );
  }
  return layer;
}

/** The index a tag starts with (`0009_reports` → 9): the journal's order. */
function indexOf(part: MigrationPart): number {
  const index = /^(\d+)_/.exec(part.tag)?.[1];
  if (index === undefined) throw new TeamStateError('invalid_config', `migration ${part.tag} (${part.owner}): expected a tag NNNN_name`);
  return Number(index);
}

/**
 * Merges the migrations of any number of owners into the order the store applies them: by journal tag, and within a
 * tag records, then services, then features, each by owner name. Refuses an owner that gives one tag twice, and two
 * tags with one index.
 */
export function orderMigrations(parts: readonly MigrationPart[]): MigrationPart[] {
  const seen = new Set<string>();
  const tagAt = new Map<number, string>();
  const keyed = parts.map((part) => {
    const key = { part, index: indexOf(part), layer: layerOf(part) };
    if (seen.has(`${part.owner} ${part.tag}`))
      throw new TeamStateError('invalid_config', `migration ${part.tag}: ${part.owner} gives it twice`);
    seen.add(`${part.owner} ${part.tag}`);
    const other = tagAt.get(key.index);
    if (other !== undefined && other !== part.tag)
      throw new TeamStateError('invalid_config', `migrations ${other} and ${part.tag} share an index`);
    tagAt.set(key.index, part.tag);
    return key;
  });
  const byOwner = (a: MigrationPart, b: MigrationPart) => (a.owner < b.owner ? -1 : a.owner > b.owner ? 1 : 0);
  return keyed.sort((a, b) => a.index - b.index || a.layer - b.layer || byOwner(a.part, b.part)).map(({ part }) => part);
}
