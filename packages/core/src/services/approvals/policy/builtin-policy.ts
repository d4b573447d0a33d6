import type { PolicyMode } from '../../../kernel/model/derived.js';

/** Bumped whenever the built-in defaults change, so the policy hash of approvals proposed under them changes too. */
export const BUILTIN_POLICY_VERSION = 3;

/** The action type of a proposed policy change: always high risk and `require_approval`, whatever a policy says. */
export const POLICY_CHANGE = 'policy.change';

/** How long a pending approval waits when the policy sets no TTL. */
export const BUILTIN_TTL_MS = 24 * 3_600_000;

/** teamstate's own records that its actions keep (the risk register): `auto`, so the ledger records each change at once. */
const OWN_RECORDS = /^risk\.(create|update|close)$/;

/** Action types whose built-in mode is `require_approval`: merges, closures and transitions. */
const CONSEQUENTIAL = /\.(merge|close|transition)$/;

/**
 * Action types that change the instructions an AI assistant obeys (a rule pull request): `require_approval`, so the
 * person an assistant proposed one for cannot approve it themselves.
 */
const AGENT_INSTRUCTIONS = new Set(['github.pr.open_file_change']);

/** Paging, escalations and status-page updates: a person decides, always (`require_approval`). */
const INCIDENT_RESPONSE = /^((pagerduty|statuspage)\.incident|opsgenie\.alert)\./;

/**
 * The built-in mode of an action type that no rule of the team's policy gives a mode to: reads run at once
 * (`auto`), changes to the risk register `auto`, merges/closures/transitions, changes to agent instructions and incident
 * response (PagerDuty, Statuspage, Opsgenie)
 * `require_approval`, every other write `ask`.
 */
export function builtinMode(action: { type: string; readOnly?: boolean }): { mode: PolicyMode; rule: string } {
  if (action.readOnly) return { mode: 'auto', rule: 'built-in: reads' };
  if (OWN_RECORDS.test(action.type)) return { mode: 'auto', rule: 'built-in: the risk register' };
  if (CONSEQUENTIAL.test(action.type)) return { mode: 'require_approval', rule: 'built-in: merges, closures, transitions' };
  if (AGENT_INSTRUCTIONS.has(action.type)) return { mode: 'require_approval', rule: 'built-in: changes to agent instructions' };
  if (INCIDENT_RESPONSE.test(action.type)) return { mode: 'require_approval', rule: 'built-in: paging, escalations and status pages' };
  return { mode: 'ask', rule: 'built-in: writes' };
}
