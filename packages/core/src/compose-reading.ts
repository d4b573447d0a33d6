import { nudgeApprovalsForViewer } from './features/agreements/index.js';
import { createFeedbackApi } from './features/feedback/feedback-api.js';
import { createIncidentsFeature } from './features/incidents/index.js';
import { createKnowledgeApi } from './features/knowledge/knowledge-api.js';
import { createMeetings } from './features/meetings/index.js';
import { createReportsApi } from './features/reports/reports-api.js';
import { timeline } from './features/reports/timeline.js';
import { createRisksApi, riskApprovalsForViewer, withheldSignals } from './features/risks/index.js';
import { createSignalsApi } from './features/signals/signals-api.js';
import type { Logger } from './kernel/logger.js';
import type { Approval } from './kernel/model/derived.js';
import type { Store } from './kernel/store/open-store.js';
import { reading, readingRules } from './records/identity/viewer.js';
import type { Readers } from './records/readers.js';
import type { Actions, Approvals } from './services/approvals/approvals-api.js';
import type { PolicyDocument } from './services/approvals/policy/policy-document.js';
import type { Connector } from './spec/connector.js';
import type { TeamState } from './team-state-facade.js';
import type { TeamStateOptions } from './team-state-options.js';

/**
 * What reads people's words, composed for one reader under the reading rule: reports, timelines, feedback, signals,
 * knowledge, incidents, risks (their person-level evidence) and meeting packs. The facade uses the owner's (no `who`); `ts.as(who)` a person's.
 */
export function composeReading(deps: {
  store: Store;
  workspace: string;
  clock: () => Date;
  writeClock: () => Date;
  log: Logger;
  connectors: readonly Connector[];
  policy: PolicyDocument;
  options: TeamStateOptions;
  productionEnvironments: readonly string[];
  maxDaysBack: number;
  readers: Readers;
  /** Proposes the risk register's changes (`risk.create|update|close`). */
  actions: Actions;
  /** The owner's approvals; a person reads them with the risk register's params under the rule. */
  approvals: Approvals;
  facade: () => TeamState;
}) {
  const { store, workspace, clock, writeClock, log, connectors, policy, options, productionEnvironments, readers } = deps;
  const rules = readingRules(policy);
  const reportDeps = { store, workspace, clock: writeClock, maxDaysBack: deps.maxDaysBack, productionEnvironments };
  const reminders = { policy, clock };
  const signalDeps = { store, workspace, clock, detectors: options.signals ?? [], settings: options.signalSettings, policy };
  const { sources = [], embedder } = options.knowledge ?? {};
  const wellbeingKinds = (options.signals ?? []).filter((detector) => detector.wellbeing).map((detector) => detector.kind);
  const propose = deps.actions.propose.bind(deps.actions);
  return (who?: { person?: string; scopes?: readonly string[] }) => {
    const by = reading(store, workspace, rules, who);
    const timelineOf: TeamState['timeline'] = (person, query) =>
      timeline({ store, workspace, productionEnvironments, reading: by }, person, query);
    const apis = {
      reports: { ...createReportsApi({ ...reportDeps, reminders, reading: by }), timeline: timelineOf },
      timeline: timelineOf,
      feedback: createFeedbackApi({ store, workspace, clock: writeClock, now: clock, connectors, log, reading: by }),
      signals: createSignalsApi({ ...signalDeps, reading: by }),
      knowledge: createKnowledgeApi({ store, workspace, clock: writeClock, log, sources, embedder, reading: by }),
      risks: createRisksApi({ store, workspace, propose, reading: by, wellbeingKinds }),
    } satisfies Partial<TeamState>;
    const incidents = createIncidentsFeature({ store, workspace, clock, productionEnvironments, knowledge: apis.knowledge });
    const composed = {
      ...apis,
      incidents: { ...readers.incidents, ...incidents },
      meetings: createMeetings({ ...apis, reading: by }, deps.facade),
    };
    if (who === undefined) return composed;
    // Approvals are readable to every viewer, but a risk's may name a person's wellbeing signal or report, and a nudge
    // may be about a person's wellbeing signal.
    const view = async (approvals: Approval[]) =>
      nudgeApprovalsForViewer(
        store,
        workspace,
        await riskApprovalsForViewer(store, workspace, by, wellbeingKinds, approvals),
        (fingerprints) => withheldSignals(store, workspace, by, wellbeingKinds, fingerprints),
      );
    const one = async (approval: Approval) => (await view([approval]))[0]!;
    const { approvals, actions } = deps;
    return {
      ...composed,
      approvals: {
        ...approvals,
        get: async (id) => {
          const approval = await approvals.get(id);
          return approval && one(approval);
        },
        list: async (query) => view(await approvals.list(query)),
        wait: async (id, options) => one(await approvals.wait(id, options)),
      } satisfies Approvals,
      actions: { ...actions, propose: async (proposal) => one(await actions.propose(proposal)) } satisfies Actions,
    };
  };
}
