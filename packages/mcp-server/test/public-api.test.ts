import * as mcp from '@teamstate/mcp-server';
import { describe, expect, it } from 'vitest';

describe('@teamstate/mcp-server public surface', () => {
  it('exports exactly the server factory, the two transports and the toolsets (a new export is new public API)', () => {
    expect(Object.keys(mcp).sort()).toEqual([
      'LOOPBACK_HOSTS',
      'TOOLSETS',
      'createMcpHttpHandler',
      'createMcpServer',
      'parseToolsets',
      'serveStdio',
    ]);
  });
});
