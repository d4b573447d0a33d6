import type { ApprovalStatus, TeamState } from '@teamstate/core';
import { reminderMessage } from './report-blocks.js';

/** Who asks for reminder DMs on the approval ledger; that requester can never approve one. */
export const REMINDER_REQUESTER = 'teamstate-reminders';

/** What one pass of {@link sendReportReminders} did, person by person. */
export interface ReminderOutcome {
  person: string;
  day: string;
  /** `sent` with the DM's approval status (`executed`, or `pending` when the policy asks a person), or why not. */
  outcome: 'sent' | 'no_slack_account';
  status?: ApprovalStatus;
  approval?: string;
}

/**
 * Sends the daily report reminders that are due (the policy's `reminders.reports`, `ts.reports.reminders.due()`):
 * each person and local day is claimed first, so nobody gets two for a day, then a DM with a "Write my report"
 * button (it opens the report modal) is proposed as `slack.dm.send` through the policy. People without a linked
 * Slack account are skipped. `teamstate serve` runs this every minute.
 *
 * @example const outcomes = await sendReportReminders(ts)
 */
export async function sendReportReminders(ts: Pick<TeamState, 'reports' | 'actions'>): Promise<ReminderOutcome[]> {
  const outcomes: ReminderOutcome[] = [];
  for (const due of await ts.reports.reminders.due()) {
    if (!due.slackUser) {
      outcomes.push({ person: due.person, day: due.day, outcome: 'no_slack_account' });
      continue;
    }
    if (!(await ts.reports.reminders.claim(due))) continue;
    const message = reminderMessage(due.day);
    const approval = await ts.actions.propose({
      type: 'slack.dm.send',
      target: due.person,
      params: { user: due.slackUser, text: message.text, blocks: message.blocks },
      reason: `daily report reminder for ${due.day} (team ${due.team} opted in: reminders.reports in the policy)`,
      requestedBy: REMINDER_REQUESTER,
    });
    await ts.reports.reminders.sent(due, approval.id);
    outcomes.push({ person: due.person, day: due.day, outcome: 'sent', status: approval.status, approval: approval.id });
  }
  return outcomes;
}
