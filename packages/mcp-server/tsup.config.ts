import { defineConfig } from 'tsup';
import { declarations } from '../../scripts/declarations.js';

const entry = {
  index: 'src/index.ts',
  // Answers initialize and tools/list over stdio without core (`teamstate mcp`'s start-up).
  'stdio-front': 'src/stdio-front.ts',
  // What the front lists, written to dist/tool-manifest.json once built.
  'tool-manifest': 'src/tools/tool-manifest.ts',
};

export default defineConfig({
  entry,
  format: ['esm'],
  dts: declarations(entry),
  sourcemap: true,
  clean: true,
  target: 'node22',
  onSuccess: 'node scripts/write-tool-manifest.mjs',
});
