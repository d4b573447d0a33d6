import { type OncallHealth, safeText } from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { printJson, withTeamState } from '../runtime.js';
import { renderTable } from '../table.js';

/** The people on call in the window, most paged first. */
function render(health: OncallHealth): string {
  const head = `On-call load${health.team ? ` of ${health.team}` : ''} from ${health.window.from.slice(0, 10)} to ${health.window.to.slice(0, 10)}`;
  if (health.people.length === 0) return `${head}: nobody was on call in this window.\n`;
  const rows = health.people.map((p) => [
    p.person,
    p.shifts.toString(),
    p.pages.toString(),
    p.afterHoursPages.toString(),
    p.sleepHoursPages.toString(),
    p.weekendPages.toString(),
    p.consecutiveWeeks.toString(),
  ]);
  return `${head}\n${renderTable(['Person', 'Shifts', 'Pages', 'After hours', 'Sleep hours', 'Weekend', 'Weeks in a row'], rows)}\n`;
}

/** `teamstate oncall` (docs/oncall-health.md). */
export const registerOncall: RegisterCommand = (program, ctx) => {
  program
    .command('oncall')
    .description("who carries the pager: each person's shifts, pages, after-hours, sleep-hour and weekend pages, weeks in a row")
    .option('--team <team>', 'only the members of this team')
    .option('--from <when>', 'start: an ISO timestamp or a day YYYY-MM-DD (default: 28 days before --to)')
    .option('--to <when>', 'end, exclusive: an ISO timestamp or a day YYYY-MM-DD (default: now)')
    .addHelpText('after', '\nExamples:\n  $ teamstate oncall\n  $ teamstate oncall --team payments --from 2026-10-01 --json')
    .action(
      ctx.action(async (globals, options: { team?: string; from?: string; to?: string }) =>
        withTeamState(globals, ctx.io, async (ts) => {
          const health = await ts.oncall.health({
            ...(options.team !== undefined ? { team: options.team } : {}),
            ...(options.from !== undefined ? { from: options.from } : {}),
            ...(options.to !== undefined ? { to: options.to } : {}),
          });
          if (globals.json) printJson(ctx.io, health);
          else ctx.io.stdout(safeText(render(health)));
          return 0;
        }),
      ),
    );
};
