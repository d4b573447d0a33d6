import { type BundleInput, createTeamState, type TeamState, ValidationError, type WorkItem } from '@teamstate/core';
import { afterEach, describe, expect, it } from 'vitest';

// `ai` on pull requests through the one write path (import here; sync batches and webhooks use the same ingest).

const CLAUDE_TRAILER = { kind: 'trailer' as const, value: 'Co-Authored-By: Claude <noreply@anthropic.com>' };

function pr(n: number, extra: Partial<WorkItem> = {}): WorkItem {
  return {
    id: `pr-${n}`,
    source: 'github',
    kind: 'pull_request',
    key: `acme/api#${n}`,
    title: `Change ${n}`,
    state: 'merged',
    repository: 'acme/api',
    createdAt: '2026-03-02T10:00:00Z',
    mergedAt: '2026-03-03T10:00:00Z',
    ...extra,
  };
}
const bundle = (...workItems: WorkItem[]): BundleInput => ({
  format: 'teamstate.bundle/v1',
  repositories: [{ id: 'acme/api' }],
  workItems,
});

let ts: TeamState | undefined;
afterEach(async () => {
  await ts?.close();
  ts = undefined;
});
const open = async (options: Parameters<typeof createTeamState>[0] = {}) => {
  ts = await createTeamState({ database: ':memory:', ...options });
  return ts;
};
const aiOf = async (t: TeamState, id: string) => (await t.export()).workItems.find((item) => item.id === id)?.ai;

describe('ai on imported pull requests', () => {
  it('is detected from labels and body on import; a PR without evidence says assisted: null, never false', async () => {
    const t = await open();
    await t.import(
      bundle(
        pr(1, { labels: ['backend', 'ai-assisted'] }),
        pr(2, { body: 'Summary\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)' }),
        pr(3, { labels: ['ai-copilot'] }),
        pr(4, { body: 'We tried Copilot but wrote this one by hand.', labels: ['cursor'] }),
      ),
    );
    expect(await aiOf(t, 'pr-1')).toEqual({ assisted: true, tools: [], evidence: [{ kind: 'label', value: 'ai-assisted' }] });
    expect(await aiOf(t, 'pr-2')).toEqual({
      assisted: true,
      tools: ['claude'],
      evidence: [{ kind: 'body', value: 'Generated with [Claude Code](https://claude.com/claude-code)' }],
    });
    expect((await aiOf(t, 'pr-3'))?.tools).toEqual(['copilot']);
    expect(await aiOf(t, 'pr-4')).toEqual({ assisted: null, tools: [], evidence: [] });
  });

  it('keeps an imported ai as given and merges it with detected evidence; export round-trips and re-import changes nothing', async () => {
    const t = await open();
    const given = pr(1, { labels: ['ai-assisted'], ai: { assisted: true, tools: ['claude'], evidence: [CLAUDE_TRAILER] } });
    await t.import(bundle(given, pr(2, { ai: { assisted: false, tools: [], evidence: [{ kind: 'survey', value: 'none' }] } })));
    const exported = await t.export();
    expect(exported.workItems.find((i) => i.id === 'pr-1')!.ai).toEqual({
      assisted: true,
      tools: ['claude'],
      evidence: [CLAUDE_TRAILER, { kind: 'label', value: 'ai-assisted' }],
    });
    expect(exported.workItems.find((i) => i.id === 'pr-2')!.ai).toEqual({
      assisted: false,
      tools: [],
      evidence: [{ kind: 'survey', value: 'none' }],
    });
    expect((await t.import(exported)).changes).toBe(0);
    expect((await t.import(bundle(given))).changes).toBe(0);
    const other = await createTeamState({ database: ':memory:' });
    try {
      await other.import(exported);
      expect(await other.export()).toEqual(exported);
    } finally {
      await other.close();
    }
  });

  it('re-runs when the evidence changes, keeping what only commits and authors showed', async () => {
    const t = await open();
    await t.import(bundle(pr(1, { labels: ['ai-cursor'], ai: { assisted: true, tools: ['claude'], evidence: [CLAUDE_TRAILER] } })));
    // A later write without `ai` (a webhook payload carries no commits): the label is gone, the trailer stays.
    await t.import(bundle(pr(1, { labels: [] })));
    expect(await aiOf(t, 'pr-1')).toEqual({ assisted: true, tools: ['claude'], evidence: [CLAUDE_TRAILER] });
    // Only a label said so: removing it removes the evidence.
    await t.import(bundle(pr(2, { labels: ['ai-assisted'] })));
    await t.import(bundle(pr(2, { labels: ['backend'] })));
    expect(await aiOf(t, 'pr-2')).toEqual({ assisted: null, tools: [], evidence: [] });
    // A write that gives `ai` replaces what commits showed (a connector that read them again).
    await t.import(bundle(pr(1, { ai: { assisted: null, tools: [], evidence: [] } })));
    expect(await aiOf(t, 'pr-1')).toEqual({ assisted: null, tools: [], evidence: [] });
  });

  it('refuses an invalid ai naming its path, and leaves the store as it was', async () => {
    const t = await open();
    await t.import(bundle(pr(1)));
    const before = await t.export();
    const bad = bundle(pr(1), pr(2)) as { workItems: unknown[] };
    bad.workItems[1] = { ...pr(2), ai: { assisted: 'yes', tools: [], evidence: [{ kind: 'magic', value: 'x' }] } };
    const error = await t.import(bad).catch((e: unknown) => e);
    expect(ValidationError.isInstance(error)).toBe(true);
    const paths = (error as ValidationError).issues.map((issue) => issue.path);
    expect(paths).toContain('workItems[1].ai.assisted');
    expect(paths).toContain('workItems[1].ai.evidence[0].kind');
    expect(await t.export()).toEqual(before);
  });

  it('uses config ai: for every write, and refuses an unusable one naming the field', async () => {
    const t = await open({ ai: { labels: [{ name: 'llm-generated', tool: 'acme' }] } });
    await t.import(bundle(pr(1, { labels: ['llm-generated'] })));
    expect(await aiOf(t, 'pr-1')).toEqual({ assisted: true, tools: ['acme'], evidence: [{ kind: 'label', value: 'llm-generated' }] });
    const error = await createTeamState({ database: ':memory:', ai: { coAuthors: [{ email: 'agent', tool: 'x' }] } }).catch(
      (e: unknown) => e,
    );
    expect(String(error)).toMatch(/ai has 1 problem:\n\s+coAuthors\[0\]\.email: expected an email, or \*@domain/);
  });

  it('leaves other work items without ai', async () => {
    const t = await open();
    await t.import(bundle({ ...pr(9, { labels: ['ai-assisted'] }), kind: 'story', key: 'PAY-9', mergedAt: undefined }));
    expect(await aiOf(t, 'pr-9')).toBeUndefined();
  });
});
