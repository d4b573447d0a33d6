import { z } from 'zod';
import { errorMessage, TeamStateError } from '../../../kernel/errors.js';
import type { Store } from '../../../kernel/store/open-store.js';
import { type ActionType, defineActionType } from '../../../spec/action-type.js';
import { storeReader } from '../approval-deps.js';
import { POLICY_CHANGE } from './builtin-policy.js';
import { parsePolicyText } from './policy-document.js';
import { activePolicyVersion, policyTextHash, storePolicyVersion, versionOfApproval } from './policy-versions.js';

/** The params of a `policy.change`: the document, its sha256, and the simulation shown to the approver. */
export const policyChangeParams = z
  .strictObject({
    /** The proposed policy document (YAML or JSON), exactly as it will be stored. */
    document: z.string().min(1, { error: 'must not be empty' }).max(200_000),
    /** sha256 (hex) of `document`. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/, { error: 'expected 64 lowercase hex digits' }),
    /** What the last days' proposals would have met under the document (`ts.policy.simulate`). */
    simulation: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((params, ctx) => {
    if (policyTextHash(params.document) !== params.sha256)
      ctx.addIssue({ code: 'custom', path: ['sha256'], message: 'is not the sha256 of document' });
    try {
      parsePolicyText(params.document, 'document');
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: ['document'], message: `is not a valid policy: ${errorMessage(error)}` });
    }
  });

/** What the `policy.change` action needs once the store is open. */
export interface PolicyChangeDeps {
  store: Store;
  workspace: string;
  now: () => number;
  /** Runs the stored version in this process at once. */
  refresh(): Promise<void>;
}

/**
 * `policy.change`: approving it stores the document as the next version of the approved policy (audited as
 * `policy.version_stored`). Proposed against the active version: if another change was stored meanwhile, it fails
 * `stale` rather than silently replacing that one.
 */
export function policyChangeAction(deps: () => PolicyChangeDeps): ActionType {
  const activeNumber = async () => (await activePolicyVersion(storeReader(deps().store), deps().workspace))?.version ?? 0;
  return defineActionType({
    type: POLICY_CHANGE,
    description: 'Change the approved policy: store the document as its next version',
    risk: 'high',
    params: policyChangeParams,
    async precondition(_params, ctx) {
      const base = await activeNumber();
      const proposed = (ctx.proposedState as { baseVersion?: number } | undefined)?.baseVersion;
      if (proposed !== undefined && proposed !== base)
        return { ok: false, reason: `the policy was proposed against version ${proposed}, and version ${base} is active now` };
      return { ok: true, state: { baseVersion: base } };
    },
    async execute(params, ctx) {
      const { store, workspace, now, refresh } = deps();
      if (ctx.approver === undefined) throw new TeamStateError('policy_denied', 'a policy change runs only once a person approved it');
      const approvedBy = ctx.approver.person;
      const stored = await store.write(
        async (tx) =>
          (await versionOfApproval(tx, workspace, ctx.approvalId)) ??
          storePolicyVersion(tx, workspace, now(), {
            text: params.document,
            proposedBy: ctx.requestedBy,
            approvedBy,
            approvalId: ctx.approvalId,
          }),
      );
      await refresh();
      return { version: stored.version, hash: stored.hash };
    },
    async checkExecuted(_params, ctx) {
      const stored = await versionOfApproval(storeReader(deps().store), deps().workspace, ctx.approvalId);
      return stored ? { executed: true, result: { version: stored.version, hash: stored.hash } } : { executed: false };
    },
  });
}
