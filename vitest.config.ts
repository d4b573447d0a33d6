import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const packages = fileURLToPath(new URL('./packages/', import.meta.url));

const include = [
  'packages/*/test/**/*.test.ts',
  'examples/*/test/**/*.test.ts',
  'docs/**/*.test.ts',
  // The repository's own: the scripts, the CI and release workflows, the packed packages.
  'test/**/*.test.ts',
];

/**
 * Test files that change the process they run in, or measure it, so each gets a fresh worker: they register
 * OpenTelemetry's global providers, set the CLI's table width, listen for unhandled rejections, mock a module or
 * measure V8's heap. Every other file leaves no trace in its worker (CLI runs through test/run-cli.ts restore the
 * folder and table width), so those share workers and their module cache (`isolate: false`): the sources are imported
 * once per worker, not once per file.
 */
const isolated = [
  'packages/cli/test/table.test.ts',
  // Registers OpenTelemetry's global tracer provider and context manager (its warm-up must record no span).
  'packages/cli/test/warm-mcp-http.test.ts',
  // Measures V8's young generation, which is process-wide: what earlier files left in a shared worker's heap counts.
  'packages/core/test/open-store.test.ts',
  'packages/core/test/read-pool-close.test.ts',
  'packages/core/test/signals.test.ts',
  'packages/core/test/telemetry.test.ts',
  'packages/mcp-server/test/http-start.test.ts',
  'packages/mcp-server/test/telemetry.test.ts',
];

/**
 * The end-to-end tests that build, pack or install the packages or start several processes: a project of their own
 * (`pnpm exec vitest run --project heavy` runs them alone, `--project shared --project isolated` everything else).
 * Each runs in a worker of its own.
 */
const heavy = [
  'test/packed-install.test.ts',
  'test/release-dry-run.test.ts',
  'packages/mcp-server/test/replicas-e2e.test.ts',
  'packages/cli/test/mcp-inspector-cli.test.ts',
];

export default defineConfig({
  resolve: {
    // Tests run against the sources; subprocess tests (CLI, MCP stdio) run the built dist.
    alias: [
      { find: /^@teamstate\/core$/, replacement: `${packages}core/src/index.ts` },
      { find: /^@teamstate\/core\/(spec|testing)$/, replacement: `${packages}core/src/$1/index.ts` },
      { find: /^@teamstate\/core\/store$/, replacement: `${packages}core/src/store.ts` },
      { find: /^@teamstate\/metrics$/, replacement: `${packages}metrics/src/index.ts` },
      { find: /^@teamstate\/connectors\/(.+)$/, replacement: `${packages}connectors/src/$1/index.ts` },
      { find: /^@teamstate\/mcp-server$/, replacement: `${packages}mcp-server/src/index.ts` },
    ],
  },
  test: {
    // No include here: each project below has its own (a project extending this config would add to it).
    // Room for a machine under load: the heaviest test (the docs' runnable blocks) takes about 15 s quiet and 50 s at a
    // load average of 20 on two cores. A timeout only ends a test that hangs; no test measures time against it.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // One file more than the cores: most files spend much of their time waiting on a child process, a server or the
    // disk, so with one file per core a core often sits idle (vitest's default, one core left free, runs one file at a
    // time on 2 cores). Two more than the cores was slower again on 2 cores. No test times itself, so more files at
    // once only take longer each, never fail (`--maxWorkers=1` runs them one by one).
    maxWorkers: Math.max(2, availableParallelism()) + 1,
    projects: [
      {
        extends: true,
        test: { name: 'shared', include, exclude: [...configDefaults.exclude, ...isolated, ...heavy], isolate: false },
      },
      { extends: true, test: { name: 'isolated', include: isolated, isolate: true } },
      { extends: true, test: { name: 'heavy', include: heavy, isolate: true } },
    ],
  },
});
