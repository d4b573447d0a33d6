import { type IncidentBrief, type IncidentSummary, safeText } from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { UsageError, wholeNumber } from '../errors.js';
import { colors, printJson, withTeamState } from '../runtime.js';

const oneLine = (text: string, max = 160) => safeText(text, { singleLine: true, maxLength: max });
const STATUSES = ['open', 'triggered', 'acknowledged', 'resolved'] as const;

function renderList(incidents: readonly IncidentSummary[], c: ReturnType<typeof colors>): string {
  if (incidents.length === 0) return 'No incidents.\n';
  const mark = (s: IncidentSummary['status']) => (s === 'resolved' ? c.green(s) : s === 'acknowledged' ? c.yellow(s) : c.red(s));
  return `${incidents
    .map(
      (i) =>
        `${oneLine(i.id, 60)}  ${mark(i.status)}  ${i.createdAt.slice(0, 16).replace('T', ' ')}  ${oneLine(i.title, 80)}${
          i.service ? c.dim(`  service ${oneLine(i.service, 40)}`) : ''
        }${i.team ? c.dim(`  team ${oneLine(i.team, 40)}`) : ''}`,
    )
    .join('\n')}\n`;
}

function renderBrief(brief: IncidentBrief, c: ReturnType<typeof colors>): string {
  const i = brief.incident;
  const out = [
    c.bold(`${oneLine(i.id, 60)}: ${oneLine(i.title)}`),
    `${i.status} · source ${oneLine(i.source, 40)}${i.service ? ` · service ${oneLine(i.service, 40)}` : ''}${i.team ? ` · team ${oneLine(i.team, 40)}` : ''} · began ${i.createdAt}`,
    '',
    c.bold('Suspects'),
  ];
  if (brief.suspects.length === 0) out.push('  none: no deployment of its service or team in the 24 hours before it began');
  for (const s of brief.suspects.slice(0, 5)) {
    out.push(`  ${oneLine(s.deployment, 60)}  score ${s.score}  ${oneLine(s.repository, 60)} (${oneLine(s.status, 20)}) ${s.finishedAt}`);
    for (const r of s.reasons) out.push(c.dim(`    - ${oneLine(r.text)} [${r.rows.map((row) => oneLine(row, 80)).join(', ')}]`));
  }
  out.push('', c.bold('Timeline'));
  for (const e of brief.timeline)
    out.push(
      `  ${e.at.slice(0, 16).replace('T', ' ')}  ${e.kind.padEnd(13)} ${oneLine(e.text)}${e.actor ? c.dim(` (${oneLine(e.actor, 60)})`) : ''}`,
    );
  out.push('', c.bold('People'));
  for (const p of brief.oncall) out.push(`  on call: ${oneLine(p.name, 60)} (${oneLine(p.role, 60)})`);
  for (const p of brief.responders) out.push(`  responder: ${oneLine(p.name, 60)}`);
  if (brief.oncall.length + brief.responders.length === 0) out.push('  none recorded');
  out.push('', c.bold('Runbooks'));
  for (const r of brief.runbooks)
    out.push(
      `  ${oneLine(r.title, 80)}${r.headingPath.length ? ` › ${oneLine(r.headingPath.join(' › '), 80)}` : ''}  ${c.dim(oneLine(r.uri, 120))}`,
    );
  if (brief.runbooks.length === 0) out.push('  none matched');
  out.push('', c.bold('Draft status update'), safeText(brief.drafts.statusUpdate).trimEnd());
  out.push('', c.dim('The draft postmortem: teamstate incident brief <id> --json (drafts.postmortem).'));
  return `${out.join('\n')}\n`;
}

/** `teamstate incident list|brief <id>`: incidents of every status, and one incident's brief. */
export const registerIncident: RegisterCommand = (program, ctx) => {
  const incident = program
    .command('incident')
    .description('incidents from PagerDuty, imports and GitHub: the list, and a brief naming the likely cause');
  incident
    .command('list')
    .description('incidents of every status, newest first')
    .option('--status <status>', `only ${STATUSES.join(', ')}`)
    .option('--team <id>', 'only this team')
    .option('--limit <n>', 'at most n incidents (1-500)', '100')
    .addHelpText('after', '\nExamples:\n  $ teamstate incident list --status open\n  $ teamstate incident list --json')
    .action(
      ctx.action(async (globals, options: { status?: string; team?: string; limit: string }) => {
        const limit = wholeNumber('--limit', options.limit);
        if (options.status !== undefined && !(STATUSES as readonly string[]).includes(options.status))
          throw new UsageError(`--status: expected one of ${STATUSES.join(', ')}, got "${options.status}"`);
        return withTeamState(globals, ctx.io, async (ts) => {
          const incidents = await ts.incidents.summaries({
            ...(options.status ? { status: options.status as (typeof STATUSES)[number] } : {}),
            ...(options.team ? { team: options.team } : {}),
            limit,
          });
          if (globals.json) printJson(ctx.io, { incidents });
          else ctx.io.stdout(renderList(incidents, colors(ctx.io)));
          return 0;
        });
      }),
    );
  incident
    .command('brief <id>')
    .description('timeline, ranked suspect deployments, on-call, runbooks and drafts that cite every line')
    .addHelpText('after', '\nExamples:\n  $ teamstate incident brief pd-Q1ABC\n  $ teamstate incident brief pd-Q1ABC --json')
    .action(
      ctx.action(async (globals, id: string) =>
        withTeamState(globals, ctx.io, async (ts) => {
          const brief = await ts.incidents.brief(id);
          if (globals.json) printJson(ctx.io, brief);
          else ctx.io.stdout(renderBrief(brief, colors(ctx.io)));
          return 0;
        }),
      ),
    );
};
