// `pnpm exec tsx scripts/first-open.ts <copy.db>`: how long a database written by an earlier teamstate takes to answer
// its first read once this checkout's build (`pnpm build` first) opens it: createTeamState() (its migrations; index
// builds, drops and batched rewrites are only registered, to run behind the reads), then deployment frequency of the
// first team over the 90 days before the latest deployment. It upgrades the file: run it on a copy. With `--finish` it
// then runs what the open left behind in the foreground, as `teamstate migrate` does, and prints the pages in use.
import { createTeamState, migrateDatabase } from '@teamstate/core';
import { builtinMetrics } from '@teamstate/metrics';

const args = process.argv.slice(2);
const finish = args.includes('--finish');
const file = args.find((arg) => !arg.startsWith('--'));
if (file === undefined) {
  console.error('usage: pnpm exec tsx scripts/first-open.ts <copy.db> [--finish]  (it upgrades the file: give it a copy)');
  process.exit(2);
}
const seconds = (from: number, to: number) => ((to - from) / 1000).toFixed(1);

const started = performance.now();
const ts = await createTeamState({ database: `file:${file}`, metrics: builtinMetrics });
const opened = performance.now();
const { rows } = await ts.store.execute('SELECT max(finished_at) AS latest, (SELECT min(id) FROM teams) AS team FROM deployments');
const latest = Number(rows[0]?.latest ?? Date.now());
const team = String(rows[0]?.team ?? '');
const window = { from: new Date(latest - 90 * 86_400_000).toISOString(), to: new Date(latest).toISOString() };
const answer = await ts.metrics.compute(['deployment_frequency'], { ...window, ...(team ? { team } : {}) });
const answered = performance.now();
console.log(
  `open ${seconds(started, opened)} s, first read ${seconds(opened, answered)} s: the first answer ${seconds(started, answered)} s after the start` +
    ` (deployment_frequency of ${team || 'the workspace'}: ${JSON.stringify(answer.deployment_frequency?.value ?? null)})`,
);
await ts.close();
if (finish) {
  await migrateDatabase({ database: `file:${file}` });
  console.log(`then ${seconds(answered, performance.now())} s until every index build, drop and batched rewrite is done`);
}
