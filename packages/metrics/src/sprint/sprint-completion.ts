import type { MetricCalculator } from '@teamstate/core';
import { sprintEvidence, sprintTotals } from './sprint-points.js';

/**
 * `sprint_completion`: over closed sprints completed in the window, Σ points of items done by the sprint's
 * `completedAt` (including items added mid-sprint) ÷ Σ points of the `committedItems`.
 */
export const sprintCompletion: MetricCalculator = {
  specificationVersion: 'v1',
  id: 'sprint_completion',
  title: 'Sprint completion',
  unit: 'ratio',
  category: 'sprint',
  better: 'higher',
  reads: [],
  description:
    'Over closed sprints completed in [from, to): Σ story points of items done by the sprint completedAt (including items added mid-sprint) ÷ Σ story points of the committed items.',
  async compute(db, q) {
    const { sprints, committed, completed } = await sprintTotals(db, q);
    return {
      value: committed > 0 ? completed / committed : null,
      unit: 'ratio',
      completedPoints: completed,
      committedPoints: committed,
      sprints,
    };
  },
  explain: sprintEvidence,
};
