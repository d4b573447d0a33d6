import { TeamStateError, unknownId } from '../../kernel/errors.js';
import { parseDuration } from '../../kernel/model/duration.js';
import { getSignal, type StoredSignal } from './read-signals.js';
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

/** A person id an ack or snooze names: refused with the field when nobody has it. */
async function knownPerson(ctx: SignalsContext, field: string, id: unknown): Promise<string> {
  if (typeof id !== 'string' || id.length === 0)
    throw new TeamStateError('invalid_argument', `${field}: expected a person id (who acts on the signal), got ${JSON.stringify(id)}`);
  const { rows } = await ctx.store.execute('SELECT 1 FROM people WHERE workspace = ? AND id = ?', [ctx.workspace, id]);
  if (rows.length === 0) throw unknownId(field, id, [], { what: 'person', list: 'never' });
  return id;
}

/** The signal an ack or snooze is about: it must exist and be open. */
async function assertOpenSignal(ctx: SignalsContext, id: unknown): Promise<void> {
  if (typeof id !== 'string' || id.length === 0)
    throw new TeamStateError(
      'invalid_argument',
      `signal: expected a signal id (its fingerprint, as signals list shows it), got ${JSON.stringify(id)}`,
    );
  const { rows } = await ctx.store.execute('SELECT status FROM signals WHERE workspace = ? AND fingerprint = ?', [ctx.workspace, id]);
  const status = rows[0]?.status;
  if (status === undefined)
    throw new TeamStateError('not_found', `signal: no signal "${id}" (teamstate signals --json lists their fingerprints)`);
  if (status !== 'open') throw new TeamStateError('invalid_argument', `signal: "${id}" is already resolved; nothing to acknowledge`);
}

/**
 * Acknowledges an open signal as `by`, who becomes its owner unless `owner` names someone else. Returns the signal
 * as the facade's viewer reads it.
 */
export async function ackSignal(ctx: SignalsContext, id: string, input: SignalAck): Promise<StoredSignal> {
  const by = await knownPerson(ctx, 'by', input?.by);
  const owner = input.owner === undefined ? by : await knownPerson(ctx, 'owner', input.owner);
  const at = ctx.clock().getTime();
  await assertOpenSignal(ctx, id);
  await ctx.store.write(async (tx) => {
    await tx.execute({
      sql: "UPDATE signals SET acked_by = ?, acked_at = ?, owner = ? WHERE workspace = ? AND fingerprint = ? AND status = 'open'",
      args: [by, at, owner, ctx.workspace, id],
    });
  });
  return (await getSignal(ctx, id))!;
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
  await assertOpenSignal(ctx, id);
  await ctx.store.write(async (tx) => {
    await tx.execute({
      sql: "UPDATE signals SET snoozed_until = ?, owner = COALESCE(owner, ?) WHERE workspace = ? AND fingerprint = ? AND status = 'open'",
      args: [until, by, ctx.workspace, id],
    });
  });
  return (await getSignal(ctx, id))!;
}
