import { columns, nullable, text } from '../../kernel/store/row-decoder.js';
import { isWithinWorkingHours } from '../../services/working-hours/index.js';
import type { OnboardingDeps, OnboardingMessage, OnboardingPlan } from './onboarding-model.js';
import { listJoiners, planOnboarding, rowsOf } from './onboarding-plan.js';

const slackRow = columns({ person: text, slack: text, zone: nullable(text) });

/** The plan as a short Slack message. */
function messageText(plan: OnboardingPlan, forLead: boolean): string {
  return [
    forLead
      ? `${plan.person.name} joined on ${plan.joinedAt.slice(0, 10)}; here is their onboarding plan.`
      : `Welcome, ${plan.person.name}! Your onboarding plan:`,
    plan.documents.length > 0
      ? `Read: ${plan.documents
          .slice(0, 3)
          .map((d) => d.title)
          .join('; ')}`
      : '',
    plan.people.length > 0
      ? `Meet: ${plan.people
          .slice(0, 4)
          .map((c) => c.person.name)
          .join(', ')}`
      : '',
    plan.starterIssues.length > 0
      ? `Start with: ${plan.starterIssues
          .slice(0, 3)
          .map((s) => `${s.key} ${s.title}`)
          .join('; ')}`
      : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * Proposes, through the policy, a Slack DM (`slack.dm.send`) with the plan to each recent joiner and to their leads,
 * once per joiner and recipient (recorded before proposing, so a restart or a second process never sends twice).
 * A joiner is someone with an explicit `joinedAt` in the last 60 days: people whose first activity is recent are not
 * messaged (a freshly imported organisation is not everyone joining). Each message waits for its recipient's working
 * hours, in their time zone (a later pass sends it); recipients without a Slack account are left out.
 */
export async function proposeOnboardingMessages(
  deps: OnboardingDeps,
  options: { requestedBy?: string } = {},
): Promise<OnboardingMessage[]> {
  const out: OnboardingMessage[] = [];
  const now = deps.clock().getTime();
  for (const joiner of await listJoiners(deps, { declared: true })) {
    const plan = await planOnboarding(deps, joiner.id);
    const recipients = [{ id: joiner.id, lead: false }, ...plan.leads.map((l) => ({ id: l.id, lead: true }))];
    const slack = await slackUsers(
      deps,
      recipients.map((r) => r.id),
    );
    for (const recipient of recipients) {
      const profile = slack.get(recipient.id);
      if (!profile) continue;
      // Quiet hours: only inside the recipient's working hours, in their own time zone; unclaimed, a later pass sends it.
      const hours = profile.timeZone === null ? deps.workingHours : { ...deps.workingHours, timeZone: profile.timeZone };
      if (!isWithinWorkingHours(now, hours)) continue;
      const user = profile.slack;
      // Claimed before proposing: of two processes, only one proposes it.
      const claimed = await deps.store.execute(
        'INSERT INTO onboarding_messages (workspace, person_id, recipient_id, proposed_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
        [deps.workspace, joiner.id, recipient.id, now],
      );
      if (claimed.rowsAffected !== 1) continue;
      const approval = await deps.propose({
        type: 'slack.dm.send',
        target: user,
        params: { user, text: (deps.redact ?? String)(messageText(plan, recipient.lead)) },
        reason: `onboarding plan of ${joiner.id}`,
        requestedBy: options.requestedBy ?? 'teamstate',
      });
      out.push({ person: joiner.id, recipient: recipient.id, approval: approval.id, status: approval.status });
    }
  }
  return out;
}

/** Each person's Slack user id and time zone, of those who have a Slack account. */
async function slackUsers(
  deps: OnboardingDeps,
  people: readonly string[],
): Promise<Map<string, { slack: string; timeZone: string | null }>> {
  const rows = await rowsOf(
    deps,
    slackRow,
    `SELECT a.person_id AS person, min(a.external_id) AS slack, p.time_zone AS zone FROM accounts a
       JOIN people p ON p.workspace = a.workspace AND p.id = a.person_id
     WHERE a.workspace = ?1 AND a.provider = 'slack' AND a.person_id IN (SELECT value FROM json_each(?2)) GROUP BY a.person_id`,
    [deps.workspace, JSON.stringify(people)],
  );
  return new Map(rows.map((r) => [r.person, { slack: r.slack, timeZone: r.zone }]));
}
