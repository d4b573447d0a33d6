import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, demoDatabase } from './run-cli.js';

// What a start of the built CLI loads: the libraries only some commands need (the markdown parser, the libSQL client's
// remote protocols, JOSE, the diff library, Node's HTTP server, the YAML library) load when one of those runs, not
// with every command, and the terminal width of text (string-width, whose start sets up Unicode segmentation) only for
// text that is not one column a character.

const dir = mkdtempSync(join(tmpdir(), 'teamstate-start-modules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Node's module hooks, loaded before the CLI: every module loaded, by URL, appended to the file the environment names.
const hooks = join(dir, 'record-modules.mjs');
writeFileSync(
  hooks,
  `import { registerHooks } from 'node:module';
import { appendFileSync } from 'node:fs';
registerHooks({ load(url, context, nextLoad) { appendFileSync(process.env.MODULES_LOADED, url + '\\n'); return nextLoad(url, context); } });
`,
);

let runs = 0;
/** Runs `teamstate <args>` in `cwd`; what it printed and the URLs of the modules it loaded. */
function start(args: string[], cwd = dir) {
  const log = join(dir, `modules-${++runs}.txt`);
  writeFileSync(log, '');
  const result = spawnSync(process.execPath, ['--import', pathToFileURL(hooks).href, BIN, ...args], {
    cwd,
    env: { ...process.env, MODULES_LOADED: log },
    encoding: 'utf8',
  });
  return { ...result, modules: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

/** The packages among `modules` that the lazy ones are. */
const LAZY = {
  markdown: /\/node_modules\/(?:mdast-util-from-markdown|micromark)\//,
  remote: /\/node_modules\/(?:@libsql\/hrana-client|ws)\//,
  jose: /\/node_modules\/jose\//,
  diff: /\/node_modules\/diff\//,
  http: /^node:(?:http|net)$/,
  width: /\/node_modules\/string-width\//,
  yaml: /\/node_modules\/yaml\//,
};
const lazyLoaded = (modules: string[]) =>
  Object.entries(LAZY)
    .filter(([, pattern]) => modules.some((url) => pattern.test(url)))
    .map(([name]) => name);

describe('a start of the CLI', () => {
  it('loads none of the libraries only some commands need, for --version or a command on a local database', async () => {
    const version = start(['--version']);
    expect(version.status, version.stderr).toBe(0);
    // The hooks saw the CLI's own modules and the core library's dependencies: they record what a start loads.
    expect(version.modules.some((url) => url.endsWith('/dist/bin.js'))).toBe(true);
    expect(version.modules.some((url) => /\/node_modules\/zod\//.test(url))).toBe(true);
    expect(lazyLoaded(version.modules)).toEqual([]);

    const db = join(dir, 'demo.db');
    await demoDatabase(db, '2026-11-21T10:00:00Z');
    const metrics = start(['--db', db, '--now', '2026-11-21T10:00:00Z', 'metrics']);
    expect(metrics.status, metrics.stderr).toBe(0);
    expect(metrics.modules.some((url) => /\/node_modules\/libsql\//.test(url))).toBe(true);
    expect(lazyLoaded(metrics.modules)).toEqual([]);
  });

  it('loads the markdown parser to index documents, and the remote protocols for a libSQL server', () => {
    const project = join(dir, 'project');
    mkdirSync(join(project, 'docs'), { recursive: true });
    writeFileSync(join(project, 'docs', 'deploys.md'), '---\ntitle: Deploys\n---\n\n# Deploys\n\n## Rollback\n\nRun `make rollback`.\n');
    writeFileSync(join(project, 'teamstate.config.yaml'), 'database: .teamstate/teamstate.db\nknowledge:\n  local:\n    paths: [./docs]\n');
    const indexed = start(['knowledge', 'sync'], project);
    expect(indexed.status, indexed.stderr).toBe(0);
    expect(indexed.stdout).toMatch(/knowledge local: 1 added/);
    // The config file is YAML.
    expect(lazyLoaded(indexed.modules)).toEqual(['markdown', 'yaml']);

    // Nothing listens on port 9 here: the client for the server loads, and the connection fails with a clear error.
    const remote = start(['--db', 'http://127.0.0.1:9', 'metrics']);
    expect(remote.status).toBe(1);
    expect(remote.stderr).toMatch(/http:\/\/127\.0\.0\.1:9/);
    // The remote protocols' WebSocket client brings Node's HTTP with it.
    expect(lazyLoaded(remote.modules)).toEqual(['remote', 'http']);
  });
});
