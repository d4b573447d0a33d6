// Dependency rules of teamstate (DESIGN.md section 1 and 3), checked by `pnpm lint` (`pnpm lint:deps`).
// A violation names the rule, the importing file and the imported one.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycle anywhere in packages/*/src, type-only imports included.',
      from: { path: '^packages/[^/]+/src/' },
      to: { circular: true },
    },
    {
      name: 'spec-imports-only-model-errors-logger',
      severity: 'error',
      comment:
        'core/src/spec holds the extension contracts: it imports only other spec files, model types, errors, the logger and zod, so a third party can depend on the contract without the implementation.',
      from: { path: '^packages/core/src/spec/' },
      to: {
        pathNot: [
          '^packages/core/src/spec/',
          '^packages/core/src/model/',
          '^packages/core/src/errors\\.ts$',
          '^packages/core/src/logger\\.ts$',
          'node_modules/zod/',
        ],
      },
    },
    {
      name: 'core-imports-no-workspace-package',
      severity: 'error',
      comment: '@teamstate/core imports no other workspace package.',
      from: { path: '^packages/core/src/' },
      to: { path: ['^packages/(metrics|connectors|mcp-server|cli)/', '(^|/)node_modules/@teamstate/'] },
    },
    {
      name: 'metrics-imports-no-connectors',
      severity: 'error',
      comment: '@teamstate/metrics imports only core.',
      from: { path: '^packages/metrics/src/' },
      to: { path: ['^packages/(connectors|mcp-server|cli)/', '(^|/)node_modules/@teamstate/(connectors|mcp-server|cli)/'] },
    },
    {
      name: 'connectors-import-only-core',
      severity: 'error',
      comment: '@teamstate/connectors imports only core.',
      from: { path: '^packages/connectors/src/' },
      to: { path: ['^packages/(metrics|mcp-server|cli)/', '(^|/)node_modules/@teamstate/(metrics|mcp-server|cli)/'] },
    },
    {
      name: 'mcp-server-imports-no-connectors-or-cli',
      severity: 'error',
      comment: '@teamstate/mcp-server imports core (and metrics for defaults), never connectors or the CLI.',
      from: { path: '^packages/mcp-server/src/' },
      to: { path: ['^packages/(connectors|cli)/', '(^|/)node_modules/@teamstate/(connectors|cli)/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['\\.test\\.ts$', '/dist/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'types', 'default'], extensions: ['.ts', '.js'] },
    combinedDependencies: false,
  },
};
