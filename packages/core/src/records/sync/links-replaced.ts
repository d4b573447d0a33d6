import { TeamStateError } from '../../kernel/errors.js';
import type { LinksReplaced } from '../../spec/records.js';

const SIDES: readonly unknown[] = ['from', 'to', 'both'];
const KINDS: readonly unknown[] = ['blocks', 'relates', 'parent'];

/**
 * A connector's `emit(batch, { replaceLinks })`, checked before its batch is written: a wrong shape fails the sync
 * naming the field, with nothing removed.
 */
export function checkLinksReplaced(value: unknown): LinksReplaced | undefined {
  if (value === undefined) return undefined;
  const refuse = (field: string, expected: string, got: unknown) =>
    new TeamStateError(
      'invalid_argument',
      `replaceLinks${field ? `.${field}` : ''}: expected ${expected}, got ${JSON.stringify(got) ?? String(got)}`,
    );
  if (typeof value !== 'object' || value === null) throw refuse('', '{ items, sides, kinds }', value);
  const { items, sides, kinds } = value as Record<string, unknown>;
  if (!Array.isArray(items) || !items.every((id) => typeof id === 'string')) throw refuse('items', 'an array of work item ids', items);
  if (!SIDES.includes(sides)) throw refuse('sides', '"from", "to" or "both"', sides);
  if (!Array.isArray(kinds) || !kinds.every((kind) => KINDS.includes(kind)))
    throw refuse('kinds', 'an array of "blocks", "relates", "parent"', kinds);
  return value as LinksReplaced;
}
