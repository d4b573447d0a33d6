// Loaded with `node --import` by the child processes that run on the built package (child-process.ts): Node strips the
// fixtures' types itself, and this resolves their relative `./x.js` imports to the `./x.ts` files beside them, as
// TypeScript and vitest do. Nothing else changes: `@teamstate/core` is the package's dist.
import { existsSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (/^\.{1,2}\/.*\.js$/.test(specifier) && context.parentURL?.startsWith('file:')) {
      const url = new URL(specifier, context.parentURL);
      const ts = new URL(`${url.pathname.slice(0, -'.js'.length)}.ts`, url);
      if (!existsSync(fileURLToPath(url)) && existsSync(fileURLToPath(ts))) return nextResolve(ts.href, context);
    }
    return nextResolve(specifier, context);
  },
});
