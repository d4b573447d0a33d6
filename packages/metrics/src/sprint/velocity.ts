import type { MetricCalculator } from '@teamstate/core';
import { sprintEvidence, sprintTotals } from './sprint-points.js';

/** `velocity`: mean completed story points per closed sprint completed in the window (as in `sprint_completion`). */
export const velocity: MetricCalculator = {
  specificationVersion: 'v1',
  id: 'velocity',
  title: 'Velocity',
  unit: 'points',
  category: 'sprint',
  reads: [],
  description: 'Mean story points done by completedAt (including items added mid-sprint) per closed sprint completed in [from, to).',
  async compute(db, q) {
    const { sprints, completed } = await sprintTotals(db, q);
    return { value: sprints > 0 ? completed / sprints : null, unit: 'points', completedPoints: completed, sprints };
  },
  explain: sprintEvidence,
};
