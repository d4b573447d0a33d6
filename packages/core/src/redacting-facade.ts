import { redactFields } from './kernel/text/redact-fields.js';
import type { TeamState } from './team-state-facade.js';

// The one place free text is masked for readers (`limits.pii_redaction`): every read of the facade that SDK users, the
// MCP server, the CLI and the Slack answers call returns its result through `redactFields`, so a new surface built on
// the facade cannot forget it. Stored data is never touched, and what is not a read for a person passes through as is:
// the bundle export and a person's data export (complete by contract), writes and their inputs, approvals (an approver
// decides on the exact action), the audit ledger, tokens and OAuth (credentials the caller must get intact), settings.
const PASSED: ReadonlySet<string> = new Set([
  'store',
  'connectors',
  'policy',
  'now',
  'workspace',
  'redact',
  'as',
  'close',
  'export',
  'import',
  'importFile',
  'sync',
  'syncLease',
  'freshness',
  'records',
  'webhooks',
  'approvals',
  'actions',
  'audit',
  'retention',
  'tokens',
  'oauth',
  'settings',
  'resolvePeople',
  'linkAccount',
]);
// In `ts.people`: a person's data export and erasure, and the account links, whose answers are ids.
const PASSED_PEOPLE: ReadonlySet<string> = new Set(['export', 'erase', 'resolve', 'linkedTo', 'link', 'optOut', 'optIn', 'optOuts']);

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';

type Wrapped = Map<unknown, unknown>;

/**
 * A namespace whose functions return their results through `redact` (nested namespaces too), except `passed` names. A
 * function reached twice (`ts.timeline` is `ts.reports.timeline`) gets one wrapper, so aliases stay the same function.
 */
function redactingNamespace<T extends object>(
  namespace: T,
  redact: <V>(value: V) => V,
  wrapped: Wrapped,
  passed: ReadonlySet<string> = new Set(),
): T {
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(namespace)) {
    if (passed.has(name)) out[name] = member;
    else if (typeof member === 'function') {
      if (!wrapped.has(member)) {
        const wrapper = (...args: unknown[]) => {
          const result: unknown = member.apply(namespace, args);
          return isThenable(result) ? Promise.resolve(result).then(redact) : redact(result);
        };
        // A callable namespace (`ts.forecast` and `ts.forecast.backtest`) keeps its members, redacted the same way.
        wrapped.set(member, Object.assign(wrapper, redactingNamespace(member, redact, wrapped)));
      }
      out[name] = wrapped.get(member);
    } else if (isPlainObject(member))
      out[name] = redactingNamespace(member, redact, wrapped, name === 'people' ? PASSED_PEOPLE : undefined);
    else out[name] = member;
  }
  return out as T;
}

/**
 * The facade as readers get it under a policy whose `limits.pii_redaction` is not `off`: the same facade, each read's
 * result passed through `ts.redact` (free-text fields only; ids, keys, timestamps and numbers stay), and `as(viewer)`
 * redacting too. `inner` keeps serving the features themselves, which compute on the stored text.
 */
export function redactingFacade(inner: TeamState): TeamState {
  const redact = inner.redact;
  return { ...redactingNamespace(inner, redact, new Map(), PASSED), as: (viewer) => redactingFacade(inner.as(viewer)) };
}

/** The `redact` of a facade: free-text fields of any value passed through `text` (identity when `text` is). */
export function redactorOf(text: ((value: string) => string) | undefined): <V>(value: V) => V {
  return text === undefined ? (value) => value : (value) => redactFields(value, text);
}
