import {
  formatMetricValue,
  formatPercent,
  formatPoints,
  formatWindow,
  type GoalLink,
  type GoalRowRef,
  type GoalsProgress,
  goalLinkKindSchema,
  safeText,
} from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { UsageError } from '../errors.js';
import { printJson, refuseNow, withTeamState } from '../runtime.js';
import { renderTable } from '../table.js';

const percent = (share: number | null) => (share === null ? '—' : formatPercent(share));
const items = (n: number) => `${n} item${n === 1 ? '' : 's'}`;
const rowsText = (rows: readonly GoalRowRef[]) => rows.map((r) => `    ${r.key}  ${r.title}`).join('\n');

/** Per goal its work and key results, then the allocation; with `--explain`, the rows behind each number. */
function render(progress: GoalsProgress): string {
  const window = formatWindow(progress.window);
  const out = [
    `Goals ${progress.team ? `of ${progress.team} ` : ''}for ${progress.period}`,
    `Linked work: all time, by its status now. Key results and allocation: in the window ${window}.`,
  ];
  if (progress.goals.length === 0) out.push('', '  (no goals; add one with teamstate goals add)');
  for (const { goal, work, keyResults } of progress.goals) {
    out.push('', `${goal.id}: ${goal.title}`);
    for (const [label, w] of [
      ['done', work.done],
      ['in progress', work.inProgress],
      ['left', work.left],
    ] as const) {
      out.push(`  ${label} (all time): ${items(w.count)}, ${formatPoints(w.points)}`);
      if (w.rows && w.rows.length > 0) out.push(rowsText(w.rows));
    }
    for (const kr of keyResults) {
      const m = kr.metric;
      const measured = m
        ? `${m.id} ${formatMetricValue(m.value, m.unit)} (target ${m.direction === 'up' ? '≥' : '≤'} ${formatMetricValue(m.target, m.unit)}${m.met === null ? '' : m.met ? ', met' : ', not met'})`
        : 'reported';
      out.push(`  key result ${kr.id}: ${kr.title}: ${measured}, progress ${percent(kr.progress)}`);
    }
  }
  const { mergedPullRequests: prs, donePoints: points } = progress.allocation;
  out.push(
    '',
    `Allocation in the window ${window}: ${prs.total} merged pull requests, ${formatPoints(points.total)} done (${items(points.items)})`,
  );
  const byGoal = new Map(points.shares.map((s) => [s.goal, s]));
  out.push(
    renderTable(
      ['goal', 'merged PRs', 'share', 'done points', 'share'],
      prs.shares.map((s) => {
        const p = byGoal.get(s.goal);
        return [
          s.goal,
          s.count.toString(),
          percent(s.share),
          formatPoints(p?.points ?? 0).replace(' points', ''),
          percent(p?.share ?? null),
        ];
      }),
    ),
  );
  for (const s of [...prs.shares, ...points.shares])
    if (s.rows && s.rows.length > 0)
      out.push(`  ${s.goal}: ${s.points === undefined ? 'merged pull requests' : 'done items'}`, rowsText(s.rows));
  return `${out.join('\n')}\n`;
}

/** `epic:PAY-1` → a link, or a usage error naming the flag. */
function parseLink(value: string): GoalLink {
  const at = value.indexOf(':');
  const kind = value.slice(0, at);
  const ref = value.slice(at + 1).trim();
  if (at < 0 || !goalLinkKindSchema.safeParse(kind).success || ref === '')
    throw new UsageError(
      `--link: expected <kind>:<ref> with kind one of ${goalLinkKindSchema.options.join('|')}, e.g. epic:PAY-1, got ${JSON.stringify(value)}`,
    );
  return { kind: kind as GoalLink['kind'], ref };
}

/** `teamstate goals list|progress|add` (docs/plans.md#goals). */
export const registerGoals: RegisterCommand = (program, ctx) => {
  const goals = program.command('goals').description('goals, the work linked to them and where the work went');

  goals
    .command('list')
    .description('goals, by id')
    .option('--team <team>', 'only this team’s')
    .option('--period <period>', 'only this period’s, e.g. 2026-Q4')
    .addHelpText('after', '\nExample:\n  $ teamstate goals list --team payments --json')
    .action(
      ctx.action(async (globals, options: { team?: string; period?: string }) =>
        withTeamState(globals, ctx.io, async (ts) => {
          const list = await ts.goals.list(options);
          if (globals.json) printJson(ctx.io, { goals: list });
          else
            ctx.io.stdout(
              safeText(
                list.length === 0
                  ? 'No goals.\n'
                  : `${renderTable(
                      ['id', 'title', 'team', 'period', 'links'],
                      list.map((g) => [g.id, g.title, g.team ?? '—', g.period, g.links.map((l) => `${l.kind}:${l.ref}`).join(', ')]),
                    )}\n`,
              ),
            );
          return 0;
        }),
      ),
    );

  goals
    .command('progress [id]')
    .description('linked work done, in progress and left, key results, and the allocation of merged PRs and done points')
    .option('--team <team>', 'the goals of this team (default: every team’s)')
    .option('--period <period>', 'e.g. 2026-Q4 (default: the current quarter)')
    .option('--explain', 'list the work items behind each number')
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate goals progress --team payments --period 2026-Q4\n  $ teamstate goals progress faster-checkout --explain',
    )
    .action(
      ctx.action(async (globals, id: string | undefined, options: { team?: string; period?: string; explain?: boolean }) =>
        withTeamState(globals, ctx.io, async (ts) => {
          if (id !== undefined && (options.team !== undefined || options.period !== undefined))
            throw new UsageError('--team, --period: a goal id names its own team and period; give either the id or --team/--period');
          const { explain, ...scope } = options;
          const progress = await ts.goals.progress(id ?? scope, { explain: explain === true });
          if (globals.json) printJson(ctx.io, progress);
          else ctx.io.stdout(safeText(render(progress)));
          return 0;
        }),
      ),
    );

  goals
    .command('add')
    .description('add a goal, or replace the goal with its id')
    .requiredOption('--id <id>', 'the goal id')
    .requiredOption('--title <text>', 'what the goal is')
    .requiredOption('--period <period>', 'e.g. 2026-Q4, 2026-H1, 2026-03, 2026')
    .option('--team <team>', 'the team it belongs to')
    .option('--owner <person>', 'who owns it')
    .option('--parent <goal>', 'the goal it serves')
    .option(
      '--link <kind:ref>',
      'work it covers: epic:PAY-1, label:checkout, project:PAY, milestone:"v2" (repeatable)',
      (v, all: string[]) => [...all, v],
      [],
    )
    .addHelpText(
      'after',
      '\nExample:\n  $ teamstate goals add --id faster-checkout --title "Faster checkout" --team payments --period 2026-Q4 --link epic:PAY-1',
    )
    .action(
      ctx.action(
        async (
          globals,
          options: { id: string; title: string; period: string; team?: string; owner?: string; parent?: string; link: string[] },
        ) => {
          refuseNow(globals, 'goals add');
          const links = options.link.map(parseLink);
          return withTeamState(globals, ctx.io, async (ts) => {
            const goal = await ts.goals.add({
              id: options.id,
              title: options.title,
              period: options.period,
              ...(options.team ? { team: options.team } : {}),
              ...(options.owner ? { owner: options.owner } : {}),
              ...(options.parent ? { parent: options.parent } : {}),
              links,
            });
            if (globals.json) printJson(ctx.io, goal);
            else ctx.io.stdout(safeText(`Goal ${goal.id} saved (${goal.period}, ${goal.links.length} links).\n`));
            return 0;
          });
        },
      ),
    );
};
