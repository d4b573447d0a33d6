import { TeamStateError, unknownId } from '../../kernel/errors.js';
import { parseDuration } from '../../kernel/model/duration.js';
import { appendAuditEvent } from '../../services/audit/index.js';
import { getSignal, type StoredSignal } from './read-signals.js';
import { checkSignalAccess, signalNotFound } from './signal-access.js';
import type { SignalsContext } from './signals-context.js';

/** The input of `ts.signals.ack()`. */
export interface SignalAck {
  /** Who acknowledges: a person id. */
  by: string;
  /** Who owns acting on it (a person id; default `by`). */
  owner?: string;
}

/** The input of `ts.signals.snooze()`: `for` (a duration such as `2d`, `4h`) or `until` (an ISO timestamp). */
export interface SignalSnooze {
  /** Who snoozes: a person id. */
  by: string;
  for?: string;
  until?: string;
}

/** The input of `ts.signals.unack()`. */
export interface SignalUnack {
  /** Who takes the acknowledgement back: a person id. */
  by: string;
}

/** A person id an ack or snooze names: refused with the field when nobody has it. */
async function knownPerson(ctx: SignalsContext, field: string, id: unknown): Promise<string> {
  if (typeof id !== 'string' || id.length === 0)
    throw new TeamStateError('invalid_argument', `${field}: expected a person id (who acts on the signal), got ${JSON.stringify(id)}`);
  const { rows } = await ctx.store.execute('SELECT 1 FROM people WHERE workspace = ? AND id = ?', [ctx.workspace, id]);
  if (rows.length === 0) throw unknownId(field, id, [], { what: 'person', list: 'never' });
  return id;
}

/** The signal id an ack, snooze or unack names: a non-empty string. */
function signalId(id: unknown): string {
  if (typeof id !== 'string' || id.length === 0)
    throw new TeamStateError(
      'invalid_argument',
      `signal: expected a signal id (its fingerprint, as signals list shows it), got ${JSON.stringify(id)}`,
    );
  return id;
}

/** What one triage step writes: the columns it sets and what its ledger entry says. */
interface TriageChange {
  type: 'signal.ack' | 'signal.snooze' | 'signal.unack';
  set: string;
  args: (string | number | null)[];
  data: Record<string, unknown>;
}

/**
 * The one path of every ack, snooze and unack, whatever the surface (SDK, CLI, MCP, Slack buttons): `by` must be a
 * known person allowed to ({@link checkSignalAccess}); an ack or snooze needs an open signal; the change and its
 * audit entry are written in one transaction. Returns the signal as the facade's viewer reads it.
 */
async function triage(ctx: SignalsContext, rawId: unknown, by: string, change: (open: boolean) => TriageChange): Promise<StoredSignal> {
  const id = signalId(rawId);
  const signal = await checkSignalAccess(ctx, id, by);
  const step = change(signal.status === 'open');
  await ctx.store.write(async (tx) => {
    await tx.execute({
      sql: `UPDATE signals SET ${step.set} WHERE workspace = ? AND fingerprint = ?`,
      args: [...step.args, ctx.workspace, id],
    });
    await appendAuditEvent(tx, ctx.workspace, ctx.writeClock().getTime(), {
      type: step.type,
      actor: by,
      data: { signal: id, kind: signal.kind, ...step.data },
    });
  });
  const stored = await getSignal(ctx, id);
  if (!stored) throw signalNotFound(id);
  return stored;
}

/** Refuses an ack or snooze of a resolved signal. */
function assertOpen(open: boolean, id: unknown, what: string): void {
  if (!open) throw new TeamStateError('invalid_argument', `signal: "${String(id)}" is already resolved; nothing to ${what}`);
}

/**
 * Acknowledges an open signal as `by`, who becomes its owner unless `owner` names someone else. Returns the signal
 * as the facade's viewer reads it.
 */
export async function ackSignal(ctx: SignalsContext, id: string, input: SignalAck): Promise<StoredSignal> {
  const by = await knownPerson(ctx, 'by', input?.by);
  const owner = input.owner === undefined ? by : await knownPerson(ctx, 'owner', input.owner);
  const at = ctx.clock().getTime();
  return triage(ctx, id, by, (open) => {
    assertOpen(open, id, 'acknowledge');
    return { type: 'signal.ack', set: 'acked_by = ?, acked_at = ?, owner = ?', args: [by, at, owner], data: { owner } };
  });
}

/**
 * Takes an acknowledgement and a snooze back as `by`: working agreements nudge about the signal again. The owner
 * stays. Allowed to the same people as an ack.
 */
export async function unackSignal(ctx: SignalsContext, id: string, input: SignalUnack): Promise<StoredSignal> {
  const by = await knownPerson(ctx, 'by', input?.by);
  return triage(ctx, id, by, () => ({
    type: 'signal.unack',
    set: 'acked_by = NULL, acked_at = NULL, snoozed_until = NULL',
    args: [],
    data: {},
  }));
}

/** When a snooze ends: `now` plus its `for`, or its `until`; refused unless exactly one of them is given and valid. */
function snoozeEnd(ctx: SignalsContext, input: SignalSnooze, now: number): number {
  if ((input.for === undefined) === (input.until === undefined))
    throw new TeamStateError('invalid_argument', 'for: give either for (a duration such as 2d or 4h) or until (an ISO timestamp)');
  if (input.for !== undefined) {
    const ms = typeof input.for === 'string' ? parseDuration(input.for) : undefined;
    if (ms === undefined)
      throw new TeamStateError('invalid_argument', `for: expected a duration such as 4h, 2d or 30m, got ${JSON.stringify(input.for)}`);
    return now + ms;
  }
  const parsed = typeof input.until === 'string' ? ctx.parseUntil(input.until) : undefined;
  if (parsed === undefined || parsed <= now)
    throw new TeamStateError('invalid_argument', `until: expected an ISO timestamp after now, got ${JSON.stringify(input.until)}`);
  return parsed;
}

/** Snoozes an open signal until its end ({@link snoozeEnd}); `by` becomes its owner when it has none. */
export async function snoozeSignal(ctx: SignalsContext, id: string, input: SignalSnooze): Promise<StoredSignal> {
  const by = await knownPerson(ctx, 'by', input?.by);
  const until = snoozeEnd(ctx, input, ctx.clock().getTime());
  return triage(ctx, id, by, (open) => {
    assertOpen(open, id, 'snooze');
    return {
      type: 'signal.snooze',
      set: 'snoozed_until = ?, owner = COALESCE(owner, ?)',
      args: [until, by],
      data: { snoozedUntil: new Date(until).toISOString() },
    };
  });
}
