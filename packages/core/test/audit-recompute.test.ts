import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { canonicalJson, createTeamState, defineActionType, GENESIS_HASH, hashAuditEntry } from '../src/index.js';
import { testConnector } from '../src/testing/index.js';

// docs/approvals.md: the chain can be recomputed outside teamstate from the stored columns, with the exported
// `canonicalJson` and `hashAuditEntry`.
const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('the audit chain, recomputed from the stored rows with the exported functions', () => {
  it('matches every stored hash, and an edited row no longer does', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'teamstate-audit-recompute-'));
    folders.push(folder);
    const database = join(folder, 'teamstate.db');
    const connector = testConnector({
      id: 'notes',
      actions: [
        defineActionType({
          type: 'notes.note.add',
          description: 'Add a note',
          risk: 'medium',
          params: z.strictObject({ text: z.string().min(1) }),
          execute: async (params) => ({ added: params.text }),
        }),
      ],
    });
    const ts = await createTeamState({ database, connectors: [connector], clock: () => new Date('2026-03-18T10:00:00Z') });
    await ts.import({
      format: 'teamstate.bundle/v1',
      teams: [{ id: 'payments', name: 'Payments' }],
      people: [{ id: 'ana', name: 'Ana', teams: ['payments'] }],
    });
    const proposal = await ts.actions.propose({
      type: 'notes.note.add',
      target: 'PAY-1',
      params: { text: 'Ship "it" — ünïcode' },
      reason: 'a note',
      requestedBy: 'assistant',
    });
    await ts.approvals.decide(proposal.id, { decision: 'approve', by: 'ana' });
    await ts.close();

    const client = createClient({ url: `file:${database}` });
    try {
      const { rows } = await client.execute('SELECT * FROM audit_events ORDER BY seq');
      expect(rows.length).toBeGreaterThanOrEqual(3);
      let prev = GENESIS_HASH;
      for (const row of rows) {
        const content = {
          workspace: row.workspace as string,
          seq: row.seq as number,
          at: new Date(row.at as number).toISOString(),
          type: row.type as string,
          approvalId: (row.approval_id as string | null) ?? null,
          actor: row.actor as string,
          data: JSON.parse(row.data as string),
        };
        expect(row.prev_hash).toBe(prev);
        expect(hashAuditEntry(prev, content), `entry ${content.seq}`).toBe(row.hash);
        prev = row.hash as string;
      }
      const first = rows[0]!;
      const edited = { ...JSON.parse(first.data as string), forged: true };
      expect(canonicalJson(edited)).not.toBe(canonicalJson(JSON.parse(first.data as string)));
      const recomputed = hashAuditEntry(GENESIS_HASH, {
        workspace: first.workspace as string,
        seq: first.seq as number,
        at: new Date(first.at as number).toISOString(),
        type: first.type as string,
        approvalId: (first.approval_id as string | null) ?? null,
        actor: first.actor as string,
        data: edited,
      });
      expect(recomputed).not.toBe(first.hash);
    } finally {
      client.close();
    }
  });
});
