import { TeamStateError } from '../../kernel/errors.js';
import type { Transaction } from '../../kernel/store/driver.js';
import type { LinksReplaced } from '../../spec/records.js';
import type { FeatureDefinition } from '../feature.js';

const SIDES: readonly unknown[] = ['from', 'to', 'both'];
const KINDS: readonly unknown[] = ['blocks', 'relates', 'parent'];

/**
 * A connector's `emit(batch, { replaceLinks })` or a webhook outcome's `replaceLinks`, checked before its batch is
 * written: a wrong shape fails the sync (or the delivery) naming the field, with nothing removed.
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

/**
 * Removes the stored links `replaced` names, in the transaction that then writes the batch carrying them in full: the
 * features that own links (dependencies) do it through their `onLinksReplaced` hook.
 */
export async function removeReplacedLinks(
  tx: Transaction,
  workspace: string,
  features: readonly FeatureDefinition[],
  replaced: LinksReplaced | undefined,
): Promise<void> {
  if (replaced === undefined || replaced.items.length === 0) return;
  for (const feature of features) await feature.hooks?.onLinksReplaced?.(tx, workspace, replaced);
}
