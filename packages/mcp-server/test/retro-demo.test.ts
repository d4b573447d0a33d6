import { demoBundle } from '@teamstate/connectors/demo';
import { createTeamState, formatMetricValue, type TeamState } from '@teamstate/core';
import { builtinMetrics } from '@teamstate/metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from './fixtures/connect.js';

// The retro prompt on the demo says the same sprint numbers as `teamstate sprint` and `teamstate metrics`.
const NOW = new Date('2026-11-27T18:47:08.333Z');
let ts: TeamState;
let server: Awaited<ReturnType<typeof connect>>;

beforeAll(async () => {
  ts = await createTeamState({ database: ':memory:', clock: () => NOW, metrics: builtinMetrics });
  await ts.import(demoBundle({ now: NOW }));
  server = await connect(ts);
});
afterAll(async () => {
  await server.close();
  await ts.close();
});

const promptText = (result: { messages: { content: { type: string; text?: string } }[] }) =>
  result.messages.map((m) => (m.content.type === 'text' ? m.content.text : '')).join('\n');

describe('retro prompt on the demo', () => {
  it("names the sprint once and shows its completion and velocity, as the metrics give them for the sprint's completion", async () => {
    const text = promptText(await server.client.getPrompt({ name: 'retro', arguments: { team: 'payments' } }));
    const [latest, previous] = await ts.sprints.list({ team: 'payments', state: 'closed' });
    expect(latest!.name).toBe('Payments Sprint 7');
    expect(text).toContain('# Retro: Payments Sprint 7\n');
    const at = (sprint: typeof latest) => Date.parse(sprint!.completedAt!);
    const over = (sprint: typeof latest) => ({
      from: new Date(at(sprint) - 1).toISOString(),
      to: new Date(at(sprint) + 1).toISOString(),
      team: 'payments',
    });
    const now = await ts.metrics.compute(['sprint_completion', 'velocity'], over(latest));
    const before = await ts.metrics.compute(['sprint_completion', 'velocity'], over(previous));
    for (const id of ['sprint_completion', 'velocity']) {
      expect(now[id]!.value, id).not.toBeNull();
      expect(text).toContain(
        `${id}: ${formatMetricValue(now[id]!.value, now[id]!.unit)} (previous sprint ${formatMetricValue(before[id]!.value, before[id]!.unit)},`,
      );
    }
    expect(text).not.toContain('no data');
    expect(text).not.toMatch(/\d\.\d{3,}/);
  });
});
