import { columns, text } from '../../kernel/store/row-decoder.js';
import type { OnboardingDeps, OnboardingMessage, OnboardingPlan } from './onboarding-model.js';
import { listJoiners, planOnboarding, rowsOf } from './onboarding-plan.js';

const slackRow = columns({ person: text, slack: text });

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
 * Recipients without a Slack account are left out.
 */
export async function proposeOnboardingMessages(
  deps: OnboardingDeps,
  options: { requestedBy?: string } = {},
): Promise<OnboardingMessage[]> {
  const out: OnboardingMessage[] = [];
  for (const joiner of await listJoiners(deps)) {
    const plan = await planOnboarding(deps, joiner.id);
    const recipients = [{ id: joiner.id, lead: false }, ...plan.leads.map((l) => ({ id: l.id, lead: true }))];
    const slack = await slackUsers(
      deps,
      recipients.map((r) => r.id),
    );
    for (const recipient of recipients) {
      const user = slack.get(recipient.id);
      if (!user) continue;
      // Claimed before proposing: of two processes, only one proposes it.
      const claimed = await deps.store.execute(
        'INSERT INTO onboarding_messages (workspace, person_id, recipient_id, proposed_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
        [deps.workspace, joiner.id, recipient.id, deps.clock().getTime()],
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

/** Each person's Slack user id, of those who have a Slack account. */
async function slackUsers(deps: OnboardingDeps, people: readonly string[]): Promise<Map<string, string>> {
  const rows = await rowsOf(
    deps,
    slackRow,
    `SELECT person_id AS person, min(external_id) AS slack FROM accounts WHERE workspace = ?1 AND provider = 'slack'
     AND person_id IN (SELECT value FROM json_each(?2)) GROUP BY person_id`,
    [deps.workspace, JSON.stringify(people)],
  );
  return new Map(rows.map((r) => [r.person, r.slack]));
}
