import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/bin.ts'],
  format: ['esm'],
  // Type declarations take most of the build: `pnpm demo` and `./teamstate` build without them (TEAMSTATE_BUILD_TYPES=0).
  dts: process.env.TEAMSTATE_BUILD_TYPES !== '0',
  sourcemap: true,
  clean: true,
  target: 'node22',
  onSuccess: 'node scripts/write-demo-tool-manifest.mjs',
});
