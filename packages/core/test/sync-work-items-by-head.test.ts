import { afterEach, describe, expect, it } from 'vitest';
import { type Connector, createTeamState, type SyncContext, type TeamState } from '../src/index.js';

const HEAD = 'c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3';
const OTHER = 'd4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4';

const pullRequest = (n: number, repository: string, headSha?: string) => ({
  id: `pr-${repository}#${n}`,
  source: 'test',
  kind: 'pull_request' as const,
  key: `${repository}#${n}`,
  title: `Change ${n}`,
  state: 'merged',
  repository,
  createdAt: '2026-03-10T09:00:00.000Z',
  mergedAt: '2026-03-11T09:00:00.000Z',
  ...(headSha ? { headSha } : {}),
});

/** A connector that stores pull requests on its first sync and, on later ones, runs `lookup` against the store. */
function lookupConnector(lookup: (ctx: SyncContext) => Promise<void>): Connector {
  return {
    specificationVersion: 'v1',
    id: 'test',
    async sync(ctx) {
      if (await ctx.getCursor('stored')) return lookup(ctx);
      await ctx.emit(
        {
          repositories: [{ id: 'acme/api' }, { id: 'acme/web' }],
          workItems: [
            // Stored abbreviated and in capitals, as a source may list it.
            pullRequest(1, 'acme/api', HEAD.slice(0, 12).toUpperCase()),
            pullRequest(2, 'acme/api', OTHER),
            pullRequest(3, 'acme/api'),
            pullRequest(4, 'acme/web', HEAD),
            pullRequest(5, 'acme/api', 'c3c3c'),
          ],
        },
        { cursors: { stored: '1' } },
      );
    },
  };
}

const open: TeamState[] = [];
afterEach(async () => {
  for (const ts of open.splice(0)) await ts.close();
});

describe('sync context: work items by head commit', () => {
  it('finds what an earlier sync stored, by a full or abbreviated head, within the repository', async () => {
    const found: Map<string, string>[] = [];
    const ts = await createTeamState({
      database: ':memory:',
      connectors: [
        lookupConnector(async (ctx) => {
          found.push(await ctx.workItemsByHead('acme/api', [HEAD, OTHER, 'e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5', 'c3c']));
          found.push(await ctx.workItemsByHead('acme/web', [HEAD]));
          found.push(await ctx.workItemsByHead('acme/api', []));
        }),
      ],
      clock: () => new Date('2026-03-18T10:00:00Z'),
    });
    open.push(ts);
    expect((await ts.sync()).ok).toBe(true);
    expect(found).toEqual([]);
    expect((await ts.sync()).ok).toBe(true);
    expect(found).toEqual([
      new Map([
        [HEAD, 'pr-acme/api#1'],
        [OTHER, 'pr-acme/api#2'],
      ]),
      new Map([[HEAD, 'pr-acme/web#4']]),
      new Map(),
    ]);
  });
});
