// The parts of an incident brief the drafts read.

/** One line of a brief's timeline, with the row it comes from (`ref`). */
export interface BriefTimelineEntry {
  at: string;
  kind: 'triggered' | 'acknowledged' | 'escalated' | 'note' | 'resolved' | 'status_update' | 'deployment' | 'merge' | 'signal';
  text: string;
  actor?: string;
  /** The row: `incident:<id>#<n>` (its n-th timeline entry), `deployment:<id>`, `pull_request:<id>`, `signal:<fingerprint>`. */
  ref: string;
}

/** A runbook passage from the knowledge index, with its citation. */
export interface BriefRunbook {
  title: string;
  uri: string;
  headingPath: string[];
  text: string;
  /** `runbook:<uri>#<heading>`: how the drafts cite it. */
  ref: string;
}

/**
 * A person in the brief: on call (from the on-call tool's shifts, with the shift's policy, level, schedule and bounds;
 * else the team's leads standing in, their role saying so) or a responder.
 */
export interface BriefPerson {
  person?: string;
  name: string;
  role: string;
  /** The on-call tool the shift is from (`pagerduty`). */
  source?: string;
  escalationPolicy?: string;
  level?: number;
  schedule?: string;
  /** The shift's start and end, when bounded. */
  start?: string;
  end?: string;
}
