// The baseline of `pnpm bench mcp-http`'s start-up figure: the smallest MCP server the SDK makes, with one tool, over
// stdio. Run with Node's own type stripping (no loader), as the built CLI runs without one.
import { McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';

serveStdio(() => {
  const server = new McpServer({ name: 'minimal', version: '1.0.0' });
  server.registerTool('echo', { description: 'Echoes its text.', inputSchema: z.object({ text: z.string() }) }, async ({ text }) => ({
    content: [{ type: 'text', text }],
  }));
  return server;
});
