import {
  type Attributes,
  type Counter,
  type Histogram,
  type Link,
  metrics,
  type Span,
  type SpanContext,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { redactSecrets } from '../text/redact-secrets.js';

/**
 * The instrumentation scope of teamstate's spans and metrics. Only `@opentelemetry/api` is used: with no SDK
 * registered by the application, every span and measurement is a no-op.
 */
export const INSTRUMENTATION_SCOPE = 'teamstate';

/** Span and metric names (docs/observability.md). */
export const SPANS = {
  propose: 'teamstate.propose',
  waitForApproval: 'teamstate.wait_for_approval',
  execute: 'teamstate.execute',
  sync: 'teamstate.sync',
  webhook: 'teamstate.webhook',
} as const;

/** Attribute names shared by the spans and metrics. */
export const ATTRIBUTES = {
  approvalId: 'teamstate.approval.id',
  actionType: 'teamstate.action.type',
  status: 'teamstate.approval.status',
} as const;

/** How many recent proposals' span contexts are kept, to link their wait and execution spans to them. */
const REMEMBERED_PROPOSALS = 1_000;

/** The instruments and span helpers of one `TeamState`. */
export interface Telemetry {
  /** `teamstate.approval.latency`: milliseconds from a proposal to a person's decision. */
  readonly approvalLatency: Histogram;
  /** `teamstate.approval.decisions`: decisions by `decision` (approve, decline, modify) and `overridden`. */
  readonly approvalDecisions: Counter;
  /** `teamstate.actions`: actions carried out, by `mode` (auto: the policy ran it; human: a person approved it). */
  readonly actions: Counter;
  /** `teamstate.nudges` (Prometheus `teamstate_nudges_total`): working agreement nudges proposed, by `stage`. */
  readonly nudges: Counter;
  /** Remembers the span of an approval's proposal (in this process), so its wait and execution link to it. */
  rememberProposal(approvalId: string, span: Span): void;
  /** A link to the proposal span of the approval, when this process proposed it. */
  linksTo(approvalId: string): Link[];
}

/**
 * Creates the instruments on the global meter provider, at once: an application that registers a provider before
 * `createTeamState()` sees them exported before any traffic (with zero counts).
 */
export function createTelemetry(): Telemetry {
  const meter = metrics.getMeter(INSTRUMENTATION_SCOPE);
  const approvalLatency = meter.createHistogram('teamstate.approval.latency', {
    description: 'Time from a proposal to the decision of a person',
    unit: 'ms',
  });
  const approvalDecisions = meter.createCounter('teamstate.approval.decisions', {
    description: 'Decisions on approvals, by decision and whether it overrode the proposal (decline or modify)',
  });
  const actions = meter.createCounter('teamstate.actions', {
    description: 'Actions carried out, by mode: auto (the policy ran it) or human (a person approved it)',
  });
  const nudges = meter.createCounter('teamstate.nudges', {
    description: 'Working agreement nudges proposed, by stage: nudge or escalate',
  });
  // Counters show up at zero before the first decision or action, so a dashboard has a series from the start.
  approvalDecisions.add(0);
  actions.add(0);
  nudges.add(0);
  const proposals = new Map<string, SpanContext>();
  return {
    approvalLatency,
    approvalDecisions,
    actions,
    nudges,
    rememberProposal(approvalId, span) {
      const spanContext = span.spanContext();
      if (!trace.isSpanContextValid(spanContext)) return;
      proposals.set(approvalId, spanContext);
      if (proposals.size > REMEMBERED_PROPOSALS) proposals.delete(proposals.keys().next().value as string);
    },
    linksTo(approvalId) {
      const spanContext = proposals.get(approvalId);
      return spanContext ? [{ context: spanContext, attributes: { [ATTRIBUTES.approvalId]: approvalId } }] : [];
    },
  };
}

/**
 * Runs `run` inside an active span named `name`: an error it throws is recorded on the span (its message passed
 * through `redactSecrets`) and marks the span as an error, then rethrown.
 */
export function inSpan<T>(name: string, options: { attributes?: Attributes; links?: Link[] }, run: (span: Span) => Promise<T>): Promise<T> {
  return trace.getTracer(INSTRUMENTATION_SCOPE).startActiveSpan(name, options, async (span) => {
    try {
      return await run(span);
    } catch (error) {
      recordSpanError(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Starts a span named `name` that the caller ends (`span.end()`): for work done for many items at once, one span per
 * item (a batch of proposals written in one transaction), where {@link inSpan}'s one active span cannot be.
 */
export function startSpan(name: string): Span {
  return trace.getTracer(INSTRUMENTATION_SCOPE).startSpan(name);
}

/** Records `error` on `span` (its message passed through `redactSecrets`) and marks the span as an error. */
export function recordSpanError(span: Span, error: unknown): void {
  const message = redactSecrets(error instanceof Error ? error.message : String(error));
  span.recordException({ name: error instanceof Error ? error.name : 'Error', message });
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}
