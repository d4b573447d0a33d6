import { readFileSync } from 'node:fs';
import { demo } from '@teamstate/connectors/demo';
import { createTeamState, metricWindow } from '@teamstate/core';
import { builtinMetrics, builtinSignals } from '@teamstate/metrics';
import { describe, expect, it } from 'vitest';
import { call, connect } from './fixtures/connect.js';

const docs = readFileSync(new URL('../../../docs/mcp.md', import.meta.url), 'utf8');

/** The JSON answer docs/mcp.md shows under a tool's heading (its second json block: the first is the call). */
function documentedAnswer(tool: string): unknown {
  const section = docs.split(`### \`${tool}\``)[1]!.split('\n### ')[0]!;
  const blocks = [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return JSON.parse(blocks[1]!);
}

describe('docs/mcp.md examples (issue 17)', () => {
  it('team_overview shows what the tool answers on the demo at the documented --now', async () => {
    const now = new Date('2026-03-10T12:00:00Z');
    const ts = await createTeamState({
      database: ':memory:',
      connectors: [demo()],
      clock: () => now,
      metrics: builtinMetrics,
      signals: builtinSignals,
    });
    await ts.sync();
    const mcp = await connect(ts);
    try {
      expect(await call(mcp.client, 'team_overview', { team: 'payments' })).toEqual(documentedAnswer('team_overview'));
    } finally {
      await mcp.close();
      await ts.close();
    }
  });
});

/** Every call docs/mcp.md shows under a tool's heading, with the answer shown after it. */
function documentedCalls(tool: string): { call: { name: string; arguments: Record<string, unknown> }; answer: unknown }[] {
  const section = docs.split(`### \`${tool}\``)[1]!.split('\n### ')[0]!;
  const blocks = [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!));
  return blocks.flatMap((block, i) => (i % 2 === 0 ? [{ call: block, answer: blocks[i + 1] }] : []));
}

describe('docs/mcp.md get_metrics examples', () => {
  it('show what the tool answers on the demo at the documented --now, the comparison included', async () => {
    const now = new Date('2026-03-10T12:00:00Z');
    const ts = await createTeamState({ database: ':memory:', connectors: [demo()], clock: () => now, metrics: builtinMetrics });
    await ts.sync();
    const mcp = await connect(ts);
    try {
      const examples = documentedCalls('get_metrics');
      expect(examples.map((e) => e.call.arguments.compare)).toContain('previous');
      for (const { call: documented, answer } of examples) {
        expect(await call(mcp.client, documented.name, documented.arguments), JSON.stringify(documented)).toEqual(answer);
      }
    } finally {
      await mcp.close();
      await ts.close();
    }
  });
});

describe('get_metrics rounding (docs/mcp.md#get_metrics, issue 17)', () => {
  it('answers hours to 2 decimals and ratios to 4, the facade values rounded', async () => {
    const now = new Date('2026-03-10T12:00:00Z');
    const ts = await createTeamState({ database: ':memory:', connectors: [demo()], clock: () => now, metrics: builtinMetrics });
    await ts.sync();
    const mcp = await connect(ts);
    try {
      const answer = await call<{ metrics: Record<string, { value: number | null; unit: string } & Record<string, unknown>> }>(
        mcp.client,
        'get_metrics',
        { team: 'payments' },
      );
      const exact = await ts.metrics.compute(Object.keys(answer.metrics), { ...metricWindow({}, now), team: 'payments' });
      const decimals = (n: number) => (String(n).split('.')[1] ?? '').length;
      let checked = 0;
      for (const [id, result] of Object.entries(answer.metrics)) {
        const places = result.unit === 'hours' ? 2 : result.unit === 'ratio' ? 4 : undefined;
        if (places === undefined || result.value === null) continue;
        expect(decimals(result.value), id).toBeLessThanOrEqual(places);
        expect(result.value, id).toBe(Number(exact[id]!.value!.toFixed(places)));
        checked += 1;
      }
      expect(checked).toBeGreaterThan(5);
    } finally {
      await mcp.close();
      await ts.close();
    }
  });
});
