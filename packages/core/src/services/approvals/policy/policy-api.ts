import { TeamStateError } from '../../../kernel/errors.js';
import type { Approval } from '../../../kernel/model/derived.js';
import type { Store } from '../../../kernel/store/open-store.js';
import { yaml } from '../../../kernel/text/yaml.js';
import type { ActionCatalogue } from '../action-catalogue.js';
import { storeReader } from '../approval-deps.js';
import type { ApprovedPolicy, LivePolicy } from './approved-policy.js';
import { POLICY_CHANGE } from './builtin-policy.js';
import { compilePolicy } from './compile-policy.js';
import { parsePolicyText } from './policy-document.js';
import { activePolicyVersion, type PolicyVersion, policyHistory, policyTextHash } from './policy-versions.js';
import { candidatePolicy, type PolicySimulation, simulatePolicy } from './simulate-policy.js';

/** How many changed proposals a `policy.change` carries in its simulation (the counts cover them all). */
const CHANGED_SHOWN = 20;

/** A proposed policy change (`ts.policy.propose()`). */
export interface PolicyProposal {
  /** The new document, YAML or JSON (or a parsed document, stored as YAML). */
  document: unknown;
  /** Who proposes: a person id (the requester never approves it). */
  requestedBy: string;
  onBehalfOf?: string;
  /** Why; default: a summary of the simulation. */
  reason?: string;
  /** The days the attached simulation replays (default 30). */
  days?: number;
}

/**
 * `ts.policy`: the policy this instance runs (its rules, as {@link LivePolicy}), its approved versions, and changes to
 * it proposed and simulated (docs/security.md#changing-the-policy).
 */
export interface PolicyApi extends LivePolicy {
  /** The active approved version, or `undefined` when none is stored (the given policy or the built-in defaults run). */
  active(): Promise<PolicyVersion | undefined>;
  /** Every approved version, oldest first. */
  history(): Promise<PolicyVersion[]>;
  /**
   * Replays the last `days` days' proposals (default 30) under a candidate document (text or parsed).
   * @example const { before, after, changed } = await ts.policy.simulate(readFileSync('policy.yaml', 'utf8'), { days: 30 })
   */
  simulate(candidate: unknown, options?: { days?: number }): Promise<PolicySimulation>;
  /**
   * Validates a document and proposes it as a `policy.change` (high risk, `require_approval`) with its sha256 and a
   * simulation; approving it stores the next version.
   */
  propose(proposal: PolicyProposal): Promise<Approval>;
}

/** Builds `ts.policy`. */
export function createPolicyApi(deps: {
  store: Store;
  workspace: string;
  clock: () => Date;
  catalogue: ActionCatalogue;
  approved: ApprovedPolicy;
  propose(proposal: {
    type: string;
    target: string;
    params: Record<string, unknown>;
    reason: string;
    requestedBy: string;
    onBehalfOf?: string;
  }): Promise<Approval>;
}): PolicyApi {
  const { policy } = deps.approved;
  const simulate: PolicyApi['simulate'] = (candidate, options) => simulatePolicy(deps, candidate, options);
  return {
    get document() {
      return policy.document;
    },
    get hash() {
      return policy.hash;
    },
    get limits() {
      return policy.limits;
    },
    get piiRedaction() {
      return policy.piiRedaction;
    },
    get version() {
      return policy.version;
    },
    resolve: (action) => policy.resolve(action),
    active: () => activePolicyVersion(storeReader(deps.store), deps.workspace),
    history: () => policyHistory(storeReader(deps.store), deps.workspace),
    simulate,
    async propose(proposal) {
      // Validated first: a bad document is refused naming its field, and nothing is proposed.
      const parsed = candidatePolicy(proposal.document);
      const document = typeof proposal.document === 'string' ? proposal.document : yaml().stringify(parsed);
      const active = await activePolicyVersion(storeReader(deps.store), deps.workspace);
      if (active && compilePolicy(parsed).hash === compilePolicy(parsePolicyText(active.text)).hash)
        throw new TeamStateError(
          'invalid_argument',
          `document: it has the rules of the active version ${active.version}; nothing to propose`,
        );
      const simulation = await simulate(document, { days: proposal.days });
      const moves = simulation.changed.length;
      return deps.propose({
        type: POLICY_CHANGE,
        target: 'policy',
        params: {
          document,
          sha256: policyTextHash(document),
          simulation: { ...simulation, changed: simulation.changed.slice(0, CHANGED_SHOWN), changedTotal: moves },
        },
        reason:
          proposal.reason ??
          `Policy change: of the last ${simulation.days} days' ${simulation.proposals} proposals, ${moves} would meet another mode`,
        requestedBy: proposal.requestedBy,
        ...(proposal.onBehalfOf === undefined ? {} : { onBehalfOf: proposal.onBehalfOf }),
      });
    },
  };
}
