import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { localDay, type Report, safeText, type TeamState } from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { UsageError, wholeNumber } from '../errors.js';
import type { Io } from '../io.js';
import { osUser } from '../os-user.js';
import { colors, printJson, refuseNow, withTeamState } from '../runtime.js';
import { renderTable } from '../table.js';

interface SubmitOptions {
  message?: string;
  file?: string;
  blockers?: string;
  day?: string;
  as?: string;
}

/** The lines `report submit` puts above the draft in the editor; removed from what is filed. */
const EDITOR_HEADER =
  '<!-- Your daily report, in markdown. Edit the draft below (it lists what teamstate saw you do today), add what blocks you, save and close. An empty file submits nothing. -->\n\n';

/** The report text: `-m`, `--file` (`-` for stdin), or the draft edited in `$VISUAL`/`$EDITOR` on a terminal. */
async function reportText(ts: TeamState, io: Io, person: string, options: SubmitOptions): Promise<string | undefined> {
  if (options.message !== undefined && options.file !== undefined) throw new UsageError('give the text once: -m <text> or --file <path>');
  if (options.message !== undefined) return options.message;
  if (options.file !== undefined) return readFileSync(options.file === '-' ? 0 : resolve(io.cwd, options.file), 'utf8');
  if (!io.isTTY || !process.stdin.isTTY)
    throw new UsageError('-m <text> or --file <path> is required when not on a terminal (on one, the draft opens in $EDITOR)');
  const draft = await ts.reports.draft(person, options.day ?? (await today(ts, person)));
  const dir = mkdtempSync(join(tmpdir(), 'teamstate-report-'));
  const file = join(dir, 'report.md');
  try {
    writeFileSync(file, `${EDITOR_HEADER}${draft.text}`, { mode: 0o600 });
    const editor = io.env.VISUAL || io.env.EDITOR || 'vi';
    // The editor command may carry flags (`code --wait`); the file is passed as its last argument, never through a shell.
    const [command, ...args] = editor.split(/\s+/).filter(Boolean);
    const edited = spawnSync(command!, [...args, file], { stdio: 'inherit', env: io.env });
    if (edited.error || edited.status !== 0)
      throw new UsageError(`$EDITOR (${command}) did not finish cleanly; nothing submitted (or use -m <text> / --file <path>)`);
    const text = readFileSync(file, 'utf8')
      .replace(EDITOR_HEADER, '')
      .replace(/^<!--[\s\S]*?-->\n*/, '');
    return text.trim() === '' ? undefined : text;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The person's local today, as `submit` would take it. */
async function today(ts: TeamState, person: string): Promise<string> {
  return localDay(ts.now().getTime(), (await ts.people.get(person))?.timeZone);
}

/**
 * Reports as a table, a report's lines one under the other. A search hit shows its snippet, whose matched words (marked `**` by the search) are bold on a
 * terminal and plain words elsewhere.
 */
function renderReports(reports: { report: Report; snippet?: string }[], io: Io): string {
  const rows = reports.map(({ report, snippet }) => [report.day, report.person, snippet ?? report.text, report.blockers ?? '']);
  const snippets = reports.some(({ snippet }) => snippet !== undefined);
  return `${renderTable(['Day', 'Person', 'Report', 'Blockers'], rows, {
    keep: [1],
    // A report's line breaks are real ones: each line under the Report (or Blockers) column.
    multiline: [2, 3],
    ...(snippets ? { marked: { columns: [2], paint: colors(io).bold } } : {}),
  })}\n`;
}

/** `teamstate report submit|list|search|draft`: daily reports (docs/daily-reports.md, docs/cli.md#report). */
export const registerReport: RegisterCommand = (program, ctx) => {
  const report = program.command('report').description("engineers' daily reports: submit, list, search, draft");

  report
    .command('submit')
    .description("file a person's daily report (the same day again replaces the text and keeps the earlier one)")
    .option('-m, --message <text>', 'the report (markdown)')
    .option('--file <path>', 'read the report from a file (- for standard input)')
    .option('--blockers <text>', 'what blocks the person')
    .option('--day <YYYY-MM-DD>', "the person's local day (default: today where they are; at most 30 days back)")
    .option('--as <person>', 'whose report this is (the OS user is recorded on the audit ledger)')
    .addHelpText(
      'after',
      [
        '',
        'Without -m or --file, on a terminal, the draft of the day (from your GitHub and Jira activity) opens in $EDITOR.',
        '',
        'Examples:',
        '  $ teamstate report submit --as ana-garcia',
        '  $ teamstate report submit -m "Merged the refund retry (PAY-12)" --blockers "Waiting on QA" --as ana-garcia',
        '  $ teamstate report submit --file today.md --day 2026-03-09 --as ana-garcia --json',
      ].join('\n'),
    )
    .action(
      ctx.action(async (globals, options: SubmitOptions) => {
        refuseNow(globals, 'report submit');
        if (options.as === undefined)
          throw new UsageError('--as: who is this report from? give --as <person> (a person id; see teamstate report list)');
        const person = options.as;
        return withTeamState(globals, ctx.io, async (ts) => {
          const text = await reportText(ts, ctx.io, person, options);
          if (text === undefined) {
            ctx.io.stderr('The report was empty; nothing submitted.\n');
            return 1;
          }
          // What the day had before, to say whether this filed, replaced or changed nothing (a bad day or person
          // is left for submit to refuse, naming the field).
          const day = options.day ?? (await today(ts, person));
          const before = await ts.reports.list({ person, from: day, to: day, limit: 1 }).then(
            (page) => page.items[0],
            () => undefined,
          );
          const filed = await ts.reports.submit({
            person,
            text,
            source: 'cli',
            submittedBy: osUser(),
            ...(options.blockers === undefined ? {} : { blockers: options.blockers }),
            ...(options.day === undefined ? {} : { day: options.day }),
          });
          if (globals.json) printJson(ctx.io, { report: filed });
          else if (before === undefined || before.day !== filed.day)
            ctx.io.stdout(`Filed ${filed.person}'s report for ${filed.day} (${filed.id}).\n`);
          else if (before.text === filed.text && before.blockers === filed.blockers)
            ctx.io.stdout(`${filed.person}'s report for ${filed.day} already says that; nothing changed.\n`);
          else ctx.io.stdout(`Replaced ${filed.person}'s report for ${filed.day} (the earlier text is kept as a revision).\n`);
          return 0;
        });
      }),
    );

  report
    .command('list')
    .description('reports, newest day first (everyone by default)')
    .option('--person <id>', 'only this person')
    .option('--team <id>', 'only members of this team')
    .option('--from <YYYY-MM-DD>', 'first day (included)')
    .option('--to <YYYY-MM-DD>', 'last day (included)')
    .option('--limit <n>', 'at most n reports (1-500)', '50')
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate report list --team payments --from 2026-03-02\n  $ teamstate report list --person ana-garcia --json',
    )
    .action(
      ctx.action(async (globals, options: { person?: string; team?: string; from?: string; to?: string; limit: string }) => {
        const limit = wholeNumber('--limit', options.limit);
        return withTeamState(globals, ctx.io, async (ts) => {
          const page = await ts.reports.list({ person: options.person, team: options.team, from: options.from, to: options.to, limit });
          if (globals.json) printJson(ctx.io, { reports: page.items });
          else if (page.items.length === 0) ctx.io.stdout('No reports.\n');
          else
            ctx.io.stdout(
              renderReports(
                page.items.map((item) => ({ report: item })),
                ctx.io,
              ),
            );
          return 0;
        });
      }),
    );

  report
    .command('search')
    .description('full-text search over reports and blockers, best match first (the query is words, not syntax)')
    .argument('<query>', 'words to find')
    .option('--person <id>', 'only this person')
    .option('--team <id>', 'only members of this team')
    .option('--from <YYYY-MM-DD>', 'first day (included)')
    .option('--to <YYYY-MM-DD>', 'last day (included)')
    .option('--limit <n>', 'at most n reports (1-100)', '20')
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate report search "vendor sandbox" --team payments\n  $ teamstate report search ledger_sync --json',
    )
    .action(
      ctx.action(async (globals, query: string, options: { person?: string; team?: string; from?: string; to?: string; limit: string }) => {
        const limit = wholeNumber('--limit', options.limit);
        return withTeamState(globals, ctx.io, async (ts) => {
          const hits = await ts.reports.search(query, {
            person: options.person,
            team: options.team,
            from: options.from,
            to: options.to,
            limit,
          });
          if (globals.json) printJson(ctx.io, { reports: hits });
          else if (hits.length === 0) ctx.io.stdout('No reports match.\n');
          else ctx.io.stdout(renderReports(hits, ctx.io));
          return 0;
        });
      }),
    );

  report
    .command('draft')
    .description("a draft of a person's report from their activity that day (PRs opened, merged, reviewed; issues moved)")
    .requiredOption('--person <id>', 'whose day')
    .option('--day <YYYY-MM-DD>', "the person's local day (default: today where they are)")
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate report draft --person ana-garcia\n  $ teamstate report draft --person ana-garcia --day 2026-03-09 --json',
    )
    .action(
      ctx.action(async (globals, options: { person: string; day?: string }) =>
        withTeamState(globals, ctx.io, async (ts) => {
          const draft = await ts.reports.draft(options.person, options.day ?? (await today(ts, options.person)));
          if (globals.json) printJson(ctx.io, draft);
          else ctx.io.stdout(`${safeText(draft.text).trimEnd()}\n`);
          return 0;
        }),
      ),
    );
};
