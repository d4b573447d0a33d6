import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  // Type declarations take most of the build: `pnpm demo` and `./teamstate` build without them (TEAMSTATE_BUILD_TYPES=0).
  dts: process.env.TEAMSTATE_BUILD_TYPES !== '0',
  sourcemap: true,
  clean: true,
  target: 'node22',
});
