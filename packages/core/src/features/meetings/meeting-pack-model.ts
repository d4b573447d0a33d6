import type { Sprint } from '../../kernel/model/delivery.js';
import type { Report } from '../../kernel/model/report.js';
import type { TeamRisk } from '../../kernel/model/team-risk.js';
import type { Store } from '../../kernel/store/open-store.js';
import type { Reading } from '../../records/identity/viewer.js';
import type { MetricResult } from '../../spec/metric-calculator.js';

/** What a line of a meeting pack points at. */
export interface MeetingEvidence {
  kind: 'report' | 'pull_request' | 'issue' | 'signal' | 'metric' | 'risk' | 'incident' | 'deployment' | 'sprint';
  /** The report's, work item's, incident's, risk's or deployment's id, the signal's fingerprint, the metric's id. */
  ref: string;
  /** What people call it: a PR's or issue's key, a sprint's name. */
  label?: string;
}

/** One line of a meeting pack, with the records it rests on. */
export interface MeetingLine {
  text: string;
  at?: string;
  evidence: MeetingEvidence[];
}

/** A section of a pack: its lines, or why the viewer may not read them (`withheld`). */
export interface MeetingSection {
  id: string;
  title: string;
  lines: MeetingLine[];
  /** Set when the reading rule keeps this section's lines from the viewer: what they lack. */
  withheld?: string;
}

/** A prepared meeting: sections of lines, each linked to its evidence, and the same as markdown. */
export interface MeetingPack {
  kind: 'one_on_one' | 'retro';
  title: string;
  from: string;
  to: string;
  person?: { id: string; name: string };
  team?: { id: string; name: string };
  sprint?: { id: string; name: string; previous?: { id: string; name: string } };
  sections: MeetingSection[];
  /** Markdown: one bullet per line, its evidence in brackets. */
  text: string;
}

/** The timeline entries a pack reads (the reports feature's `TimelineEntry`, as far as it is used here). */
export type TimelineItem = { id: string; key: string; title: string; kind: string };
export type TimelineLike =
  | { at: string; kind: 'report' }
  | { at: string; kind: 'pr.opened' | 'pr.merged'; workItem: TimelineItem }
  | { at: string; kind: 'pr.reviewed'; workItem: TimelineItem; review: { state: string } }
  | { at: string; kind: 'issue.moved'; workItem: TimelineItem; from: string | null; to: string }
  | { at: string; kind: 'deployment.shipped'; deployment: { id: string; repository: string; environment: string } };

/** A stored signal, as far as a pack reads it. */
export interface SignalLike {
  fingerprint: string;
  kind: string;
  title: string;
  subject: { type: string; id: string };
  lastSeenAt: string;
}

/** What meeting packs read, each already bound to the viewer (the reading rule applies inside them). */
export interface MeetingDeps {
  store: Pick<Store, 'execute'>;
  workspace: string;
  clock: () => Date;
  reading: Reading;
  reports: {
    list(query: { person?: string; team?: string; from?: string; to?: string; cursor?: string; limit?: number }): Promise<{
      items: Report[];
      nextCursor?: string;
    }>;
  };
  timeline(
    person: string,
    query: { from: string; to: string; cursor?: string; limit?: number },
  ): Promise<{ items: unknown[]; nextCursor?: string }>;
  signals: { list(query: { status?: 'open'; limit?: number; team?: string }): Promise<SignalLike[]> };
  risks: { list(query: { owner?: string; team?: string; status?: 'all' }): Promise<TeamRisk[]> };
  metrics: {
    list(): { id: string; unit?: string }[];
    compute(ids: readonly string[], query: { from: string; to: string; team?: string }): Promise<Record<string, MetricResult>>;
  };
  sprints: { list(query: { team?: string }): Promise<Sprint[]> };
}
