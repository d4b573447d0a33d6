import type { Store } from '../../../kernel/store/open-store.js';
import { yaml } from '../../../kernel/text/yaml.js';
import { storeReader } from '../approval-deps.js';
import { compilePolicy, type Policy } from './compile-policy.js';
import { type PolicyDocument, parsePolicyText } from './policy-document.js';
import { activePolicyVersion, type PolicyVersion, recordPolicyDrift, storePolicyVersion } from './policy-versions.js';

/**
 * `createTeamState({ approvedPolicy })`: run the policy approved in the database rather than `policy` as given (what
 * the CLI, the MCP server and `teamstate serve` do). The first open with a `policy` and no version stored adopts it as
 * version 1; afterwards a `policy` that differs from the active version is not run: `onUnapprovedChange` is called
 * and the `policy.unapproved_change` signal is raised until the change is proposed and approved.
 */
export interface ApprovedPolicyOptions {
  /** The configured policy's text as written (the policy file), stored with version 1; default: the document as YAML. */
  text?: string;
  /**
   * Adopt the configured policy as version 1 when none is stored (default true). `false` runs it as given without
   * storing anything: for an open that may still be refused (a mistyped workspace) and must leave the store unchanged.
   */
  adopt?: boolean;
  /** Called once per open when the configured policy differs from the active version (which runs instead). */
  onUnapprovedChange?(change: UnapprovedPolicyChange): void;
}

/** A configured policy that is not the approved one. */
export interface UnapprovedPolicyChange {
  /** The version that runs. */
  active: PolicyVersion;
  /** The compiled hash of the configured policy. */
  configuredHash: string;
}

/** A policy whose rules can be replaced while it is in use (a newer version approved by any process). */
export interface LivePolicy extends Policy {
  /** The active version it runs, when it runs an approved version. */
  readonly version: number | undefined;
}

/** What {@link openApprovedPolicy} gives: the policy to run and how to pick up a newer approved version. */
export interface ApprovedPolicy {
  readonly policy: LivePolicy;
  /** Re-reads the active version and runs it when it is newer than the one running (cheap: one indexed read). */
  refresh(): Promise<void>;
}

/** A policy that delegates to the one `current()` returns, so features holding it see a newly approved version. */
function livePolicy(current: () => { policy: Policy; version?: number }): LivePolicy {
  return {
    get document() {
      return current().policy.document;
    },
    get hash() {
      return current().policy.hash;
    },
    get limits() {
      return current().policy.limits;
    },
    get piiRedaction() {
      return current().policy.piiRedaction;
    },
    get version() {
      return current().version;
    },
    resolve: (action) => current().policy.resolve(action),
  };
}

const compileVersion = (version: PolicyVersion): Policy =>
  compilePolicy(parsePolicyText(version.text, `policy version ${version.version}`));

/**
 * The policy a `TeamState` runs: without `approved`, `configured` as given (an embedding app owns its policy); with it,
 * the active approved version (see {@link ApprovedPolicyOptions}).
 */
export async function openApprovedPolicy(
  store: Store,
  workspace: string,
  now: () => number,
  configured: PolicyDocument | undefined,
  approved: ApprovedPolicyOptions | undefined,
): Promise<ApprovedPolicy> {
  const given = compilePolicy(configured);
  let state: { policy: Policy; version?: number } = { policy: given };
  const policy = livePolicy(() => state);
  if (approved === undefined) return { policy, refresh: async () => {} };

  let active = await activePolicyVersion(storeReader(store), workspace);
  if (active === undefined && configured !== undefined && approved.adopt !== false) {
    const text = approved.text ?? yaml().stringify(configured);
    // Two processes may open a new database at once: the version is adopted once, by whichever writes first.
    active = await store.write(
      async (tx) =>
        (await activePolicyVersion(tx, workspace)) ??
        storePolicyVersion(tx, workspace, now(), { text, proposedBy: 'config', approvedBy: 'config' }),
    );
  }
  if (active === undefined) return { policy, refresh: async () => {} };
  state = { policy: compileVersion(active), version: active.version };
  if (configured !== undefined) {
    const drift = given.hash === state.policy.hash ? undefined : { configuredHash: given.hash, activeVersion: active.version };
    if (drift || (await hasDrift(store, workspace))) await store.write((tx) => recordPolicyDrift(tx, workspace, now(), drift));
    if (drift) approved.onUnapprovedChange?.({ active, configuredHash: given.hash });
  }
  return {
    policy,
    async refresh() {
      const latest = await activePolicyVersion(storeReader(store), workspace);
      if (latest === undefined || latest.version === state.version) return;
      state = { policy: compileVersion(latest), version: latest.version };
      // The configured policy was just approved: nothing is unapproved any more.
      if (configured !== undefined && given.hash === state.policy.hash && (await hasDrift(store, workspace)))
        await store.write((tx) => recordPolicyDrift(tx, workspace, now(), undefined));
    },
  };
}

async function hasDrift(store: Store, workspace: string): Promise<boolean> {
  const { rows } = await store.execute('SELECT 1 AS found FROM policy_drift WHERE workspace = ?', [workspace]);
  return rows.length > 0;
}
