// Dependency rules of teamstate (docs/architecture.md), checked by `pnpm lint` (`pnpm lint:deps`).
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
      name: 'kernel-imports-nothing-above',
      severity: 'error',
      comment:
        'core/src/kernel (store engine, sql tag, row mapping, model, errors, logger, telemetry, text) is the bottom layer: it imports nothing else of core.',
      from: { path: '^packages/core/src/kernel/' },
      to: { path: '^packages/core/src/', pathNot: '^packages/core/src/kernel/' },
    },
    {
      name: 'spec-imports-only-kernel-contracts',
      severity: 'error',
      comment:
        "core/src/spec holds the extension contracts: it imports only other spec files, the model, errors, the logger, the sql tag's types and zod, so a third party can depend on the contract without the implementation.",
      from: { path: '^packages/core/src/spec/' },
      to: {
        path: '^packages/core/src/',
        pathNot: [
          '^packages/core/src/spec/',
          '^packages/core/src/kernel/model/',
          '^packages/core/src/kernel/(errors|logger)\\.ts$',
          '^packages/core/src/kernel/store/sql-types\\.ts$',
        ],
      },
    },
    {
      name: 'records-import-kernel-and-spec-only',
      severity: 'error',
      comment:
        'core/src/records (the shared records and how they arrive) imports kernel and spec only; a feature that must act when records arrive registers a hook in its definition.',
      from: { path: '^packages/core/src/records/' },
      to: { path: '^packages/core/src/', pathNot: ['^packages/core/src/(kernel|spec|records)/'] },
    },
    {
      name: 'services-import-no-feature',
      severity: 'error',
      comment:
        'core/src/services (what many features call: the audit ledger, approvals with the policy, the metric registry, privacy, retention, working hours) imports kernel, records, spec and other services, only through their index.ts; never a feature.',
      from: { path: '^packages/core/src/services/([^/]+)/' },
      to: {
        path: '^packages/core/src/',
        pathNot: [
          '^packages/core/src/(kernel|spec|records)/',
          '^packages/core/src/services/$1/',
          '^packages/core/src/services/[^/]+/index\\.ts$',
        ],
      },
    },
    {
      name: 'feature-imports-no-other-feature',
      severity: 'error',
      comment:
        'A feature (core/src/features/<name>) imports kernel, records, spec, services (through their index.ts) and its own folder, never another feature: what it needs of another it declares in its definition and gets from the facade.',
      from: { path: '^packages/core/src/features/([^/]+)/' },
      to: {
        path: '^packages/core/src/',
        pathNot: [
          '^packages/core/src/(kernel|spec|records)/',
          '^packages/core/src/services/[^/]+/index\\.ts$',
          '^packages/core/src/features/$1/',
        ],
      },
    },
    {
      name: 'only-the-list-and-the-index-name-features',
      severity: 'error',
      comment:
        'Outside its folder, a feature is named only by the feature list (features/index.ts) and the package index (one export line per feature); core derives everything else from the definitions.',
      from: { path: '^packages/core/src/', pathNot: ['^packages/core/src/features/', '^packages/core/src/index\\.ts$'] },
      to: { path: '^packages/core/src/features/[^/]+/' },
    },
    {
      name: 'libsql-only-in-kernel',
      severity: 'error',
      comment: '@libsql/client is imported only under core/src/kernel; everything else uses the kernel store and its driver types.',
      from: { path: '^packages/', pathNot: '^packages/core/src/kernel/' },
      to: { path: 'node_modules/@libsql/client/' },
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
