import { TeamStateError } from '../../kernel/errors.js';
import type { Approval } from '../../kernel/model/derived.js';
import { localDay, wallClock } from '../../kernel/model/local-day.js';
import type { Store } from '../../kernel/store/open-store.js';
import { escapeMrkdwn } from '../../kernel/text/escape-mrkdwn.js';
import type { ActionProposal } from '../../spec/interaction.js';

/**
 * `alerts.dailyDigest`: each listed team's digest goes to `channel` once a day from `time`, on the wall clock of the
 * workspace's time zone (`signals.workingHours.timeZone`, else UTC), like pulse rounds and working hours.
 */
export interface DigestSettings {
  time?: string;
  teams?: readonly string[];
  channel?: string;
}

/** An alert of the pass, with its pull request's team: what a team's digest lists. */
export interface DigestItem {
  kind: 'review_requested' | 'ci_failed';
  team: string | null;
  person: string;
  pullRequest: string;
  title: string;
}

/** A digest posted (or proposed) in a pass. */
export interface DigestPosted {
  team: string;
  approval: string;
  status: Approval['status'];
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** The digest settings checked: `undefined` when there is no digest. */
export function resolveDigest(settings: DigestSettings | undefined) {
  if (settings === undefined) return undefined;
  const time = TIME.exec(settings.time ?? '09:30');
  if (!time)
    throw new TeamStateError(
      'invalid_config',
      `alerts.dailyDigest.time: expected HH:MM (24-hour, the workspace's time zone), e.g. 09:30, got ${JSON.stringify(settings.time)}`,
    );
  if (typeof settings.channel !== 'string' || settings.channel === '')
    throw new TeamStateError(
      'invalid_config',
      'alerts.dailyDigest.channel: expected the Slack channel id the team digests go to, e.g. C0123ABCD',
    );
  return { minute: Number(time[1]) * 60 + Number(time[2]), teams: settings.teams, channel: settings.channel };
}

/**
 * Each team's daily digest of what waits on its people (reviews waiting, CI failed), posted to the digest's channel as
 * `slack.message.post` through the policy, once per team and day from `time` (both on `timeZone`'s wall clock, so
 * summer time moves the UTC instant, not the local one), recorded before the proposal.
 */
export async function postDigests(
  deps: { store: Store; workspace: string; propose(proposal: ActionProposal): Promise<Approval>; requestedBy: string },
  digest: NonNullable<ReturnType<typeof resolveDigest>>,
  items: readonly DigestItem[],
  now: number,
  timeZone: string,
): Promise<DigestPosted[]> {
  const local = new Date(wallClock(now, timeZone));
  if (local.getUTCHours() * 60 + local.getUTCMinutes() < digest.minute) return [];
  const day = localDay(now, timeZone);
  const teams =
    digest.teams ??
    (await deps.store.execute('SELECT id FROM teams WHERE workspace = ? ORDER BY id', [deps.workspace])).rows.map((r) => String(r.id));
  const posted: DigestPosted[] = [];
  for (const team of teams) {
    const claimed = await deps.store.execute(
      `INSERT INTO alerts_sent (workspace, event, recipient, kind, sent_at) VALUES (?, ?, ?, 'daily_digest', ?) ON CONFLICT DO NOTHING`,
      [deps.workspace, `digest:${team}:${day}`, digest.channel, now],
    );
    if (claimed.rowsAffected !== 1) continue;
    const mine = items.filter((i) => i.team === team);
    const line = (i: DigestItem) =>
      `• ${i.kind === 'review_requested' ? `review by ${i.person} waiting` : `CI failed for ${i.person}`}: ${escapeMrkdwn(i.title)}`;
    const text =
      mine.length === 0
        ? `Daily digest for ${team}: nothing waiting.`
        : `Daily digest for ${team}: ${mine.length} waiting\n${mine.slice(0, 20).map(line).join('\n')}${mine.length > 20 ? `\n…and ${mine.length - 20} more` : ''}`;
    const approval = await deps.propose({
      type: 'slack.message.post',
      target: digest.channel,
      params: { channel: digest.channel, text },
      reason: `daily digest of team ${team}`,
      requestedBy: deps.requestedBy,
    });
    posted.push({ team, approval: approval.id, status: approval.status });
  }
  return posted;
}
