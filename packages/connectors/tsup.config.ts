import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { 'demo/index': 'src/demo/index.ts', 'jira/index': 'src/jira/index.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node22',
});
