import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const packages = fileURLToPath(new URL('./packages/', import.meta.url));

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
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'docs/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
