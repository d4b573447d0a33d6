import type { Store } from '../../kernel/store/open-store.js';

/** What an incident brief reads through. */
export interface IncidentBriefDeps {
  store: Pick<Store, 'execute'>;
  workspace: string;
  clock: () => Date;
  productionEnvironments: readonly string[];
  /** The policy's approver references: approvers who are members lead their teams (who stands in without on-call). */
  approvers?: readonly string[];
  /** Runbook passages for a query (the knowledge index, read as the caller). */
  searchRunbooks?: (query: string) => Promise<{ text: string; headingPath: string[]; document: { title: string; uri: string } }[]>;
}

/** The span a brief reads around an incident: from 24 h before it began (`from`) to now, or its start if later (`until`). */
export interface BriefWindow {
  /** When the incident began. */
  start: number;
  from: number;
  until: number;
}
