// `pnpm bench scale`'s MCP side: the four tools an assistant calls most, over stdio against the built CLI on the
// organisation's database, p50 and p99 of CALLS calls each. Prints one JSON document.
import { percentile, stdioClient, timed } from './mcp.bench.js';

const [database, team, from, to] = process.argv.slice(2) as [string, string, string, string];
const CALLS = Number(process.env.TEAMSTATE_SCALE_MCP_CALLS ?? 100);
const cases: [string, Record<string, unknown>][] = [
  ['get_metrics', { team, from, to }],
  ['list_signals', { team }],
  ['standup_digest', { team }],
  ['list_work_items', { team, limit: 25 }],
];
const client = await stdioClient(database);
const out: Record<string, { p50: number; p99: number; calls: number }> = {};
try {
  for (const [tool, args] of cases) {
    const first = await client.callTool({ name: tool, arguments: args });
    if (first.isError) throw new Error(`${tool} failed: ${JSON.stringify(first.content)}`);
    const durations = await timed(CALLS, () => client.callTool({ name: tool, arguments: args }));
    out[tool] = { p50: percentile(durations, 50), p99: percentile(durations, 99), calls: CALLS };
  }
} finally {
  await client.close();
}
process.stdout.write(JSON.stringify(out));
