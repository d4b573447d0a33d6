#!/usr/bin/env node
// The `teamstate` command. This file exists before `pnpm build`, so `pnpm install` can link it; it runs the build.
// The Node.js check comes first, as in dist/bin.js: an older Node is refused in one line before anything loads.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(`teamstate needs Node.js 22.12 or newer; this is Node.js ${process.versions.node}\n`);
  process.exit(1);
}
try {
  await import('../dist/bin.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/bin.js')) throw error;
  process.stderr.write('teamstate is not built yet: run `pnpm install && pnpm build` in the repository first\n');
  process.exitCode = 1;
}
