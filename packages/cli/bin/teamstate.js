#!/usr/bin/env node
// The `teamstate` command. This file exists before `pnpm build`, so `pnpm install` can link it; it runs the build.
try {
  await import('../dist/bin.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/bin.js')) throw error;
  process.stderr.write('teamstate is not built yet: run `pnpm install && pnpm build` in the repository first\n');
  process.exitCode = 1;
}
