import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demo } from '@teamstate/connectors/demo';
import { type Approval, createTeamState } from '@teamstate/core';
import { afterAll, describe, expect, it } from 'vitest';
import { demoDatabase } from './run-cli.js';
import { serveWhile } from './serve-while.js';

// Finding 8 of the security review: `teamstate serve` ran approved actions only with a Slack approval channel, so an
// action approved where no connector could run it (a Slack button elsewhere, the SDK, a CLI without the connector)
// stayed `approved`. serve (a child process, on the demo workspace, whose demo connector it has) runs every approved
// action it has a connector for: those waiting when it starts, and those approved while it runs.
const dir = mkdtempSync(join(tmpdir(), 'teamstate-serve-approvals-'));
const database = join(dir, 'demo.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Opens the database without connectors, as a process that decides but cannot run `demo.note.add`. */
async function approveWithoutConnector(id: string): Promise<Approval> {
  const ts = await createTeamState({ database });
  try {
    const [person] = await ts.people.list({});
    return await ts.approvals.decide(id, { decision: 'approve', by: person!.id, reason: 'looks fine' });
  } finally {
    await ts.close();
  }
}

async function statusOf(id: string): Promise<string | undefined> {
  const ts = await createTeamState({ database });
  try {
    return (await ts.approvals.get(id))?.status;
  } finally {
    await ts.close();
  }
}

/** Polls until approval `id` is `executed` (or fails after 50 s, naming what it was: time a loaded machine may need). */
async function executed(id: string): Promise<void> {
  const started = Date.now();
  for (let status = await statusOf(id); status !== 'executed'; status = await statusOf(id)) {
    if (Date.now() - started > 50_000) throw new Error(`approval ${id} is still ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('teamstate serve runs approved actions', () => {
  it('runs the approved actions it has a connector for, at start and while it runs, each once', async () => {
    const built = await demoDatabase(database);
    expect(built.code, built.stderr).toBe(0);
    const [waiting] = await (async () => {
      const ts = await createTeamState({ database });
      try {
        return await ts.approvals.list({ status: 'pending', type: 'demo.note.add' });
      } finally {
        await ts.close();
      }
    })();
    expect((await approveWithoutConnector(waiting!.id)).status).toBe('approved');

    const { stderr } = await serveWhile({ cwd: dir, env: process.env, args: ['--db', database] }, async () => {
      await executed(waiting!.id);
      // Approved while serve runs, by a process without the connector.
      const proposer = await createTeamState({ database, connectors: [demo()] });
      const later = await proposer.actions
        .propose({
          type: 'demo.note.add',
          target: 'PAY-1',
          params: { key: 'PAY-1', text: 'checked with the vendor' },
          reason: 'asked',
          requestedBy: 'assistant',
        })
        .finally(() => proposer.close());
      expect(later.status).toBe('pending');
      expect((await approveWithoutConnector(later.id)).status).toBe('approved');
      await executed(later.id);
    });
    expect(stderr).toContain('teamstate serve: listening on');

    const ts = await createTeamState({ database });
    try {
      const runs = await ts.audit.list({ type: 'approval.executed', limit: 100 });
      expect(runs.map((event) => event.approvalId).sort()).toEqual(
        (await ts.approvals.list({ status: 'executed', type: 'demo.note.add' })).map((a) => a.id).sort(),
      );
      expect(runs).toHaveLength(2);
    } finally {
      await ts.close();
    }
  });
});
