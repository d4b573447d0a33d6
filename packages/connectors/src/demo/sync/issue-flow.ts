import type { Random } from './random.js';
import { WORKDAY } from './working-time.js';

/**
 * The demo's Jira workflow. Waiting, On Hold and Blocked are in-progress statuses where nobody works on the issue
 * (the default waiting statuses of `flow_efficiency`): the queue before a review, an issue put aside for something
 * more urgent, a dependency outside the team.
 */
export const status = {
  todo: { name: 'To Do', category: 'todo' },
  progress: { name: 'In Progress', category: 'in_progress' },
  blocked: { name: 'Blocked', category: 'in_progress' },
  onHold: { name: 'On Hold', category: 'in_progress' },
  waiting: { name: 'Waiting', category: 'in_progress' },
  review: { name: 'In Review', category: 'in_progress' },
  done: { name: 'Done', category: 'done' },
} as const;

/** One status of the demo's Jira workflow. */
export type Status = (typeof status)[keyof typeof status];

/**
 * An issue's way through the workflow once started: each status with how long (working time) it stays there, the
 * last one Done. Like real teams', the demo's issues wait far longer than they are worked on: a flow efficiency of
 * 15 to 40%. Every draw is made whatever the way, so one issue's way never shifts the next issue's.
 */
export function issueFlow(rng: Random): { to: Status; stay: number }[] {
  const work = rng.skewed(0.45 * WORKDAY);
  const [onHold, hold, resumeHold] = [rng.chance(0.3), rng.skewed(1.45 * WORKDAY, 1.1), rng.skewed(0.25 * WORKDAY)];
  const [blocked, block, resumeBlock] = [rng.chance(0.12), rng.skewed(1.2 * WORKDAY, 1.2), rng.skewed(0.25 * WORKDAY)];
  const [queue, review] = [rng.skewed(1.75 * WORKDAY, 1.1), rng.skewed(0.25 * WORKDAY)];
  const [changes, rework, requeue, rereview] = [
    rng.chance(0.3),
    rng.skewed(0.25 * WORKDAY),
    rng.skewed(0.65 * WORKDAY),
    rng.skewed(0.15 * WORKDAY),
  ];
  return [
    { to: status.progress, stay: work },
    ...(onHold
      ? [
          { to: status.onHold, stay: hold },
          { to: status.progress, stay: resumeHold },
        ]
      : []),
    ...(blocked
      ? [
          { to: status.blocked, stay: block },
          { to: status.progress, stay: resumeBlock },
        ]
      : []),
    { to: status.waiting, stay: queue },
    { to: status.review, stay: review },
    ...(changes
      ? [
          { to: status.progress, stay: rework },
          { to: status.waiting, stay: requeue },
          { to: status.review, stay: rereview },
        ]
      : []),
    { to: status.done, stay: 0 },
  ];
}
