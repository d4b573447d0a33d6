import { TeamStateError } from '../../kernel/errors.js';
import type { Approval } from '../../kernel/model/derived.js';
import { parseDuration } from '../../kernel/model/duration.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, nullable, text } from '../../kernel/store/row-decoder.js';
import { emailSubject } from '../../kernel/text/email-subject.js';
import { escapeMrkdwn } from '../../kernel/text/escape-mrkdwn.js';
import { checkKnown } from '../../records/arguments.js';
import { urlColumn } from '../../records/store/work-item-url.js';
import { isWithinWorkingHours, type WorkingHours } from '../../services/working-hours/index.js';
import type { ActionProposal } from '../../spec/interaction.js';
import { type DigestPosted, type DigestSettings, postDigests, resolveDigest } from './alerts-digest.js';

/**
 * Personal alerts (config `alerts:`, docs/people-health.md#personal-alerts): a DM to a reviewer whose requested review
 * has waited longer than `reviewRequested.after` (default `4h`; `false` turns it off), to an author whose CI failed
 * (`ciFailed`, default true).
 */
export interface AlertSettings {
  reviewRequested?: boolean | { after?: string };
  ciFailed?: boolean;
  dailyDigest?: DigestSettings;
}

/** One alert of a pass: to whom, about what, and what the policy did with its message. */
export interface AlertSent {
  person: string;
  kind: 'review_requested' | 'ci_failed';
  pullRequest: string;
  approval: string;
  status: Approval['status'];
}

/** What one pass of `ts.alerts.run()` did. */
export interface AlertsPass {
  sent: AlertSent[];
  /** Alerts waiting for their recipient's working hours (a later pass sends them). */
  deferred: number;
  /** Recipients neither Slack nor email can reach, or with alerts turned off. */
  skipped: { person: string; reason: 'no_slack_account' | 'alerts_off' }[];
  /** Team digests posted in this pass (`alerts.dailyDigest`). */
  digests: DigestPosted[];
}

/** `ts.alerts`. */
export interface Alerts {
  /**
   * One pass: every due alert proposed as a `slack.dm.send` through the policy (`email.send` to a person Slack cannot
   * reach who has an email address, when an email connector is configured), in the recipient's working hours,
   * at most once per event and recipient (recorded before the proposal, so a restart or a second process sends none).
   */
  run(options?: { requestedBy?: string }): Promise<AlertsPass>;
  /** Turns a person's alerts off (`teamstate alerts off --person <id>`); idempotent. */
  off(person: string): Promise<{ person: string; alerts: 'off' }>;
  /** Turns a person's alerts back on. */
  on(person: string): Promise<{ person: string; alerts: 'on' }>;
}

const DAY = 86_400_000;
/** Failed builds older than this are not alerted (a first pass over old history sends nothing stale). */
const CI_LOOKBACK = DAY;

const waitingRow = columns({ id: text, title: text, url: nullable(text), team: nullable(text), person: text, ready: integer });
const prRow = columns({ id: text, title: text, url: nullable(text), team: nullable(text), author: nullable(text) });
const profileRow = columns({ person: text, slack: nullable(text), email: nullable(text), zone: nullable(text), muted: integer });

/** The settings checked, with their defaults. */
export function resolveAlertSettings(settings: AlertSettings | undefined) {
  const s = settings ?? {};
  const review = s.reviewRequested ?? true;
  const after = typeof review === 'object' ? (review.after ?? '4h') : '4h';
  const afterMs = parseDuration(after);
  if (afterMs === undefined)
    throw new TeamStateError(
      'invalid_config',
      `alerts.reviewRequested.after: expected a duration such as 4h or 1d, got ${JSON.stringify(after)}`,
    );
  return { review: review !== false, afterMs, ciFailed: s.ciFailed ?? true, digest: resolveDigest(s.dailyDigest) };
}

/** A message naming the pull request by its title and link; the title is text from people, escaped so it cannot mention or format. */
const prLine = (title: string, url: string | null) => (url ? `“${escapeMrkdwn(title)}” (${url})` : `“${escapeMrkdwn(title)}”`);
/** The same for an email: plain text as it is (the email connector escapes the HTML part). */
const prPlain = (title: string, url: string | null) => (url ? `“${title}” (${url})` : `“${title}”`);

/** Builds `ts.alerts`. */
export function createAlerts(deps: {
  store: Store;
  workspace: string;
  clock: () => Date;
  settings?: AlertSettings;
  workingHours: WorkingHours;
  propose(proposal: ActionProposal): Promise<Approval>;
  /** Whether this instance can propose an action type (a Slack or email connector is configured). */
  canPropose(type: string): boolean;
  failedBuilds(since: number): Promise<{ pullRequest: string; commitSha: string; workflows: string[] }[]>;
}): Alerts {
  const { store, workspace: w } = deps;
  const settings = resolveAlertSettings(deps.settings);
  const profiles = async (people: readonly string[]) =>
    new Map(
      profileRow
        .all(
          (
            await store.execute(
              `SELECT p.id AS person, p.time_zone AS zone, p.email,
                 (SELECT min(external_id) FROM accounts a WHERE a.workspace = p.workspace AND a.person_id = p.id AND a.provider = 'slack') AS slack,
                 EXISTS (SELECT 1 FROM alerts_muted m WHERE m.workspace = p.workspace AND m.person_id = p.id) AS muted
               FROM people p WHERE p.workspace = ? AND p.id IN (SELECT value FROM json_each(?))`,
              [w, JSON.stringify([...new Set(people)])],
            )
          ).rows,
        )
        .map((r) => [r.person, r]),
    );

  return {
    async run(options = {}) {
      const now = deps.clock().getTime();
      const due = await dueAlerts(store, w, settings, deps.failedBuilds, now);
      const pass: AlertsPass = { sent: [], deferred: 0, skipped: [], digests: [] };
      const known = await profiles(due.map((d) => d.person));
      for (const alert of due) {
        const profile = known.get(alert.person);
        if (!profile) continue;
        if (profile.muted === 1) {
          pass.skipped.push({ person: alert.person, reason: 'alerts_off' });
          continue;
        }
        // Slack when the person is on it and Slack is configured, else email when they have an address and email is.
        const slack = profile.slack !== null && deps.canPropose('slack.dm.send') ? profile.slack : undefined;
        const email = slack === undefined && deps.canPropose('email.send') ? (profile.email ?? undefined) : undefined;
        if (!profile.slack && email === undefined) {
          pass.skipped.push({ person: alert.person, reason: 'no_slack_account' });
          continue;
        }
        const sent = await store.execute('SELECT 1 FROM alerts_sent WHERE workspace = ? AND event = ? AND recipient = ?', [
          w,
          alert.event,
          alert.person,
        ]);
        if (sent.rows.length > 0) continue;
        // In the recipient's working hours, in their zone; a later pass sends it.
        if (!isWithinWorkingHours(now, { ...deps.workingHours, timeZone: profile.zone ?? deps.workingHours.timeZone })) {
          pass.deferred++;
          continue;
        }
        // Claimed before proposing: of two processes (or a restart mid-pass), only one proposes it.
        const claimed = await store.execute(
          'INSERT INTO alerts_sent (workspace, event, recipient, kind, sent_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
          [w, alert.event, alert.person, alert.kind, now],
        );
        if (claimed.rowsAffected !== 1) continue;
        const approval = await deps.propose({
          ...(email !== undefined
            ? { type: 'email.send', target: alert.person, params: { to: email, subject: emailSubject(alert.subject), text: alert.plain } }
            : { type: 'slack.dm.send', target: profile.slack!, params: { user: profile.slack, text: alert.text } }),
          reason: `personal alert (${alert.kind.replace('_', ' ')}) about ${alert.pullRequest}`,
          requestedBy: options.requestedBy ?? 'teamstate-alerts',
        });
        pass.sent.push({
          person: alert.person,
          kind: alert.kind,
          pullRequest: alert.pullRequest,
          approval: approval.id,
          status: approval.status,
        });
      }
      if (settings.digest)
        pass.digests = await postDigests(
          {
            store,
            workspace: w,
            propose: deps.propose,
            canPropose: deps.canPropose,
            requestedBy: options.requestedBy ?? 'teamstate-alerts',
          },
          settings.digest,
          due,
          now,
          deps.workingHours.timeZone,
        );
      return pass;
    },

    async off(person) {
      await checkKnown((sql, args) => store.execute(sql, args), w, 'person', person);
      await store.execute('INSERT INTO alerts_muted (workspace, person_id, muted_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [
        w,
        person,
        deps.clock().getTime(),
      ]);
      return { person, alerts: 'off' as const };
    },

    async on(person) {
      await checkKnown((sql, args) => store.execute(sql, args), w, 'person', person);
      await store.execute('DELETE FROM alerts_muted WHERE workspace = ? AND person_id = ?', [w, person]);
      return { person, alerts: 'on' as const };
    },
  };
}

/** An alert due: its event key, recipient, kind, pull request (title and team, for the digest) and message. */
type DueAlert = {
  event: string;
  person: string;
  kind: AlertSent['kind'];
  pullRequest: string;
  /** The Slack message (mrkdwn, escaped). */
  text: string;
  /** The email's subject and plain text. */
  subject: string;
  plain: string;
  team: string | null;
  title: string;
};

/** Every alert the settings make due now: requested reviews waiting longer than `after`, and failed CI of the last day. */
async function dueAlerts(
  store: Store,
  w: string,
  settings: ReturnType<typeof resolveAlertSettings>,
  failedBuilds: (since: number) => Promise<{ pullRequest: string; commitSha: string; workflows: string[] }[]>,
  now: number,
): Promise<DueAlert[]> {
  const due: DueAlert[] = [];
  if (settings.review) {
    const waiting = waitingRow.all(
      (
        await store.execute(
          `SELECT wi.id, wi.title, ${urlColumn('wi')} AS url, wi.team_id AS team, rr.person_id AS person, COALESCE(wi.ready_at, wi.created_at) AS ready
           FROM review_requests rr JOIN work_items wi ON wi.workspace = rr.workspace AND wi.id = rr.work_item_id
           WHERE rr.workspace = ? AND wi.kind = 'pull_request' AND wi.state = 'open' AND COALESCE(wi.draft, 0) = 0
             AND COALESCE(wi.ready_at, wi.created_at) <= ? AND rr.person_id IS NOT wi.author_id
           ORDER BY ready, wi.id, rr.person_id`,
          [w, now - settings.afterMs],
        )
      ).rows,
    );
    for (const r of waiting) {
      const hours = Math.floor((now - r.ready) / 3_600_000);
      due.push({
        event: `review:${r.id}:${r.ready}`,
        person: r.person,
        kind: 'review_requested',
        pullRequest: r.id,
        team: r.team,
        title: r.title,
        text: `Your review was requested on ${prLine(r.title, r.url)}, waiting ${hours} hours.`,
        subject: `Review waiting: ${r.title}`,
        plain: `Your review was requested on ${prPlain(r.title, r.url)}, waiting ${hours} hours.`,
      });
    }
  }
  if (settings.ciFailed) {
    const failed = await failedBuilds(now - CI_LOOKBACK);
    const prs = new Map(
      prRow
        .all(
          (
            await store.execute(
              `SELECT id, title, ${urlColumn('work_items')} AS url, team_id AS team, author_id AS author FROM work_items WHERE workspace = ? AND state = 'open' AND id IN (SELECT value FROM json_each(?))`,
              [w, JSON.stringify([...new Set(failed.map((f) => f.pullRequest))])],
            )
          ).rows,
        )
        .map((r) => [r.id, r]),
    );
    for (const f of failed) {
      const pr = prs.get(f.pullRequest);
      if (!pr?.author) continue;
      due.push({
        event: `ci:${f.pullRequest}:${f.commitSha}`,
        person: pr.author,
        kind: 'ci_failed',
        pullRequest: f.pullRequest,
        team: pr.team,
        title: pr.title,
        text: `CI failed on ${prLine(pr.title, pr.url)}: ${escapeMrkdwn(f.workflows.join(', '))} (commit ${f.commitSha.slice(0, 7)}).`,
        subject: `CI failed: ${pr.title}`,
        plain: `CI failed on ${prPlain(pr.title, pr.url)}: ${f.workflows.join(', ')} (commit ${f.commitSha.slice(0, 7)}).`,
      });
    }
  }
  return due;
}
