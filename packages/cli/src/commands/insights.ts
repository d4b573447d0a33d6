import { type Allocation, type CapacityPlan, type Dependencies, formatNumber, safeText } from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { UsageError } from '../errors.js';
import { printJson, withTeamState } from '../runtime.js';
import { renderTable } from '../table.js';

// `teamstate allocation`, `capacity` and `deps` (docs/allocation.md).

const percent = (share: number) => `${formatNumber(share * 100)} %`;

/** Each team's effort per type, then its periods. */
function renderAllocation(answer: Allocation): string {
  const out = [`Allocation ${answer.window.from} to ${answer.window.to} (${answer.window.weekdays} weekdays)`];
  for (const team of answer.teams) {
    out.push('', `${team.team}: ${formatNumber(team.fte)} FTE`);
    out.push(
      renderTable(
        ['type', 'share', 'FTE', 'items', 'PRs'],
        team.types.map((t) => [t.type, percent(t.share), formatNumber(t.fte), t.items, t.prs]),
        { align: ['left', 'right', 'right', 'right', 'right'] },
      ),
    );
    if (team.periods?.length) {
      const types = team.types.map((t) => t.type);
      out.push(
        renderTable(
          ['period', 'FTE', ...types],
          team.periods.map((p) => [`${p.from}…${p.to}`, formatNumber(p.fte), ...p.types.map((t) => percent(t.share))]),
          { align: ['left', 'right', ...types.map(() => 'right' as const)] },
        ),
      );
    }
  }
  out.push('', `Unclassified (no rule matched; counted as feature): ${percent(answer.unclassified.share)}`);
  return `${out.join('\n')}\n`;
}

/** The verdict first, then the figures and the people. */
function renderCapacity(plan: CapacityPlan): string {
  const { throughput: t } = plan;
  const verdict = { fits: 'fits', at_risk: 'at risk', over: 'over capacity' }[plan.verdict];
  const out = [
    `Capacity of ${plan.team}, ${plan.window.sprint ? `sprint ${plan.window.sprint}, ` : ''}${plan.window.from} to ${plan.window.to} (${plan.window.weekdays} weekdays)`,
    `Committed ${plan.committed} items: ${verdict}. Expected to finish ${t.p50} (${t.p15} to ${t.p85}, 15th to 85th percentile).`,
    `From ${plan.basis.items} items done ${plan.basis.from} to ${plan.basis.to}; ${plan.simulations.toLocaleString('en-US')} runs, seed ${plan.seed}.`,
  ];
  if (plan.scenario) {
    const base = plan.scenario.baseline;
    const change = [
      plan.scenario.without.length ? `without ${plan.scenario.without.join(', ')}` : '',
      plan.scenario.add ? `with ${plan.scenario.add} more` : '',
    ].filter(Boolean);
    out.push(
      `Scenario ${change.join(' and ')}; unchanged: ${base.throughput.p50} (${base.throughput.p15} to ${base.throughput.p85}), ${base.verdict.replace('_', ' ')}.`,
    );
  }
  out.push(
    '',
    renderTable(
      ['person', 'available days'],
      plan.people.map((p) => [p.person, p.availableDays]),
      { align: ['left', 'right'] },
    ),
  );
  if (plan.withheldPeople) out.push(`${plan.withheldPeople} more people's absences are not yours to read.`);
  return `${out.join('\n')}\n`;
}

/** The chain both ways, and where to start. */
function renderDependencies(chain: Dependencies): string {
  const rows = (entries: Dependencies['blockedBy']) => entries.map((e) => [e.key, e.status, e.depth, e.owner ?? '—']);
  const out = [`${chain.item}${chain.cycle ? ' (its links form a cycle)' : ''}`];
  out.push(
    '',
    'Blocked by:',
    chain.blockedBy.length ? renderTable(['item', 'status', 'depth', 'owner'], rows(chain.blockedBy)) : '  nothing',
  );
  out.push('', 'Blocks:', chain.blocks.length ? renderTable(['item', 'status', 'depth', 'owner'], rows(chain.blocks)) : '  nothing');
  if (chain.roots.length) out.push('', `Start with: ${chain.roots.join(', ')}`);
  return `${out.join('\n')}\n`;
}

const whole = (flag: string, value: string | undefined) => {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag}: expected a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
};

/** `teamstate allocation`. */
export const registerAllocation: RegisterCommand = (program, ctx) => {
  program
    .command('allocation')
    .description('where the effort went by type of work (feature, bug, ktlo, debt, configured types), in FTE and shares')
    .option('--team <team>', 'one team (default every team)')
    .option('--from <day>', 'first day, YYYY-MM-DD (default 89 days before --to)')
    .option('--to <day>', 'last day, YYYY-MM-DD (default today)')
    .option('--by <period>', 'also split by week or month')
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate allocation --team payments\n  $ teamstate allocation --team payments --by month --json',
    )
    .action(
      ctx.action(async (globals, options: { team?: string; from?: string; to?: string; by?: string }) => {
        if (options.by !== undefined && options.by !== 'week' && options.by !== 'month')
          throw new UsageError(`--by: expected week or month, got ${JSON.stringify(options.by)}`);
        const by = options.by as 'week' | 'month' | undefined;
        return withTeamState(globals, ctx.io, async (ts) => {
          const answer = await ts.allocation({
            ...(options.team ? { team: options.team } : {}),
            ...(options.from ? { from: options.from } : {}),
            ...(options.to ? { to: options.to } : {}),
            ...(by ? { by } : {}),
          });
          if (globals.json) printJson(ctx.io, answer);
          else ctx.io.stdout(safeText(renderAllocation(answer)));
          return 0;
        });
      }),
    );
};

/** `teamstate capacity`. */
export const registerCapacity: RegisterCommand = (program, ctx) => {
  program
    .command('capacity')
    .description("a sprint's available days, expected throughput (p15/p50/p85) against what is committed, and what-if scenarios")
    .requiredOption('--team <team>', 'the team')
    .option('--sprint <id>', 'the sprint (default the active one, else the next)')
    .option('--from <day>', 'without a sprint: first day, YYYY-MM-DD')
    .option('--to <day>', 'without a sprint: last day, YYYY-MM-DD')
    .option('--scope <n>', 'items planned (instead of the sprint committed items)')
    .option('--without <person>', 'what if this person were not there (repeat for more)', (value: string, list: string[] = []) => [
      ...list,
      value,
    ])
    .option('--add <n>', 'what if this many more people joined')
    .option('--seed <n>', 'random seed: one seed, one answer (default 1)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate capacity --team payments\n  $ teamstate capacity --team payments --sprint pay-42 --without ana --json',
    )
    .action(
      ctx.action(
        async (
          globals,
          options: {
            team: string;
            sprint?: string;
            from?: string;
            to?: string;
            scope?: string;
            without?: string[];
            add?: string;
            seed?: string;
          },
        ) => {
          const query = {
            team: options.team,
            ...(options.sprint ? { sprint: options.sprint } : {}),
            ...(options.from ? { from: options.from } : {}),
            ...(options.to ? { to: options.to } : {}),
            ...(options.scope !== undefined ? { scope: whole('--scope', options.scope) } : {}),
            ...(options.without ? { without: options.without } : {}),
            ...(options.add !== undefined ? { add: whole('--add', options.add) } : {}),
            ...(options.seed !== undefined ? { seed: whole('--seed', options.seed) } : {}),
          };
          return withTeamState(globals, ctx.io, async (ts) => {
            const plan = await ts.capacity.plan(query);
            if (globals.json) printJson(ctx.io, plan);
            else ctx.io.stdout(safeText(renderCapacity(plan)));
            return 0;
          });
        },
      ),
    );
};

/** `teamstate deps <item>`. */
export const registerDeps: RegisterCommand = (program, ctx) => {
  program
    .command('deps <item>')
    .description('what blocks a work item and what it blocks, with depths and the roots to start from')
    .addHelpText('after', '\nExamples:\n  $ teamstate deps PAY-12\n  $ teamstate deps PAY-12 --json')
    .action(
      ctx.action(async (globals, item: string) =>
        withTeamState(globals, ctx.io, async (ts) => {
          const chain = await ts.workItems.dependencies(item);
          if (globals.json) printJson(ctx.io, chain);
          else ctx.io.stdout(safeText(renderDependencies(chain)));
          return 0;
        }),
      ),
    );
};
