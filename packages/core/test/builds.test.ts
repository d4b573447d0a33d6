import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTeamState, type TeamState, TeamStateError } from '../src/index.js';

// CI builds (docs/bundle-format.md#records, issue 54): the bundle's optional `builds`, one row per run of a job on a
// commit, through the SDK on a real libSQL file.
let folder: string;
let ts: TeamState;

const base = {
  format: 'teamstate.bundle/v1',
  teams: [{ id: 'pay', name: 'Payments' }],
  repositories: [{ id: 'acme/api', team: 'pay' }],
  workItems: [
    {
      id: 'gh-pr-acme/api#7',
      source: 'github',
      kind: 'pull_request' as const,
      key: 'acme/api#7',
      title: 'Retry the card charge',
      state: 'open',
      repository: 'acme/api',
      createdAt: '2026-11-16T09:00:00Z',
    },
  ],
};
const failed = {
  id: 'gh-check-acme/api-9001',
  repository: 'acme/api',
  workflow: 'CI',
  job: 'test',
  commit: 'a1b2c3d4',
  pullRequest: 'gh-pr-acme/api#7',
  status: 'completed',
  conclusion: 'failure',
  startedAt: '2026-11-16T10:00:00Z',
  completedAt: '2026-11-16T10:07:30+00:00',
  attempt: 1,
} as const;
const rerun = {
  ...failed,
  id: 'gh-check-acme/api-9002',
  conclusion: 'success',
  startedAt: '2026-11-16T10:10:00Z',
  completedAt: '2026-11-16T10:16:00Z',
  attempt: 2,
} as const;

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'teamstate-builds-'));
  ts = await createTeamState({ database: `file:${join(folder, 'team.db')}`, clock: () => new Date('2026-11-20T12:00:00Z') });
});
afterEach(async () => {
  await ts.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('builds in the bundle', () => {
  it('imports and exports builds as UTC instants, importing the export changes nothing, and a later state replaces the earlier', async () => {
    const running = { ...rerun, status: 'in_progress', conclusion: undefined, completedAt: undefined };
    const { conclusion: _c, completedAt: _a, ...runningInput } = running;
    await ts.import({ ...base, builds: [failed, runningInput] });
    const exported = await ts.export();
    expect(exported.builds).toEqual([
      { ...failed, completedAt: '2026-11-16T10:07:30.000Z', startedAt: '2026-11-16T10:00:00.000Z' },
      { ...runningInput, startedAt: '2026-11-16T10:10:00.000Z' },
    ]);
    expect((await ts.import(exported)).changes).toBe(0);

    await ts.import({ format: 'teamstate.bundle/v1', builds: [rerun] });
    const again = (await ts.export()).builds;
    expect(again).toHaveLength(2);
    expect(again.find((b) => b.id === rerun.id)).toMatchObject({ status: 'completed', conclusion: 'success', attempt: 2 });
  });

  it('defaults the attempt to 1 and leaves out the job and pull request when a source does not know them', async () => {
    const { job: _j, pullRequest: _p, attempt: _n, ...pipeline } = failed;
    await ts.import({ ...base, builds: [pipeline] });
    const [stored] = (await ts.export()).builds;
    expect(stored).toMatchObject({ attempt: 1 });
    expect(stored).not.toHaveProperty('job');
    expect(stored).not.toHaveProperty('pullRequest');
  });

  it('refuses an unknown repository or pull request, a completed build without a conclusion and an attempt of 0, writing nothing', async () => {
    await ts.import(base);
    const attempt = ts.import({
      format: 'teamstate.bundle/v1',
      builds: [
        { ...failed, repository: 'acme/nowhere' },
        { ...failed, id: 'b2', pullRequest: 'gh-pr-acme/api#99' },
        { ...failed, id: 'b3', conclusion: undefined },
        { ...failed, id: 'b4', attempt: 0 },
        { ...failed, id: 'b5', status: 'running' },
        { ...failed, id: 'b6', completedAt: '2026-11-16T09:00:00Z' },
      ],
    });
    await expect(attempt).rejects.toBeInstanceOf(TeamStateError);
    const message = await attempt.catch((error: Error) => error.message);
    expect(message).toContain('builds[0].repository: repository "acme/nowhere" is not defined');
    expect(message).toContain('builds[1].pullRequest: work item "gh-pr-acme/api#99" is not defined');
    expect(message).toContain('builds[2].conclusion: a completed build needs its conclusion');
    expect(message).toContain('builds[3].attempt');
    expect(message).toContain('builds[4].status');
    expect(message).toContain('builds[5].completedAt: must not be before startedAt');
    expect((await ts.export()).builds).toEqual([]);
  });

  it('arrives from a connector in a sync batch like any other record', async () => {
    const connector = {
      specificationVersion: 'v1' as const,
      id: 'ci',
      providers: ['github'],
      async sync(ctx: Parameters<import('../src/index.js').Connector['sync']>[0]) {
        await ctx.emit({ teams: base.teams, repositories: base.repositories, workItems: base.workItems });
        await ctx.emit({ builds: [failed, rerun] });
      },
    };
    await ts.close();
    ts = await createTeamState({
      database: `file:${join(folder, 'team.db')}`,
      connectors: [connector],
      clock: () => new Date('2026-11-20T12:00:00Z'),
    });
    await ts.sync();
    expect((await ts.export()).builds.map((b) => [b.id, b.attempt, b.conclusion])).toEqual([
      [failed.id, 1, 'failure'],
      [rerun.id, 2, 'success'],
    ]);
  });
});
