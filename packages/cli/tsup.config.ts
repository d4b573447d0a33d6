import { defineConfig } from 'tsup';
import { declarations } from '../../scripts/declarations.js';

const entry = ['src/index.ts', 'src/bin.ts'];

export default defineConfig({
  entry,
  format: ['esm'],
  dts: declarations(entry),
  sourcemap: true,
  clean: true,
  target: 'node22',
  onSuccess: 'node scripts/write-demo-tool-manifest.mjs',
});
