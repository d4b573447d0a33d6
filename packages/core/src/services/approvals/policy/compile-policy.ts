import { createHash } from 'node:crypto';
import type { PolicyMode, Risk } from '../../../kernel/model/derived.js';
import { parseDuration } from '../../../kernel/model/duration.js';
import { PII_REDACTION_LEVELS, type PiiRedaction } from '../../../kernel/text/redact-pii.js';
import { canonicalJson } from '../../audit/index.js';
import { compareSpecificity, matchesActionGlob } from './action-glob.js';
import { BUILTIN_POLICY_VERSION, BUILTIN_TTL_MS, builtinMode, POLICY_CHANGE } from './builtin-policy.js';
import { type PolicyDocument, parsePolicy } from './policy-document.js';

/** What the policy says about one action type. */
export interface PolicyRuling {
  mode: PolicyMode;
  risk: Risk;
  /** Person ids and `team:<id>` allowed to decide; empty means any known person but the requester. */
  approvers: string[];
  /** How long a pending approval waits before it expires. */
  ttlMs: number;
  /** Which key of the policy (or which built-in default) gave the mode and the risk, for explanations. */
  rule: { mode: string; risk: string };
  /** The most specific key setting `ask_if_channel_public` says true: a post to a public channel waits for a person. */
  askIfChannelPublic?: { rule: string };
}

/** A validated policy ready to answer questions; `hash` identifies its version. */
export interface Policy {
  readonly document: PolicyDocument;
  /** sha256 (hex) of the canonical document and the built-in defaults' version, recorded on every approval. */
  readonly hash: string;
  /** Numbers from `limits`, handed to executors. */
  readonly limits: Readonly<Record<string, number>>;
  /** `limits.pii_redaction`: how much free text readers see masked (default `standard`). */
  readonly piiRedaction: PiiRedaction;
  /**
   * Rules for an action type. `risk` is the action type's default risk, used when no policy key sets one;
   * `readOnly` marks reads, which the built-in defaults run at once.
   */
  resolve(action: { type: string; risk: Risk; readOnly?: boolean }): PolicyRuling;
}

/**
 * Validates a policy document (or takes the built-in defaults when `undefined`) and compiles it.
 *
 * @example
 * const policy = compilePolicy({ actions: { 'github.*': { mode: 'ask' }, 'github.pr.merge': { mode: 'require_approval' } } })
 * policy.resolve({ type: 'github.pr.merge', risk: 'medium' }).mode // 'require_approval'
 */
export function compilePolicy(input?: unknown): Policy {
  const document = parsePolicy(input);
  const hash = createHash('sha256')
    .update(canonicalJson({ builtin: BUILTIN_POLICY_VERSION, policy: document }))
    .digest('hex');
  const globs = Object.keys(document.actions ?? {}).sort(compareSpecificity);
  const mostSpecific = (type: string, field: 'mode' | 'risk' | 'ask_if_channel_public') =>
    globs.find((glob) => matchesActionGlob(glob, type) && document.actions?.[glob]?.[field] !== undefined);

  return {
    document,
    hash,
    limits: numbersOf(document.limits),
    piiRedaction: levelOf(document.limits?.pii_redaction),
    resolve(action) {
      if (action.type === POLICY_CHANGE) return policyChangeRuling(document);
      const modeGlob = mostSpecific(action.type, 'mode');
      const riskGlob = mostSpecific(action.type, 'risk');
      const builtin = builtinMode(action);
      const mode = modeGlob ? document.actions![modeGlob]!.mode! : builtin.mode;
      const risk = riskGlob ? document.actions![riskGlob]!.risk! : action.risk;
      const ttl = document.ttl?.[risk] ?? document.ttl?.default;
      const publicGlob = mostSpecific(action.type, 'ask_if_channel_public');
      return {
        mode,
        risk,
        approvers: [...(document.approvers?.[risk] ?? document.approvers?.default ?? [])],
        ttlMs: ttl === undefined ? BUILTIN_TTL_MS : parseDuration(ttl)!,
        rule: { mode: modeGlob ?? builtin.rule, risk: riskGlob ?? 'action type default' },
        ...(publicGlob && document.actions?.[publicGlob]?.ask_if_channel_public ? { askIfChannelPublic: { rule: publicGlob } } : {}),
      };
    },
  };
}

/** The numeric limits (what executors compare against), without the named settings such as `pii_redaction`. */
function numbersOf(limits: PolicyDocument['limits']): Record<string, number> {
  return Object.fromEntries(Object.entries(limits ?? {}).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));
}

/** `limits.pii_redaction` (checked when the document was parsed), `standard` when not set. */
function levelOf(value: string | number | undefined): PiiRedaction {
  return PII_REDACTION_LEVELS.find((level) => level === value) ?? 'standard';
}

/** A policy change waits for a high-risk approver whatever the document says: no policy can let its own changes through unreviewed. */
function policyChangeRuling(document: PolicyDocument): PolicyRuling {
  const ttl = document.ttl?.high ?? document.ttl?.default;
  const rule = 'built-in: policy changes';
  return {
    mode: 'require_approval',
    risk: 'high',
    approvers: [...(document.approvers?.high ?? document.approvers?.default ?? [])],
    ttlMs: ttl === undefined ? BUILTIN_TTL_MS : parseDuration(ttl)!,
    rule: { mode: rule, risk: rule },
  };
}
