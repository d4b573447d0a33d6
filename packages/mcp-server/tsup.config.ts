import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    // Answers initialize and tools/list over stdio without core (`teamstate mcp`'s start-up).
    'stdio-front': 'src/stdio-front.ts',
    // What the front lists, written to dist/tool-manifest.json once built.
    'tool-manifest': 'src/tools/tool-manifest.ts',
  },
  format: ['esm'],
  // Type declarations take most of the build: `pnpm demo` and `./teamstate` build without them (TEAMSTATE_BUILD_TYPES=0).
  dts: process.env.TEAMSTATE_BUILD_TYPES !== '0',
  sourcemap: true,
  clean: true,
  target: 'node22',
  onSuccess: 'node scripts/write-tool-manifest.mjs',
});
