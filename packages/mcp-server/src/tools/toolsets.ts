import { TeamStateError, unknownId } from '@teamstate/core';

import { DEFAULT_TOOLSETS, TOOLSETS, type Toolset } from './toolset-names.js';

export { DEFAULT_TOOLSETS, TOOLSETS, type Toolset };

const isToolset = (name: string): name is Toolset => (TOOLSETS as readonly string[]).includes(name);

/**
 * The toolsets named, checked: one error naming `field`, the unknown name, the closest known one and every known
 * toolset. `undefined` means the default ones (all but `insights`). A comma-separated string (a CLI flag) is split.
 *
 * @example
 * parseToolsets('delivery,actions', '--toolsets') // ['delivery', 'actions']
 */
export function parseToolsets(names: string | readonly string[] | undefined, field = 'toolsets'): readonly Toolset[] {
  if (names === undefined) return DEFAULT_TOOLSETS;
  const list = (typeof names === 'string' ? names.split(',') : names).map((name) => name.trim()).filter((name) => name !== '');
  if (list.length === 0) throw new TeamStateError('invalid_config', `${field}: expected at least one of ${TOOLSETS.join(', ')}`);
  const unknown = list.find((name) => !isToolset(name));
  if (unknown !== undefined) {
    throw unknownId(field, unknown, TOOLSETS, { what: 'toolset', listAs: 'known toolsets: ', list: 'always', code: 'invalid_config' });
  }
  return [...new Set(list as Toolset[])];
}
