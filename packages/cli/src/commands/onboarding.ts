import { type OnboardingPlan, safeText } from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { printJson, withTeamState } from '../runtime.js';

const step = (label: string, m: OnboardingPlan['progress']['firstReview']) =>
  `  ${label}: ${m === null ? 'not yet' : `${m.at.slice(0, 10)}, ${m.days} days after joining`}`;

/** The plan as sections: read, meet, start with, progress. */
function render(plan: OnboardingPlan): string {
  const out = [
    `Onboarding of ${plan.person.name} (${plan.person.id}), joined ${plan.joinedAt.slice(0, 10)} (${plan.joinedFrom}); teams: ${plan.teams.join(', ') || '—'}`,
    '',
    'Read:',
    ...(plan.documents.length === 0 ? ['  (no documents found)'] : plan.documents.map((d) => `  ${d.title}  ${d.uri}`)),
    '',
    'Meet:',
    ...(plan.people.length === 0
      ? ['  (nobody found)']
      : plan.people.map((c) => `  ${c.person.name} (${c.person.id}): ${c.reasons.join('; ')}`)),
    '',
    'Start with:',
    ...(plan.starterIssues.length === 0 ? ['  (no starter issues)'] : plan.starterIssues.map((s) => `  ${s.key}  ${s.title} (${s.why})`)),
    '',
    `Progress, ${plan.progress.daysSinceJoining} days in (${plan.progress.pullRequests} pull requests):`,
    step('first pull request', plan.progress.firstPullRequest),
    step('first review', plan.progress.firstReview),
    step('tenth pull request', plan.progress.tenthPullRequest),
  ];
  return `${out.join('\n')}\n`;
}

/** `teamstate onboarding <person>` (docs/plans.md#onboarding). */
export const registerOnboarding: RegisterCommand = (program, ctx) => {
  program
    .command('onboarding <person>')
    .description('a recent joiner’s onboarding plan: documents, people to meet, starter issues, progress')
    .addHelpText('after', '\nExample:\n  $ teamstate onboarding dee --json')
    .action(
      ctx.action(async (globals, person: string) =>
        withTeamState(globals, ctx.io, async (ts) => {
          const plan = await ts.onboarding.plan(person);
          if (globals.json) printJson(ctx.io, plan);
          else ctx.io.stdout(safeText(render(plan)));
          return 0;
        }),
      ),
    );
};
