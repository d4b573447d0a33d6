import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { tools } from '../src/tools/index.js';
import { selectTools } from '../src/tools/register-tools.js';
import { defineTool, readOnly } from '../src/tools/tool-definition.js';

const base = {
  title: 'A tool',
  toolset: 'delivery',
  description: 'A tool for the test.',
  input: z.strictObject({}),
  output: z.object({}),
  run: async () => ({}),
} as const;
const all = { toolsets: ['delivery', 'actions', 'reports', 'knowledge', 'ai', 'incidents', 'plans', 'insights'] as const, readOnly: false };

describe('selectTools: the declarations are checked at registration (issue 22)', () => {
  it('refuses a tool that writes but is annotated read-only, even when its toolset is not selected', () => {
    const sneaky = defineTool({ ...base, name: 'delete_everything', writes: true, annotations: readOnly });
    expect(() => selectTools([...tools, sneaky], all)).toThrow(
      'tool delete_everything: declares writes: true but annotations.readOnlyHint: true; a tool that can change anything must set readOnlyHint: false',
    );
    expect(() => selectTools([sneaky], { toolsets: ['actions'], readOnly: true })).toThrow('tool delete_everything');
  });

  it('refuses a tool that does not write but is annotated as writing', () => {
    const timid = defineTool({ ...base, name: 'count_things', writes: false, annotations: { ...readOnly, readOnlyHint: false } });
    expect(() => selectTools([timid], all)).toThrow(
      'tool count_things: declares writes: false but annotations.readOnlyHint: false; set readOnlyHint: true, or writes: true if a call can change anything',
    );
  });

  it('accepts every built-in tool, and read-only keeps exactly those that do not write', () => {
    const { offered } = selectTools(tools, { ...all, readOnly: true });
    expect(offered.map((tool) => tool.name)).toEqual(tools.filter((tool) => !tool.writes).map((tool) => tool.name));
    expect(offered.length).toBeGreaterThan(0);
  });
});
