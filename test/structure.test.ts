import { describe, expect, it } from 'vitest';
import { LONG_FILES_ALLOWED, LONG_FUNCTIONS_ALLOWED, measure, structureProblems } from '../scripts/structure.js';

// The shape docs/architecture.md promises for core ("The feature kit", "Measured shape"), measured from the tree as
// `pnpm structure` prints it.
describe('the shape of the code', () => {
  const shape = measure();

  it('has features meet only through their definitions: no feature imports another, only the list and the index name one', () => {
    expect(shape.imports.featureToFeature).toBe(0);
    expect(shape.imports.outsideImporters).toEqual(['packages/core/src/features/index.ts', 'packages/core/src/index.ts']);
    expect(shape.imports.mostNamed?.[1].size ?? 0).toBeLessThanOrEqual(2);
  });

  it('derives the bundle from the definitions: kernel and records spell no feature list, every feature list is found', () => {
    expect(shape.listNames).toEqual(
      expect.arrayContaining(['absences', 'aiFeedback', 'aiUsage', 'builds', 'goals', 'oncalls', 'reports', 'risks', 'surveyResponses']),
    );
    expect(shape.spelling).toEqual([]);
  });

  it('gives every feature with tables its own migrations', () => {
    expect(shape.migrations.withTables.length).toBeGreaterThan(0);
    expect(shape.migrations.owning).toEqual(shape.migrations.withTables);
  });

  it('keeps units small and every test in a test folder, as pnpm lint checks', () => {
    expect(shape.functions.length).toBeLessThanOrEqual(LONG_FUNCTIONS_ALLOWED);
    expect(shape.files.length).toBeLessThanOrEqual(LONG_FILES_ALLOWED);
    expect(shape.tests.beside).toEqual([]);
    expect(shape.tests.total).toBeGreaterThan(300);
    expect(structureProblems()).toEqual([]);
  });
});
