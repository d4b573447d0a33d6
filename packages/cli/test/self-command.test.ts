import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { selfCommand, shellWord } from '../src/self-command.js';

describe('selfCommand', () => {
  it('names node and the real path of the bin (a global install links to it), quoting what a shell would split', () => {
    const dir = mkdtempSync(join(tmpdir(), 'teamstate self command '));
    try {
      writeFileSync(join(dir, 'bin.js'), '');
      symlinkSync(join(dir, 'bin.js'), join(dir, 'teamstate'));
      expect(selfCommand(['/usr/bin/node', join(dir, 'teamstate')], '/usr/bin/node')).toBe(`/usr/bin/node '${join(dir, 'bin.js')}'`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('quotes only words that need it, single quotes included', () => {
    expect(shellWord('/home/me/teamstate/packages/cli/dist/bin.js')).toBe('/home/me/teamstate/packages/cli/dist/bin.js');
    expect(shellWord("/home/o'neil/$HOME x")).toBe(`'/home/o'\\''neil/$HOME x'`);
  });
});
