import { type OnboardingPlan, safeText } from '@teamstate/core';

/** Who counts as a recent joiner: joined in the last 60 days (as `ts.onboarding.joiners()` decides). */
const ONBOARDING_DAYS = 60;

import type { RegisterCommand } from '../command-context.js';
import { printJson, withTeamState } from '../runtime.js';
import { selfName } from '../self-command.js';
import { renderTable } from '../table.js';

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

/** `teamstate onboarding <person>` and `teamstate onboarding joiners` (docs/plans.md#onboarding). */
export const registerOnboarding: RegisterCommand = (program, ctx) => {
  const onboarding = program
    .command('onboarding')
    .description('onboarding: who joined recently (joiners), and a recent joiner’s plan (onboarding <person>)');
  // `onboarding <person>` is the default subcommand, so `onboarding dee` keeps working beside `onboarding joiners`.
  onboarding
    .command('plan <person>', { isDefault: true })
    .description('a recent joiner’s onboarding plan: documents, people to meet, starter issues, progress')
    .addHelpText('after', '\nExamples:\n  $ teamstate onboarding dee\n  $ teamstate onboarding plan dee --json')
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
  onboarding
    .command('joiners')
    .description(`the people who joined in the last ${ONBOARDING_DAYS} days, newest first: who has an onboarding plan`)
    .addHelpText('after', '\nExample:\n  $ teamstate onboarding joiners --json')
    .action(
      ctx.action(async (globals) =>
        withTeamState(globals, ctx.io, async (ts) => {
          const joiners = await ts.onboarding.joiners();
          if (globals.json) printJson(ctx.io, { joiners });
          else if (joiners.length === 0) ctx.io.stdout(`Nobody joined in the last ${ONBOARDING_DAYS} days.\n`);
          else
            ctx.io.stdout(
              `${renderTable(
                ['ID', 'NAME', 'JOINED'],
                joiners.map((j) => [j.id, j.name, j.joinedAt.slice(0, 10)]),
              )}\n\nSee a plan with \`${selfName()} onboarding <person>\`.\n`,
            );
          return 0;
        }),
      ),
    );
};
