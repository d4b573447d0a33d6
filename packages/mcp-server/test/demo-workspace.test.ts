import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from './fixtures/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'teamstate-demo-workspace-'));
const database = join(dir, 'demo.db');
let demoOutput: string;
beforeAll(async () => {
  const demo = await runCli(['--db', database, 'demo'], dir, { HOME: dir });
  expect(demo.code, demo.stderr).toBe(0);
  demoOutput = demo.stdout;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const text = (result: unknown) => (result as { content: { type: string; text: string }[] }).content[0]!.text;

/** A client of `teamstate mcp --db <the demo>` (the README set-up, no config), closed after `use`. */
async function withServer<T>(use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ name: 'demo-workspace', version: '1' });
  await client.connect(
    new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', '--db', database], stderr: 'ignore', cwd: dir }),
  );
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

describe('the demo workspace opened with `mcp --db` (the README set-up, no config)', () => {
  it('runs the approval the demo asked for, and accepts proposals of the demo action', async () => {
    const printed = /approve it: teamstate (.+)$/m.exec(demoOutput)![1]!.split(' ');
    const id = printed.find((word) => word.startsWith('apr_'))!;
    const approved = await runCli(printed, dir, { HOME: dir });
    expect(approved.code, approved.stderr).toBe(0);

    await withServer(async (client) => {
      // The server runs what a person approved from another process, as `serve` does.
      const awaited = await client.callTool({ name: 'await_approval', arguments: { id, timeoutSeconds: 20 } });
      expect(text(awaited)).toMatch(/executed/);
      const proposed = await client.callTool({
        name: 'propose_action',
        arguments: { type: 'demo.note.add', target: 'PAY-1', params: { key: 'PAY-1', text: 'on it' }, reason: 'tell the team' },
      });
      expect(proposed.isError, text(proposed)).toBeFalsy();
      expect(text(proposed)).toMatch(/apr_[0-9a-f]{24}/);
    });
  });

  it('answers every read tool with useful content: the newest features included', async () => {
    await withServer(async (client) => {
      const call = async <T = Record<string, unknown>>(name: string, args: Record<string, unknown> = {}): Promise<T> => {
        const result = await client.callTool({ name, arguments: args });
        expect(result.isError, `${name}: ${text(result)}`).toBeFalsy();
        return result.structuredContent as T;
      };
      const signals = await call<{ signals: { kind: string }[] }>('list_signals', { team: 'payments' });
      expect(signals.signals.length).toBeGreaterThan(3);

      // AI impact: enough AI-assisted and other PRs in the default 30 days for a verdict with intervals.
      const impact = await call<{
        verdict: string;
        assisted: { n: number };
        other: { n: number };
        comparison: Record<string, { interval: number[] | null }>;
        tools: unknown[];
        usage: unknown[];
        reviews: { quality: { assistedRatings: number }; guesses: { total: number } };
      }>('ai_impact');
      expect(impact.verdict).not.toMatch(/not enough data/i);
      expect(impact.assisted.n).toBeGreaterThanOrEqual(10);
      expect(impact.other.n).toBeGreaterThanOrEqual(10);
      expect(impact.comparison.cycleTimeHours!.interval).toHaveLength(2);
      expect(impact.tools.length).toBeGreaterThan(0);
      expect(impact.usage.length).toBeGreaterThan(0);
      expect(impact.reviews.quality.assistedRatings).toBeGreaterThan(0);
      expect(impact.reviews.guesses.total).toBeGreaterThan(0);

      const found = await call<{ reports: { report: { person: string; blockers?: string } }[] }>('search_reports', {
        query: 'vendor sandbox',
        team: 'payments',
      });
      expect(found.reports.length).toBeGreaterThan(0);
      expect(found.reports.some((hit) => /vendor sandbox/i.test(hit.report.blockers ?? ''))).toBe(true);
      const timeline = await call<{ items: { kind: string }[] }>('person_timeline', { person: 'ana-garcia' });
      expect(timeline.items.some((item) => item.kind === 'report')).toBe(true);

      const patterns = await call<{ patterns: { count: number; repository: string | null }[] }>('ai_feedback_patterns');
      expect(patterns.patterns[0]!.count).toBeGreaterThanOrEqual(2);
      const { messages } = await client.getPrompt({
        name: 'suggest_agent_rules',
        arguments: { repository: patterns.patterns[0]!.repository!, format: 'claude' },
      });
      const prompt = messages[0]?.content.type === 'text' ? messages[0].content.text : '';
      expect(prompt).toMatch(/^\+## Lessons from AI feedback$/m);

      const knowledge = await call<{ passages: { headingPath: string[] }[] }>('search_knowledge', {
        query: 'how do I undo a bad release in prod?',
      });
      expect(knowledge.passages[0]!.headingPath.at(-1)).toMatch(/^Roll back/);
      const people = await call<{ people: unknown[] }>('who_knows', { topic: 'webhook retries' });
      expect(people.people.length).toBeGreaterThan(0);

      const standup = await call<{ people: { report: { text: string } | null }[] }>('standup_digest', { team: 'payments' });
      expect(standup.people.filter((p) => p.report !== null).length).toBeGreaterThan(standup.people.length / 2);
      for (const [name, args] of [
        ['team_overview', {}],
        ['list_people', { team: 'payments' }],
        ['list_work_items', { team: 'payments' }],
        ['get_metrics', { team: 'payments' }],
        ['sprint_health', { team: 'payments' }],
        ['pr_review_queue', { team: 'platform' }],
        ['list_approvals', {}],
      ] as const) {
        const result = await call(name, args);
        expect(JSON.stringify(result).length, name).toBeGreaterThan(100);
      }
    });
  });
});
