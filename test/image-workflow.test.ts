import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseYaml, ROOT, readRepositoryFile } from './repository.js';

// .github/workflows/image.yml builds the image and smoke-tests it. No container runs on the machines these tests
// run on, so the image steps are checked as text, and the smoke steps' own shell (curl against /healthz, /readyz,
// /mcp and /v1) runs here against `teamstate serve` from the built package on a demo workspace.
interface Step {
  name?: string;
  run?: string;
  uses?: string;
}
const workflow = parseYaml(readRepositoryFile('.github/workflows/image.yml')) as {
  on: Record<string, unknown>;
  jobs: Record<string, { steps: Step[] }>;
};
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
const step = (name: string) => steps.find((s) => s.name?.startsWith(name))?.run ?? '';
const BIN = join(ROOT, 'packages/cli/dist/bin.js');
const dir = mkdtempSync(join(tmpdir(), 'teamstate-image-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('.github/workflows/image.yml', () => {
  it('builds the image from the Dockerfile and runs it with a volume and the MCP token, on pushes and pull requests', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
    expect(step('Build the image')).toMatch(/^docker build -t teamstate:ci \.$/m);
    expect(step('Start it')).toContain(
      'docker run -d --name teamstate -p 8787:8787 -v teamstate-data:/data -e TEAMSTATE_MCP_TOKEN teamstate:ci',
    );
  });

  it('smoke-tests /healthz, /readyz, one MCP call and the REST API with shell that works against a real serve', {
    timeout: 120_000,
  }, async () => {
    const database = join(dir, 'demo.db');
    const demo = spawnSync(process.execPath, [BIN, 'demo', '--db', database], { encoding: 'utf8' });
    expect(demo.status, demo.stderr).toBe(0);
    const token = randomBytes(32).toString('base64');
    const child = spawn(process.execPath, [BIN, 'serve', '--db', database, '--port', '0'], {
      cwd: dir,
      env: { ...process.env, TEAMSTATE_MCP_TOKEN: token },
    });
    try {
      const base = await new Promise<string>((resolve, reject) => {
        let stderr = '';
        child.stderr.on('data', (chunk) => {
          stderr += chunk;
          const match = /listening on http:\/\/([\d.]+:\d+)/.exec(stderr);
          if (match) resolve(match[1]!);
        });
        child.on('exit', () => reject(new Error(stderr)));
      });
      for (const name of ['GET /healthz', 'One MCP call', 'The REST API']) {
        const script = step(name).replaceAll('127.0.0.1:8787', base);
        expect(script).not.toBe('');
        const ran = await new Promise<{ code: number | null; out: string }>((resolve) => {
          const shell = spawn('bash', ['-eo', 'pipefail', '-c', script], { cwd: dir, env: { ...process.env, TEAMSTATE_MCP_TOKEN: token } });
          let out = '';
          shell.stdout.on('data', (chunk) => (out += chunk));
          shell.stderr.on('data', (chunk) => (out += chunk));
          shell.on('exit', (code) => resolve({ code, out }));
        });
        expect(ran.code, `${name}: ${ran.out}`).toBe(0);
      }
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });
});
