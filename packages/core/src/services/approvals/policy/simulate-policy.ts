import { TeamStateError } from '../../../kernel/errors.js';
import type { PolicyMode, Risk } from '../../../kernel/model/derived.js';
import type { Store } from '../../../kernel/store/open-store.js';
import { columns, optional, text, textOf } from '../../../kernel/store/row-decoder.js';
import type { ActionCatalogue } from '../action-catalogue.js';
import { compilePolicy } from './compile-policy.js';
import { type PolicyDocument, parsePolicy, parsePolicyText } from './policy-document.js';

/** Proposals counted by the mode they met. */
export interface ModeCounts {
  auto: number;
  ask: number;
  require_approval: number;
  deny: number;
}

/** What `ts.policy.simulate()` found: the last `days` days' proposals, as they went and as they would go. */
export interface PolicySimulation {
  days: number;
  /** Proposals made in the window. */
  proposals: number;
  /** The modes they met when proposed. */
  before: ModeCounts;
  /** The modes the candidate policy gives them. */
  after: ModeCounts;
  /** The proposals whose mode would change, oldest first. */
  changed: { approvalId: string; type: string; target: string; before: PolicyMode; after: PolicyMode }[];
}

const proposalRow = columns({
  id: text,
  action_type: text,
  target: text,
  mode: textOf<PolicyMode>(),
  risk: textOf<Risk>(),
  escalation: optional(text),
});

const DAY_MS = 86_400_000;
const MODES: readonly PolicyMode[] = ['auto', 'ask', 'require_approval', 'deny'];
const counts = (): ModeCounts => ({ auto: 0, ask: 0, require_approval: 0, deny: 0 });

/** A candidate policy given as text (YAML or JSON) or as a parsed document, validated. */
export function candidatePolicy(candidate: unknown): PolicyDocument {
  return typeof candidate === 'string' ? parsePolicyText(candidate, 'policy') : parsePolicy(candidate, 'policy');
}

/**
 * Replays the proposals of the last `days` days (default 30) under a candidate policy: the mode each met when proposed
 * (`before`), the mode the candidate gives it (`after`, with the action type's own risk where this instance knows the
 * type; a proposal the action type raised from `auto` to `ask` is raised again), and the ones that differ.
 */
export async function simulatePolicy(
  deps: { store: Store; workspace: string; clock: () => Date; catalogue: ActionCatalogue },
  candidate: unknown,
  options: { days?: number } = {},
): Promise<PolicySimulation> {
  const days = options.days ?? 30;
  if (!Number.isInteger(days) || days < 1 || days > 3650)
    throw new TeamStateError('invalid_argument', `days: expected a whole number of days from 1 to 3650, got ${days}`);
  const policy = compilePolicy(candidatePolicy(candidate));
  const since = deps.clock().getTime() - days * DAY_MS;
  const { rows } = await deps.store.execute(
    `SELECT id, action_type, target, mode, risk, escalation FROM approvals WHERE workspace = ? AND created_at >= ?
     ORDER BY created_at, id`,
    [deps.workspace, since],
  );
  const result: PolicySimulation = { days, proposals: 0, before: counts(), after: counts(), changed: [] };
  for (const row of proposalRow.all(rows)) {
    const action = deps.catalogue.find(row.action_type);
    const ruled = policy.resolve(action ?? { type: row.action_type, risk: row.risk }).mode;
    const after: PolicyMode = ruled === 'auto' && row.escalation !== undefined ? 'ask' : ruled;
    result.proposals++;
    if (MODES.includes(row.mode)) result.before[row.mode]++;
    result.after[after]++;
    if (after !== row.mode) result.changed.push({ approvalId: row.id, type: row.action_type, target: row.target, before: row.mode, after });
  }
  return result;
}
