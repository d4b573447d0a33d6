#!/usr/bin/env node
// First, before anything loads: an older Node half-starts (serve without SO_REUSEPORT) or fails deep in a dependency.
// This file imports nothing statically, so the check runs on any Node that can parse it.
{
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 12)) {
    process.stderr.write(`teamstate needs Node.js 22.12 or newer; this is Node.js ${process.versions.node}\n`);
    process.exit(1);
  }
}
// V8's compiled code of the modules, kept for the next start (`teamstate mcp` is spawned per session, and a server just
// started answers its first requests sooner): in Node's default folder, os.tmpdir()/node-compile-cache (or
// NODE_COMPILE_CACHE), never next to the package, which may be read-only. Where it cannot be written, nothing changes.
{
  const { enableCompileCache } = await import('node:module');
  try {
    enableCompileCache?.();
  } catch {
    // A start without the cache is a slower start, not a failure.
  }
}
// libSQL's native driver logs an embedded replica's connection errors to stdout, which is the MCP stdio channel:
// quiet unless the user asked for them. It reads RUST_LOG once, when it loads, hence before anything imports it.
process.env.RUST_LOG ??= 'off';

// `teamstate … | head` closes the pipe early: stop quietly, as other command-line tools do, not with an EPIPE stack.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
// `teamstate mcp` over stdio answers initialize and tools/list before the rest loads, when it can (src/mcp-front.ts).
const { serveMcpFront } = await import('./mcp-front.js');
const quick = await serveMcpFront(process.argv.slice(2));
if (quick !== undefined) process.exitCode = quick;
else {
  const { main } = await import('./main.js');
  process.exitCode = await main(process.argv.slice(2));
}
