// Writes packages/mcp-server/schema/tools.json, the snapshot of every MCP tool's schemas (a test fails when it is stale).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SNAPSHOT_FILE, toolSnapshot } from '../packages/mcp-server/test/fixtures/tool-snapshot.js';

writeFileSync(join(import.meta.dirname, '..', SNAPSHOT_FILE), `${JSON.stringify(await toolSnapshot(), null, 2)}\n`);
console.log(`wrote ${SNAPSHOT_FILE}`);
