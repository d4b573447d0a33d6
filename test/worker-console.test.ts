import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './repository.js';

// scripts/worker-console.cjs, loaded into tsup by scripts/build-package.mjs: the declaration bundler's warnings come
// from a worker thread that tsup terminates as soon as the bundle is written. A worker's console output otherwise goes
// to the process through a message port, and what is still queued there when the worker is terminated is lost.
const WORKER = `
  const { Worker } = require('node:worker_threads');
  const worker = new Worker(\`
    for (let i = 0; i < 2000; i++) console.warn('warning ' + i + ' ' + 'x'.repeat(200));
    console.log('bundle written');
    require('node:worker_threads').parentPort.postMessage('done');
  \`, { eval: true });
  worker.on('message', () => worker.terminate());
`;

const run = (preload: string[]) =>
  spawnSync(process.execPath, [...preload, '-e', WORKER], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

describe('a worker thread’s console output', () => {
  it('reaches the process whole when the worker is terminated right after writing it, through a pipe whose reader lags', () => {
    const result = run(['--require', join(ROOT, 'scripts/worker-console.cjs')]);
    expect(result.status, result.stderr.slice(-2000)).toBe(0);
    const lines = result.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(2000);
    expect(lines.at(-1)).toMatch(/^warning 1999 x+$/);
    expect(result.stdout).toBe('bundle written\n');
  });

  it('is lost without it, which is why the build loads it', () => {
    const lines = run([])
      .stderr.split('\n')
      .filter((line) => line.startsWith('warning '));
    expect(lines.length).toBeLessThan(2000);
  });
});
