import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SNAPSHOT_FILE, toolSnapshot, UPDATE_COMMAND } from './fixtures/tool-snapshot.js';

const root = join(import.meta.dirname, '..', '..', '..');

describe('the schema snapshot of the MCP tools (issue 22)', () => {
  it(`matches what tools/list sends, so a change to a public tool shows in review (${UPDATE_COMMAND})`, async () => {
    const committed = JSON.parse(readFileSync(join(root, SNAPSHOT_FILE), 'utf8')) as Record<string, unknown>;
    const current = await toolSnapshot();
    expect(
      current,
      `the tools' schemas differ from ${SNAPSHOT_FILE}: if the change is intended, run \`${UPDATE_COMMAND}\` and commit the file`,
    ).toEqual(committed);
    // In tools/list order: a tool added, removed or moved shows as such.
    expect(Object.keys(current)).toEqual(Object.keys(committed));
  });

  it('holds every tool with its toolset, annotations, and input and output schemas', async () => {
    const committed = JSON.parse(readFileSync(join(root, SNAPSHOT_FILE), 'utf8')) as Record<
      string,
      { toolset: string; annotations: object; inputSchema: { type: string }; outputSchema: { type: string } }
    >;
    expect(Object.keys(committed).length).toBeGreaterThanOrEqual(16);
    for (const [name, tool] of Object.entries(committed)) {
      expect(['delivery', 'actions', 'reports', 'knowledge', 'ai', 'incidents', 'plans', 'insights'], name).toContain(tool.toolset);
      expect(tool.inputSchema.type, name).toBe('object');
      expect(tool.outputSchema.type, name).toBe('object');
    }
  });
});
