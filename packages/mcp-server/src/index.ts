export { createMcpServer, type McpServerOptions } from './create-mcp-server.js';
export { DEFAULT_TOOLSETS, parseToolsets, TOOLSETS, type Toolset } from './tools/toolsets.js';
export { createMcpHttpHandler, type McpHttpHandler, type McpHttpOptions } from './transports/create-mcp-http-handler.js';
export type { HttpAccess } from './transports/http-access.js';
export { LOOPBACK_HOSTS } from './transports/request-guard.js';
export { type StdioOptions, type StdioServer, serveStdio } from './transports/serve-stdio.js';
