import { errorMessage } from '../../kernel/errors.js';
import { isTerminalApprovalStatus } from '../../kernel/model/derived.js';
import type { InValue } from '../../kernel/store/driver.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, text } from '../../kernel/store/row-decoder.js';
import type { ApprovalChannel, ApprovalChannelContext } from '../../spec/approval-channel.js';
import type { ApprovalDeps } from './approval-deps.js';
import { approvalFromRow, approvalRow } from './approval-row.js';
import { expireOverdue } from './reconcile-approvals.js';

/** What one `ts.approvals.publish()` pass did, by approval id. */
export interface PublishResult {
  /** Pending approvals shown in a channel for the first time (one entry per message). */
  shown: string[];
  /** Messages brought up to date with a changed approval. */
  updated: string[];
  /** Approvals a channel failed to show or update; retried on a later pass. */
  failed: string[];
}

/** What publishing remembers between passes in one process. */
export interface PublishState {
  /** Per channel id: no calls before this time (epoch ms), after a rate limit. */
  pausedUntil: Map<string, number>;
}

/** A claim on posting that is still open this long after it was taken belongs to a process that died. */
const CLAIM_LEASE_MS = 2 * 60_000;
/** At most this many approvals per channel and pass, so one pass stays short. */
const BATCH = 50;

/** The message columns `updateChanged` reads next to the approval's (`a.*`). */
const messageRow = columns({ message_destination: text, message_ref: text, message_version: integer });
const personRow = columns({ id: text });
const accountRow = columns({ person_id: text, external_id: text });
const emailRow = columns({ id: text, email: text });

/** Creates the state {@link publishApprovals} keeps between passes. */
export function createPublishState(): PublishState {
  return { pausedUntil: new Map() };
}

/**
 * One pass over the approval channels: expires overdue approvals, shows every pending approval that a
 * channel has not shown yet, and updates every message whose approval changed since it was shown, until
 * the message shows a terminal status. Posting is claimed in the database first (one row per approval,
 * channel and destination), so processes sharing a database never show an approval twice; a claim left by
 * a process that died while posting is released after two minutes.
 */
export async function publishApprovals(
  deps: ApprovalDeps,
  channels: readonly ApprovalChannel[],
  state: PublishState,
): Promise<PublishResult> {
  const result: PublishResult = { shown: [], updated: [], failed: [] };
  if (channels.length === 0) return result;
  const { store, workspace, clock } = deps;
  await expireOverdue(deps);
  await writeOne(store, 'DELETE FROM approval_messages WHERE workspace = ? AND message_id IS NULL AND settled = 0 AND claimed_at <= ?', [
    workspace,
    clock().getTime() - CLAIM_LEASE_MS,
  ]);
  const ctx = channelContext(deps);
  for (const channel of channels) {
    if ((state.pausedUntil.get(channel.id) ?? 0) > clock().getTime()) continue;
    const pass: ChannelPass = { deps, channel, ctx, result, paused: (error) => pauseOnRateLimit(deps, state, channel, error) };
    await showNew(pass);
    await updateChanged(pass);
  }
  return result;
}

/** One channel's part of a pass. */
interface ChannelPass {
  deps: ApprovalDeps;
  channel: ApprovalChannel;
  ctx: ApprovalChannelContext;
  result: PublishResult;
  /** True when `error` paused the channel (a rate limit): the rest of the pass skips it. */
  paused(error: unknown): boolean;
}

async function showNew({ deps, channel, ctx, result, paused }: ChannelPass): Promise<void> {
  const { store, workspace, clock, log } = deps;
  const pending = await store.execute(
    `SELECT a.* FROM approvals a WHERE a.workspace = ?1 AND a.status = 'pending'
       AND NOT EXISTS (SELECT 1 FROM approval_messages m WHERE m.workspace = ?1 AND m.approval_id = a.id AND m.channel = ?2)
     ORDER BY a.created_at, a.id LIMIT ?3`,
    [workspace, channel.id, BATCH],
  );
  for (const row of approvalRow.all(pending.rows)) {
    const approval = approvalFromRow(row);
    let destinations: string[];
    try {
      destinations = [...new Set(await channel.destinations(approval, ctx))];
    } catch (error) {
      log.warn(`approval channel ${channel.id}: cannot tell where to show ${approval.id}`, { error: errorMessage(error) });
      result.failed.push(approval.id);
      if (paused(error)) return;
      continue;
    }
    // An approval shown nowhere gets one settled row, so it is not asked about again.
    const claimed = await store.write(async (tx) => {
      const now = clock().getTime();
      const won: string[] = [];
      for (const destination of destinations.length > 0 ? destinations : ['']) {
        const inserted = await tx.execute({
          sql: `INSERT INTO approval_messages (workspace, approval_id, channel, destination, settled, claimed_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (workspace, approval_id, channel, destination) DO NOTHING`,
          args: [workspace, approval.id, channel.id, destination, destination === '' ? 1 : 0, now, now],
        });
        if (inserted.rowsAffected === 1 && destination !== '') won.push(destination);
      }
      return won;
    });
    for (const destination of claimed) {
      try {
        const messageId = await channel.show(approval, destination, ctx);
        await writeOne(
          store,
          `UPDATE approval_messages SET message_id = ?, shown_version = ?, shown_status = ?, updated_at = ?
           WHERE workspace = ? AND approval_id = ? AND channel = ? AND destination = ?`,
          [messageId, row.version, approval.status, clock().getTime(), workspace, approval.id, channel.id, destination],
        );
        result.shown.push(approval.id);
      } catch (error) {
        // Released, so a later pass tries again.
        await writeOne(store, 'DELETE FROM approval_messages WHERE workspace = ? AND approval_id = ? AND channel = ? AND destination = ?', [
          workspace,
          approval.id,
          channel.id,
          destination,
        ]);
        log.warn(`approval channel ${channel.id}: showing ${approval.id} at ${destination} failed`, { error: errorMessage(error) });
        result.failed.push(approval.id);
        if (paused(error)) return;
      }
    }
  }
}

async function updateChanged({ deps, channel, ctx, result, paused }: ChannelPass): Promise<void> {
  const { store, workspace, clock, log } = deps;
  const changed = await store.execute(
    `SELECT m.destination AS message_destination, m.message_id AS message_ref, m.shown_version AS message_version, a.*
     FROM approval_messages m JOIN approvals a ON a.workspace = m.workspace AND a.id = m.approval_id
     WHERE m.workspace = ? AND m.channel = ? AND m.settled = 0 AND m.message_id IS NOT NULL AND a.version <> m.shown_version
     ORDER BY a.created_at, a.id LIMIT ?`,
    [workspace, channel.id, BATCH],
  );
  for (const row of changed.rows) {
    const stored = approvalRow.one(row);
    const approval = approvalFromRow(stored);
    const message = messageRow.one(row);
    const destination = message.message_destination;
    try {
      await channel.update(approval, { destination, messageId: message.message_ref }, ctx);
    } catch (error) {
      log.warn(`approval channel ${channel.id}: updating the message of ${approval.id} at ${destination} failed`, {
        error: errorMessage(error),
      });
      result.failed.push(approval.id);
      if (paused(error)) return;
      continue;
    }
    // Conditional on the version read, so a slower process cannot record an older state over a newer one.
    await writeOne(
      store,
      `UPDATE approval_messages SET shown_version = ?, shown_status = ?, settled = ?, updated_at = ?
       WHERE workspace = ? AND approval_id = ? AND channel = ? AND destination = ? AND shown_version = ?`,
      [
        stored.version,
        approval.status,
        isTerminalApprovalStatus(approval.status) ? 1 : 0,
        clock().getTime(),
        workspace,
        approval.id,
        channel.id,
        destination,
        message.message_version,
      ],
    );
    result.updated.push(approval.id);
  }
}

// One statement in a write transaction: the store serializes writers (and waits on other processes' locks).
async function writeOne(store: Store, sql: string, args: InValue[]): Promise<void> {
  await store.write((tx) => tx.execute({ sql, args }));
}

// An error that says how long to wait (a rate limit) pauses the channel; the rest of the pass skips it.
function pauseOnRateLimit(deps: ApprovalDeps, state: PublishState, channel: ApprovalChannel, error: unknown): boolean {
  const retryAfterMs = typeof error === 'object' && error !== null ? (error as { retryAfterMs?: unknown }).retryAfterMs : undefined;
  if (typeof retryAfterMs !== 'number' || !Number.isFinite(retryAfterMs) || retryAfterMs < 0) return false;
  state.pausedUntil.set(channel.id, deps.clock().getTime() + retryAfterMs);
  return true;
}

/** The context handed to approval channels. */
export function channelContext(deps: ApprovalDeps): ApprovalChannelContext {
  const { store, workspace } = deps;
  return {
    workspace,
    log: deps.log,
    now: deps.clock,
    canModify: (type) => deps.catalogue.find(type) !== undefined,
    async approvers(approval) {
      if (approval.mode !== 'require_approval' || approval.approvers.length === 0) return [];
      const teams = approval.approvers.filter((ref) => ref.startsWith('team:')).map((ref) => ref.slice('team:'.length));
      const people = approval.approvers.filter((ref) => !ref.startsWith('team:'));
      const ids: string[] = [];
      if (people.length > 0) {
        const direct = await store.execute(`SELECT id FROM people WHERE workspace = ? AND id IN (${people.map(() => '?').join(', ')})`, [
          workspace,
          ...people,
        ]);
        ids.push(...personRow.all(direct.rows).map((row) => row.id));
      }
      if (teams.length > 0) {
        const members = await store.execute(
          `SELECT person_id AS id FROM memberships WHERE workspace = ? AND team_id IN (${teams.map(() => '?').join(', ')})`,
          [workspace, ...teams],
        );
        ids.push(...personRow.all(members.rows).map((row) => row.id));
      }
      return [...new Set(ids)].filter((id) => id !== approval.requestedBy).sort();
    },
    async accounts(provider, personIds) {
      const found = new Map<string, string[]>();
      if (personIds.length === 0) return found;
      const rows = await store.execute(
        `SELECT person_id, external_id FROM accounts WHERE workspace = ? AND provider = ? AND person_id IN (${personIds.map(() => '?').join(', ')})
         ORDER BY person_id, external_id`,
        [workspace, provider, ...personIds],
      );
      for (const { person_id: person, external_id: account } of accountRow.all(rows.rows)) {
        found.set(person, [...(found.get(person) ?? []), account]);
      }
      return found;
    },
    async emails(personIds) {
      const found = new Map<string, string>();
      if (personIds.length === 0) return found;
      const rows = await store.execute(
        `SELECT id, email FROM people WHERE workspace = ? AND email IS NOT NULL AND id IN (${personIds.map(() => '?').join(', ')})`,
        [workspace, ...personIds],
      );
      for (const { id, email } of emailRow.all(rows.rows)) found.set(id, email);
      return found;
    },
  };
}
