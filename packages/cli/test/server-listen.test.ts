import { describe, expect, it } from 'vitest';
import { allowedHostsFor } from '../src/server/listen.js';

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

describe('allowedHostsFor', () => {
  it('accepts the loopback names on the default bind address', () => {
    expect(allowedHostsFor('127.0.0.1', [], LOOPBACK)).toEqual(LOOPBACK);
  });

  it('adds a specific bound address (IPv6 in brackets) and --allowed-host names, lower-cased', () => {
    expect(allowedHostsFor('192.168.1.20', ['TeamState.Acme.Internal'], LOOPBACK)).toEqual([
      ...LOOPBACK,
      '192.168.1.20',
      'teamstate.acme.internal',
    ]);
    expect(allowedHostsFor('fd00::1', [], LOOPBACK)).toEqual([...LOOPBACK, '[fd00::1]']);
  });

  it('adds nothing for a wildcard bind: the names a proxy uses must be given', () => {
    expect(allowedHostsFor('0.0.0.0', [], LOOPBACK)).toEqual(LOOPBACK);
    expect(allowedHostsFor('::', ['mcp.example'], LOOPBACK)).toEqual([...LOOPBACK, 'mcp.example']);
  });
});
