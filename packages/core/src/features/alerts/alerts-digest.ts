import { TeamStateError } from '../../kernel/errors.js';
import type { Approval } from '../../kernel/model/derived.js';
import { localDay, wallClock } from '../../kernel/model/local-day.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, text } from '../../kernel/store/row-decoder.js';
import { emailSubject } from '../../kernel/text/email-subject.js';
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

/** A digest posted (or proposed) in a pass: to the team's channel, or by email to `recipient` (a person). */
export interface DigestPosted {
  team: string;
  approval: string;
  status: Approval['status'];
  /** Set for an email digest: the member Slack cannot reach who got it. */
  recipient?: string;
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

/** What posting the digests needs: the store, the policy's proposals, and whether Slack and email are configured. */
interface DigestDeps {
  store: Store;
  workspace: string;
  propose(proposal: ActionProposal): Promise<Approval>;
  canPropose(type: string): boolean;
  requestedBy: string;
}

const memberRow = columns({ person: text, email: text });

/**
 * Each team's daily digest of what waits on its people (reviews waiting, CI failed), posted to the digest's channel as
 * `slack.message.post` through the policy, once per team and day from `time` (both on `timeZone`'s wall clock, so
 * summer time moves the UTC instant, not the local one), recorded before the proposal. With an email connector, each
 * member Slack cannot reach (no Slack account, or no Slack connector) who has an email address and has not turned
 * alerts off gets it as `email.send`, once per team, day and person, claimed the same way.
 */
export async function postDigests(
  deps: DigestDeps,
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
  const slack = deps.canPropose('slack.message.post');
  const posted: DigestPosted[] = [];
  for (const team of teams) {
    const mine = items.filter((i) => i.team === team);
    const event = `digest:${team}:${day}`;
    if (slack && (await claim(deps, event, digest.channel, now))) {
      const line = (i: DigestItem) =>
        `• ${i.kind === 'review_requested' ? `review by ${i.person} waiting` : `CI failed for ${i.person}`}: ${escapeMrkdwn(i.title)}`;
      const approval = await deps.propose({
        type: 'slack.message.post',
        target: digest.channel,
        params: { channel: digest.channel, text: digestText(team, mine, line) },
        reason: `daily digest of team ${team}`,
        requestedBy: deps.requestedBy,
      });
      posted.push({ team, approval: approval.id, status: approval.status });
    }
    if (!deps.canPropose('email.send')) continue;
    const plain = (i: DigestItem) =>
      `- ${i.kind === 'review_requested' ? `review by ${i.person} waiting` : `CI failed for ${i.person}`}: ${i.title}`;
    for (const member of await emailMembers(deps, team, deps.canPropose('slack.dm.send'))) {
      if (!(await claim(deps, event, member.person, now))) continue;
      const approval = await deps.propose({
        type: 'email.send',
        target: member.person,
        params: { to: member.email, subject: emailSubject(`Daily digest for ${team}`), text: digestText(team, mine, plain) },
        reason: `daily digest of team ${team}`,
        requestedBy: deps.requestedBy,
      });
      posted.push({ team, approval: approval.id, status: approval.status, recipient: member.person });
    }
  }
  return posted;
}

/** The digest's text: what waits, the first 20 items one a line. */
function digestText(team: string, mine: readonly DigestItem[], line: (item: DigestItem) => string): string {
  return mine.length === 0
    ? `Daily digest for ${team}: nothing waiting.`
    : `Daily digest for ${team}: ${mine.length} waiting\n${mine.slice(0, 20).map(line).join('\n')}${mine.length > 20 ? `\n…and ${mine.length - 20} more` : ''}`;
}

/** Records `event` as sent to `recipient` unless it was: true when this call did (so only one process proposes it). */
async function claim(deps: DigestDeps, event: string, recipient: string, now: number): Promise<boolean> {
  const claimed = await deps.store.execute(
    `INSERT INTO alerts_sent (workspace, event, recipient, kind, sent_at) VALUES (?, ?, ?, 'daily_digest', ?) ON CONFLICT DO NOTHING`,
    [deps.workspace, event, recipient, now],
  );
  return claimed.rowsAffected === 1;
}

/** The team's members with an email address Slack cannot reach (all of them when Slack is not configured), alerts on. */
async function emailMembers(deps: DigestDeps, team: string, slackConfigured: boolean) {
  const { rows } = await deps.store.execute(
    `SELECT p.id AS person, p.email FROM memberships m JOIN people p ON p.workspace = m.workspace AND p.id = m.person_id
     WHERE m.workspace = ?1 AND m.team_id = ?2 AND p.email IS NOT NULL AND p.email <> ''
       AND NOT EXISTS (SELECT 1 FROM alerts_muted x WHERE x.workspace = p.workspace AND x.person_id = p.id)
       AND (?3 = 0 OR NOT EXISTS (SELECT 1 FROM accounts a WHERE a.workspace = p.workspace AND a.person_id = p.id AND a.provider = 'slack'))
     ORDER BY p.id`,
    [deps.workspace, team, slackConfigured ? 1 : 0],
  );
  return memberRow.all(rows);
}
