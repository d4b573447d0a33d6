import type { Sprint, SyncContext, WorkItemLink } from '@teamstate/core';
import type { LinearApi, LinearCallOptions } from '../client/linear-api.js';
import type { ResolvedLinearOptions } from '../options.js';

/** A started cycle's record and committed scope. */
export const scopeCursor = (cycleId: string): string => `cycle:${cycleId}`;

/** What the connector keeps per started cycle (the issues in it when it started). */
export interface CycleScope {
  record: Sprint;
  startedAt: number;
  committed: string[];
  /** Whether the issues not synced since the start were looked up (or the run that saw it start read every issue). */
  scanned: boolean;
}

/** One sync run: how it calls Linear, what it has read and stored so far, and how far it got. */
export interface LinearRun {
  ctx: SyncContext;
  api: LinearApi;
  call: LinearCallOptions;
  options: ResolvedLinearOptions;
  /** The configured Linear team keys, sorted (they name the cursors). */
  keys: string[];
  /** The issues' cursor when the run began. */
  since: string | undefined;
  pages: number;
  items: number;
  /** The latest `updatedAt` of the issues read so far. */
  latest: string | undefined;
  teamOf(key: string): string | undefined;
  /** The cycles read this run, as sprints, by cycle id. */
  records: Map<string, Sprint>;
  /** The started cycles' scopes the connector keeps, by cycle id. */
  scopes: Map<string, CycleScope>;
  changedScopes: Set<string>;
  /** Linear users already resolved to people (or to nobody), by user id. */
  people: Map<string, string | undefined>;
  /** Cycles stored (read this run, or stored before), by cycle id. */
  knownCycles: Set<string>;
  /** Relations read whose related issue was not stored yet: stored at the end of the run if it is by then. */
  pendingLinks: WorkItemLink[];
}
