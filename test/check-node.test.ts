import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkNode } from '../scripts/check-node.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const script = fileURLToPath(new URL('../scripts/check-node.mjs', import.meta.url));

describe('scripts/check-node.mjs', () => {
  it('refuses a Node.js older than 22.12 with one line that says what to do', () => {
    expect(checkNode('v20.11.1')).toBe(
      'teamstate needs Node.js 22.12 or newer (this is v20.11.1): install it from https://nodejs.org or with nvm, then run pnpm install again',
    );
    expect(checkNode('v18.20.4')).toMatch(/^teamstate needs Node\.js 22\.12 or newer \(this is v18\.20\.4\)/);
    expect(checkNode('v21.7.3')).toMatch(/\(this is v21\.7\.3\)/);
    // 22.0–22.11 have no reusePort: serve would half-start.
    expect(checkNode('v22.0.0')).toMatch(/\(this is v22\.0\.0\)/);
    expect(checkNode('v22.11.0')).toMatch(/\(this is v22\.11\.0\)/);
    expect(checkNode('not a version')).toMatch(/\(this is not a version\)/);
  });

  it('accepts Node.js 22.12 and newer', () => {
    for (const version of ['v22.12.0', 'v22.20.1', 'v23.0.0', 'v24.1.0', 'v30.0.0']) expect(checkNode(version)).toBeUndefined();
  });

  it('exits 1 printing only that line on stderr when run by an older Node.js, and 0 silently on this one', () => {
    // The running Node.js with process.version faked to an old one, loaded before the script.
    const fake = `data:text/javascript,Object.defineProperty(process, 'version', { value: 'v20.19.5' });`;
    const old = spawnSync(process.execPath, ['--import', fake, script], { encoding: 'utf8' });
    expect(old.status).toBe(1);
    expect(old.stdout).toBe('');
    expect(old.stderr).toBe(
      'teamstate needs Node.js 22.12 or newer (this is v20.19.5): install it from https://nodejs.org or with nvm, then run pnpm install again\n',
    );
    const current = spawnSync(process.execPath, [script], { encoding: 'utf8' });
    expect(current).toMatchObject({ status: 0, stdout: '', stderr: '' });
  });

  it('the teamstate command refuses an older Node.js in one line before anything loads (/usr/bin/node here is older)', () => {
    const old = spawnSync('/usr/bin/node', ['--version'], { encoding: 'utf8' }).stdout.trim();
    expect(checkNode(old), `/usr/bin/node is ${old}: this test needs a Node.js older than 22.12 there`).toBeDefined();
    for (const bin of ['packages/cli/dist/bin.js', 'packages/cli/bin/teamstate.js']) {
      const refused = spawnSync('/usr/bin/node', [`${root}${bin}`, 'status', '--db', `${root}does-not-exist.db`], { encoding: 'utf8' });
      expect([bin, refused.status, refused.stdout, refused.stderr]).toEqual([
        bin,
        1,
        '',
        `teamstate needs Node.js 22.12 or newer; this is Node.js ${old.replace(/^v/, '')}\n`,
      ]);
    }
  });

  it('asks for Node.js 22.12 in every package.json (engines)', () => {
    for (const dir of ['', 'packages/core/', 'packages/metrics/', 'packages/connectors/', 'packages/mcp-server/', 'packages/cli/'])
      expect([dir, JSON.parse(readFileSync(`${root}${dir}package.json`, 'utf8')).engines?.node]).toEqual([dir, '>=22.12']);
  });

  it('runs before the root package installs and before the demo', () => {
    const { scripts } = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
    expect(scripts.preinstall).toBe('node scripts/check-node.mjs');
    expect(scripts.demo).toMatch(/^node scripts\/check-node\.mjs && /);
  });
});
