import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { quietRequire } from '../src/kernel/quiet-require.js';

// Node 22.12 prints an ExperimentalWarning the first time require() loads an ES module from outside node_modules (the
// library built in a clone), in the middle of `teamstate knowledge sync`'s output. Later versions say nothing, so the
// warning is played here as Node emits it: through process.emitWarning.
const NODE_22_12 =
  'CommonJS module /home/me/teamstate/packages/core/dist/chunk-X.js is loading ES Module /home/me/teamstate/node_modules/.pnpm/mdast-util-from-markdown@2.1.0/node_modules/mdast-util-from-markdown/index.js using require().\nSupport for loading ES Module in require() is an experimental feature and might change at any time';

/** The warnings the process emits while `run` runs, and the next tick after it. */
async function warningsOf(run: () => void): Promise<string[]> {
  const seen: string[] = [];
  const listener = (warning: Error) => seen.push(`${warning.name}: ${warning.message}`);
  process.on('warning', listener);
  try {
    run();
    await new Promise((resolve) => setImmediate(resolve));
    return seen;
  } finally {
    process.off('warning', listener);
  }
}

describe('quietRequire', () => {
  it("leaves out Node 22.12's warning for require() of an ES module, and only that one", async () => {
    const warnings = await warningsOf(() => {
      const value = quietRequire(() => {
        process.emitWarning(NODE_22_12, 'ExperimentalWarning');
        process.emitWarning('something else is odd', 'ExperimentalWarning');
        return 42;
      });
      expect(value).toBe(42);
    });
    expect(warnings).toEqual(['ExperimentalWarning: something else is odd']);
  });

  it('puts process.emitWarning back as it was, also when loading fails', async () => {
    const emitWarning = process.emitWarning;
    expect(() =>
      quietRequire(() => {
        throw new Error('Cannot find module');
      }),
    ).toThrow('Cannot find module');
    expect(process.emitWarning).toBe(emitWarning);
    const after = once(process, 'warning');
    process.emitWarning(NODE_22_12, 'ExperimentalWarning');
    expect(String(((await after) as [Error])[0].message)).toContain('using require()');
  });
});
