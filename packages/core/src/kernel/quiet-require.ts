/** What Node 22.12 says the first time require() loads an ES module from a file outside node_modules. */
const REQUIRE_ESM_WARNING = /loading ES Module .* using require\(\)/;

/**
 * Runs `load` (synchronous `require()` calls) without Node 22.12's experimental warning for `require()` of an ES module,
 * which it prints when the library is built in a clone (outside node_modules) and which would otherwise land in the
 * middle of a command's output. Every other warning goes through; `process.emitWarning` is as it was afterwards.
 */
export function quietRequire<T>(load: () => T): T {
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: never[]) => {
    if (!REQUIRE_ESM_WARNING.test(String(warning))) emitWarning.call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return load();
  } finally {
    process.emitWarning = emitWarning;
  }
}
