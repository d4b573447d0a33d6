import { randomBytes } from 'node:crypto';
import { type Span, trace } from '@opentelemetry/api';
import { z } from 'zod';

/** Where a proposal came from, recorded on its approval: the model that proposed it and the trace it belongs to. */
export interface ProposalProvenance {
  modelVersion?: string;
  /** 32 hex digits. */
  traceId: string;
}

/** `modelVersion` as a proposal may carry it: free text a client or assistant names itself with. */
export const modelVersionSchema = z.string().trim().min(1, { error: 'must not be empty' }).max(200).optional();

/**
 * The trace id of a proposal's `teamstate.propose` span, so an approval can be found in the traces; where no
 * OpenTelemetry SDK is registered the span is a no-op without one, and a random id (the same format) stands in, so
 * every approval carries one.
 */
export function proposalTraceId(span: Span): string {
  const context = span.spanContext();
  return trace.isSpanContextValid(context) ? context.traceId : randomBytes(16).toString('hex');
}
