// Run by the build (tsup onSuccess): writes dist/demo-tool-manifest.json, the tools `teamstate mcp` lists in a demo
// workspace (propose_action then lists the demo connector's actions under the default policy), so that its quick start
// (src/mcp-front.ts) answers tools/list there too before core loads. test/mcp-front.test.ts checks it against the server.
import { writeFileSync } from 'node:fs';
import { demo } from '@teamstate/connectors/demo';
import { createTeamState } from '@teamstate/core';

// The server's own listing code, from its build (an internal module, not part of its public API).
const { toolManifest } = await import(new URL('../../mcp-server/dist/tool-manifest.js', import.meta.url).href);
const ts = await createTeamState({ database: ':memory:', connectors: [demo()] });
try {
  writeFileSync(new URL('../dist/demo-tool-manifest.json', import.meta.url), JSON.stringify(toolManifest(ts)));
} finally {
  await ts.close();
}
