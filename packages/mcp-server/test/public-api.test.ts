import * as mcp from '@teamstate/mcp-server';
import { describe, expect, it } from 'vitest';

describe('@teamstate/mcp-server public surface', () => {
  it('exports exactly the server factory, the two transports and the toolsets (a new export is new public API)', () => {
    expect(Object.keys(mcp).sort()).toEqual([
      'DEFAULT_TOOLSETS',
      'LOOPBACK_HOSTS',
      'TOOLSETS',
      'createMcpHttpHandler',
      'createMcpServer',
      'parseToolsets',
      'serveStdio',
    ]);
  });

  it('exports only the stdio front and the toolset names from ./stdio-front (teamstate mcp answers tools/list with it)', async () => {
    expect(Object.keys(await import('@teamstate/mcp-server/stdio-front')).sort()).toEqual([
      'DEFAULT_TOOLSETS',
      'TOOLSETS',
      'serveStdioFront',
    ]);
  });
});
