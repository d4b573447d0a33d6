import { wallClock } from '../../kernel/model/local-day.js';
import type { InValue } from '../../kernel/store/driver.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, nullable, text } from '../../kernel/store/row-decoder.js';
import { checkKnown, invalid } from '../../records/arguments.js';
import type { PolicyDocument, Weekday } from '../../services/approvals/index.js';

/** A person who should be reminded to write their daily report now. */
export interface DueReminder {
  person: string;
  /** The person's local day the reminder is for (`YYYY-MM-DD`). */
  day: string;
  /** The opted-in team that makes them get reminders (the first, when they are in several). */
  team: string;
  /** The time zone the day and `at` were read in (the person's, else `UTC`). */
  timeZone: string;
  /** The person's Slack user id, when they have a linked Slack account. */
  slackUser?: string;
}

/** `ts.reports.reminders`: who is due a reminder, and at-most-once bookkeeping of the ones sent. */
export interface ReportReminders {
  /**
   * The members of the teams the policy opts in (`reminders.reports.teams`) whose local time is at or past
   * `reminders.reports.at` on one of `days`, who have not reported that local day, have not opted out of
   * `reminders`, and have not been reminded that day. Empty without `reminders.reports` in the policy.
   * @example const due = (await ts.reports.reminders.due()).map((d) => `${d.person} ${d.day}`)
   */
  due(): Promise<DueReminder[]>;
  /**
   * Claims the reminder of a person and day before it is sent: true the first time, false ever after (in this or any
   * process on the database), so nobody is reminded twice for a day, even across a restart.
   */
  claim(reminder: { person: string; day: string }): Promise<boolean>;
  /** Records the approval of the DM a claimed reminder was sent with. */
  sent(reminder: { person: string; day: string }, approvalId: string): Promise<void>;
}

const DAY_OF_WEEK: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const WORKING_DAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

/** A member of an opted-in team: their time zone, first such team and Slack user (NULL: none linked). */
const member = columns({ id: text, time_zone: nullable(text), team: text, slack: nullable(text) });
/** A person and day that has a report or a reminder already. */
const personDay = columns({ person_id: text, day: text });

/** Builds `ts.reports.reminders` over the policy's `reminders.reports`; `clock` is the injected clock. */
export function createReportReminders(deps: {
  store: Store;
  workspace: string;
  clock: () => Date;
  policy: PolicyDocument;
}): ReportReminders {
  const { store, workspace, clock } = deps;
  const settings = deps.policy.reminders?.reports;
  const execute = async (sql: string, args: InValue[]) => (await store.execute(sql, args)).rows;
  const key = (person: string, day: string) => `${person}\u0000${day}`;
  const checked = (reminder: { person: string; day: string }) => {
    if (typeof reminder?.person !== 'string' || reminder.person === '') throw invalid('person: expected a person id');
    if (typeof reminder.day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(reminder.day)) throw invalid('day: expected YYYY-MM-DD');
    return reminder;
  };

  return {
    async due() {
      if (!settings) return [];
      const [hour, minute] = settings.at.split(':').map(Number) as [number, number];
      const atMinutes = hour * 60 + minute;
      const days = settings.days ?? WORKING_DAYS;
      const now = clock().getTime();
      const teams = JSON.stringify(settings.teams);
      const members = await execute(
        `SELECT p.id, p.time_zone, min(m.team_id) AS team,
           (SELECT a.external_id FROM accounts a WHERE a.workspace = p.workspace AND a.person_id = p.id AND a.provider = 'slack' ORDER BY a.external_id LIMIT 1) AS slack
         FROM memberships m JOIN people p ON p.workspace = m.workspace AND p.id = m.person_id
         WHERE m.workspace = ? AND m.team_id IN (SELECT value FROM json_each(?))
           AND NOT EXISTS (SELECT 1 FROM person_opt_outs o WHERE o.workspace = p.workspace AND o.person_id = p.id AND o.kind = 'reminders')
         GROUP BY p.id ORDER BY p.id`,
        [workspace, teams],
      );
      const candidates: DueReminder[] = [];
      for (const row of member.all(members)) {
        const timeZone = row.time_zone ?? 'UTC';
        const wall = new Date(wallClock(now, timeZone));
        if (!days.includes(DAY_OF_WEEK[wall.getUTCDay()]!)) continue;
        if (wall.getUTCHours() * 60 + wall.getUTCMinutes() < atMinutes) continue;
        const day = wall.toISOString().slice(0, 10);
        candidates.push({
          person: row.id,
          day,
          team: row.team,
          timeZone,
          ...(row.slack === null ? {} : { slackUser: row.slack }),
        });
      }
      if (candidates.length === 0) return [];
      const dayList = JSON.stringify([...new Set(candidates.map((c) => c.day))]);
      const done = new Set(
        personDay
          .all(
            await execute(
              `SELECT person_id, day FROM reports WHERE workspace = ? AND day IN (SELECT value FROM json_each(?))
               UNION ALL SELECT person_id, day FROM report_reminders WHERE workspace = ? AND day IN (SELECT value FROM json_each(?))`,
              [workspace, dayList, workspace, dayList],
            ),
          )
          .map((row) => key(row.person_id, row.day)),
      );
      return candidates.filter((c) => !done.has(key(c.person, c.day)));
    },

    async claim(reminder) {
      const { person, day } = checked(reminder);
      await checkKnown((sql, args) => store.execute(sql, args), workspace, 'person', person);
      const result = await store.execute(
        `INSERT INTO report_reminders (workspace, person_id, day, sent_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (workspace, person_id, day) DO NOTHING`,
        [workspace, person, day, clock().getTime()],
      );
      return result.rowsAffected === 1;
    },

    async sent(reminder, approvalId) {
      const { person, day } = checked(reminder);
      await store.execute('UPDATE report_reminders SET approval_id = ? WHERE workspace = ? AND person_id = ? AND day = ?', [
        approvalId,
        workspace,
        person,
        day,
      ]);
    },
  };
}
