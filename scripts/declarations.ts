// The `dts` option of every package's tsup.config.ts. scripts/build-package.mjs first emits the declarations of the
// package's `src/` into `.types/` with TypeScript 7's compiler, which takes seconds where tsup's own declaration build
// (TypeScript 6's, type-checking as it emits) took most of a build; tsup then only bundles those `.d.ts` files.
// `pnpm typecheck` checks the types.

/** Where scripts/build-package.mjs emits the declarations of a package's `src/`, from the package's folder. */
export const DECLARATIONS_DIR = '.types';

/**
 * tsup's `dts` option for `entry` (tsup's own `entry`, a list of `src/…` files or output names to them): the same
 * entries, named as tsup names them, read from the declarations emitted into `.types/`. `false` when
 * `TEAMSTATE_BUILD_TYPES=0` (`pnpm demo` and `./teamstate` build the JavaScript only).
 * @example declarations(['src/index.ts']) // { entry: { index: '.types/index.d.ts' } }
 */
export function declarations(entry: string[] | Record<string, string>): false | { entry: Record<string, string> } {
  if (process.env.TEAMSTATE_BUILD_TYPES === '0') return false;
  const named = Array.isArray(entry) ? entry.map((file) => [fromSrc(file).replace(/\.ts$/, ''), file] as const) : Object.entries(entry);
  return {
    entry: Object.fromEntries(named.map(([name, file]) => [name, `${DECLARATIONS_DIR}/${fromSrc(file).replace(/\.ts$/, '.d.ts')}`])),
  };
}

function fromSrc(file: string): string {
  if (!file.startsWith('src/') || !file.endsWith('.ts')) throw new Error(`declarations: ${file} is not a .ts file under src/`);
  return file.slice('src/'.length);
}
