import type { Team } from '@teamstate/core';
import type { DemoShape } from './demo-shape.js';
import type { Random } from './random.js';
import type { WorkingDay } from './working-time.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const iso = (ms: number) => new Date(ms).toISOString();

/** A team of the demo organisation as it is being generated: its Jira project, repositories and members. */
export interface TeamPlan extends Team {
  project: string;
  repositories: string[];
  members: string[];
}

/**
 * What every part of the generated organisation draws on: its shape, the random sequence everything but what was
 * added later draws from (`rng`), the one of AI help (`later`), the span of history `[start, end)` and its teams.
 */
export interface DemoContext {
  shape: DemoShape;
  rng: Random;
  later: Random;
  start: number;
  end: number;
  teams: TeamPlan[];
  /** The hours `person` works. */
  hoursOf(person: string): WorkingDay;
  /** A moment of `day` (a UTC midnight) in the person's hours of their own day of that date (one draw of `rng`). */
  workTime(day: number, person: string): number;
}
