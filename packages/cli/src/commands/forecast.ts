import { type Forecast, formatNumber, safeText } from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { UsageError } from '../errors.js';
import { printJson, withTeamState } from '../runtime.js';
import { renderTable } from '../table.js';

/** The percentiles as a table, the history they come from, and the backtest beside them. */
function render(forecast: Forecast): string {
  const { basis } = forecast;
  const what =
    'until' in forecast.target
      ? `items done by ${forecast.target.until}`
      : `${forecast.target.items} items${forecast.target.epic ? ` of ${forecast.target.epic}` : ''}`;
  const out = [
    `Forecast for ${forecast.team}: ${what}`,
    `From ${basis.items} ${basis.counted === 'issues' ? 'issues' : 'merged pull requests'} done in the ${basis.weeks} weeks ${basis.from} to ${basis.to} (${formatNumber(basis.perDay)} a day); ${forecast.simulations.toLocaleString('en-US')} runs, seed ${forecast.seed}${forecast.absentDays > 0 ? `; ${forecast.absentDays} people-days away` : ''}.`,
  ];
  if (forecast.status !== 'ok') {
    out.push('', `No forecast: ${forecast.reason}.`);
    return `${out.join('\n')}\n`;
  }
  out.push(
    '',
    'until' in forecast.target
      ? renderTable(
          ['chance', 'at least'],
          forecast.percentiles.map((p) => [`${p.p} %`, `${p.items} items`]),
        )
      : renderTable(
          ['chance', 'done by', 'days from today'],
          forecast.percentiles.map((p) => [`${p.p} %`, p.date ?? 'not within 10 years', p.days === undefined ? '—' : p.days.toString()]),
        ),
  );
  if (forecast.backtest) out.push('', `Backtest: ${forecast.backtest.text}.`);
  return `${out.join('\n')}\n`;
}

const whole = (flag: string, value: string | undefined) => {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag}: expected a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
};

/** `teamstate forecast` (docs/plans.md#forecasts). */
export const registerForecast: RegisterCommand = (program, ctx) => {
  program
    .command('forecast')
    .description('when N items or an epic will be done, or how many items by a date: Monte Carlo percentiles with their backtest')
    .requiredOption('--team <team>', 'the team')
    .option('--items <n>', 'how many items')
    .option('--epic <key>', 'an epic: its items that are not done')
    .option('--until <date>', 'a date (YYYY-MM-DD): how many items by then')
    .option('--weeks <n>', 'weeks of history (default 12)')
    .option('--simulations <n>', 'simulated runs (default 10000)')
    .option('--seed <n>', 'random seed: one seed, one answer (default 1)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate forecast --team payments --items 30\n  $ teamstate forecast --team payments --epic PAY-1 --json\n  $ teamstate forecast --team payments --until 2026-12-31',
    )
    .action(
      ctx.action(
        async (
          globals,
          options: { team: string; items?: string; epic?: string; until?: string; weeks?: string; simulations?: string; seed?: string },
        ) => {
          const query = {
            team: options.team,
            ...(options.items !== undefined ? { items: whole('--items', options.items) } : {}),
            ...(options.epic !== undefined ? { epic: options.epic } : {}),
            ...(options.until !== undefined ? { until: options.until } : {}),
            ...(options.weeks !== undefined ? { weeks: whole('--weeks', options.weeks) } : {}),
            ...(options.simulations !== undefined ? { simulations: whole('--simulations', options.simulations) } : {}),
            ...(options.seed !== undefined ? { seed: whole('--seed', options.seed) } : {}),
          };
          return withTeamState(globals, ctx.io, async (ts) => {
            const forecast = await ts.forecast(query);
            if (globals.json) printJson(ctx.io, forecast);
            else ctx.io.stdout(safeText(render(forecast)));
            return 0;
          });
        },
      ),
    );
};
