import { writeFileSync } from 'node:fs';
import {
  KNOWN_PROVIDERS,
  OPT_OUT_KINDS,
  type OptOutKind,
  type Provider,
  providerSchema,
  type TeamState,
  TeamStateError,
} from '@teamstate/core';
import type { Command } from 'commander';
import type { CommandContext, RegisterCommand } from '../command-context.js';
import { UsageError } from '../errors.js';
import { osUser } from '../os-user.js';
import { plural } from '../plural.js';
import { type GlobalOptions, printJson, refuseNow, terminalJson, withTeamState } from '../runtime.js';
import { selfName } from '../self-command.js';
import { renderTable } from '../table.js';
import { registerPeopleList } from './people-list.js';

/**
 * The providers a `<provider>:` prefix or `--provider` may name: the built-in ones and any other a connector
 * declared that this workspace has accounts at (the set of providers is open).
 */
async function knownProviders(ts: TeamState): Promise<string[]> {
  const present = (await ts.people.list()).flatMap((person) => (person.accounts ?? []).map((account) => account.provider));
  return [...new Set<string>([...KNOWN_PROVIDERS, ...present])];
}

/**
 * An account named on the command line: `<provider>:<id>` (Jira account ids contain colons too, so only a
 * known provider prefix counts), or an id or login that exactly one account has.
 */
async function findAccount(ts: TeamState, ref: string): Promise<{ provider: Provider; id: string }> {
  const prefix = ref.slice(0, ref.indexOf(':'));
  if ((await knownProviders(ts)).includes(prefix)) return { provider: prefix, id: ref.slice(prefix.length + 1) };
  const matches = (await ts.people.list()).flatMap((person) =>
    (person.accounts ?? []).filter((a) => a.id === ref || a.login === ref).map((a) => ({ provider: a.provider, id: a.id })),
  );
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0)
    throw new TeamStateError('not_found', `<account>: no account has the id or login "${ref}" (see \`teamstate people unmatched\`)`);
  throw new UsageError(
    `<account>: "${ref}" is the login of ${matches.length} accounts; name one as <provider>:<id>: ${matches.map((m) => `${m.provider}:${m.id}`).join(', ')}`,
  );
}

/** `<what>` of opt-out and opt-in: one of the kinds, or a usage error naming them. */
function optOutKind(what: string): OptOutKind {
  if ((OPT_OUT_KINDS as readonly string[]).includes(what)) return what as OptOutKind;
  throw new UsageError(`<what>: expected one of ${OPT_OUT_KINDS.join(', ')}, got "${what}"`);
}

/** What `people erase` says about the bytes on disk, by `result.storage`. */
const STORAGE = {
  scrubbed: 'What was deleted is overwritten with zeros in the database file, and its write-ahead log is emptied.',
  log_in_use:
    'What was deleted is overwritten with zeros in the database file; another process was reading it, so its write-ahead log keeps earlier copies until the last process using the file closes it.',
  server: 'The libSQL server keeps its own storage and history (snapshots, point-in-time restore): erase them there as it allows.',
} as const;

/**
 * `teamstate people list|unmatched|link|export|erase|opt-out|opt-in`: identity matching across GitHub, Jira and Slack,
 * and people's data.
 */
export const registerPeople: RegisterCommand = (program, ctx) => {
  const people = program
    .command('people')
    .description("list people; review and link accounts that were not matched to one person; export, erase, and people's opt-outs");
  registerPeopleList(people, ctx);
  registerPeopleUnmatched(people, ctx);
  registerPeopleLink(people, ctx);
  registerPeopleExport(people, ctx);
  registerPeopleErase(people, ctx);
  registerPeopleOptOut(people, ctx, 'opt-out');
  registerPeopleOptOut(people, ctx, 'opt-in');
};

/** `teamstate people unmatched`: accounts matched to nobody else. */
function registerPeopleUnmatched(people: Command, ctx: CommandContext): void {
  people
    .command('unmatched')
    .description('list accounts whose person has no account at any other provider (not matched by email, override or link)')
    .option('--provider <provider>', `only accounts of this provider (${KNOWN_PROVIDERS.join(', ')} or another one of the workspace)`)
    .addHelpText('after', '\nExamples:\n  $ teamstate people unmatched\n  $ teamstate people unmatched --provider jira --json')
    .action(ctx.action((globals, options: { provider?: string }) => listUnmatched(ctx, globals, options.provider)));
}

async function listUnmatched(ctx: CommandContext, globals: GlobalOptions, provider: string | undefined): Promise<number> {
  const wellFormed = provider === undefined ? undefined : providerSchema.safeParse(provider);
  if (wellFormed && !wellFormed.success) throw new UsageError(`--provider: ${wellFormed.error.issues[0]?.message}, got "${provider}"`);
  const list = await withTeamState(globals, ctx.io, async (ts) => {
    const known = await knownProviders(ts);
    if (provider !== undefined && !known.includes(provider))
      throw new UsageError(`--provider: expected one of ${known.join(', ')}, got "${provider}"`);
    return ts.people.unmatched(provider ? { provider } : {});
  });
  if (globals.json) printJson(ctx.io, list);
  else if (list.length === 0) ctx.io.stdout('No unmatched accounts.\n');
  else {
    const rows = list.map((a) => [`${a.provider}:${a.id}`, a.login ?? '', a.person, a.email ?? '', a.missing.join(', ')]);
    ctx.io.stdout(`${renderTable(['ACCOUNT', 'LOGIN', 'PERSON', 'EMAIL', 'NO ACCOUNT AT'], rows, { drop: [1, 3], keep: [2] })}\n`);
    ctx.io.stdout(`\nLink one to the right person with \`${selfName()} people link <account> <person>\`.\n`);
  }
  return 0;
}

/** `teamstate people link`: an account to a person. */
function registerPeopleLink(people: Command, ctx: CommandContext): void {
  people
    .command('link')
    .description('link an account to a person; a person left without accounts is merged into that person')
    .argument('<account>', 'the account: <provider>:<id> (e.g. jira:5b10ac8d82e05b22cc7d4ef5), or its id or login')
    .argument('<person>', 'the person: an id, an account login or an email')
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate people link jira:5b10ac8d82e05b22cc7d4ef5 ana\n  $ teamstate people link "Ana G." anag',
    )
    .action(ctx.action((globals, accountRef: string, personRef: string) => linkAccount(ctx, globals, accountRef, personRef)));
}

async function linkAccount(ctx: CommandContext, globals: GlobalOptions, accountRef: string, personRef: string): Promise<number> {
  const result = await withTeamState(globals, ctx.io, async (ts) => {
    const account = await findAccount(ts, accountRef);
    const person = await ts.people.get(personRef);
    if (!person)
      throw new TeamStateError(
        'not_found',
        `<person>: no person has the id, login or email "${personRef}" (see \`teamstate people unmatched\`)`,
      );
    return ts.people.link(account, person.id);
  });
  if (globals.json) printJson(ctx.io, result);
  else {
    const account = `${result.provider}:${result.id}${result.login ? ` (${result.login})` : ''}`;
    const before = result.previousPerson
      ? ` (was ${result.previousPerson}${result.merged ? ', merged into it' : ''})`
      : ' (already linked)';
    ctx.io.stdout(`Linked ${account} to ${result.person}${before}.\n`);
  }
  return 0;
}

/** `teamstate people export`: everything held about one person. */
function registerPeopleExport(people: Command, ctx: CommandContext): void {
  people
    .command('export')
    .description('write everything teamstate holds about one person as a teamstate.bundle/v1 document (stdout by default)')
    .argument('<person>', 'the person id')
    .option('--out <file>', 'write to a file instead of stdout')
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate people export ana > ana.bundle.json\n  $ teamstate people export ana --out ana.bundle.json',
    )
    .action(
      ctx.action(async (globals, person: string, options: { out?: string }) => {
        const bundle = await withTeamState(globals, ctx.io, (ts) => ts.people.export(person));
        const text = `${terminalJson(bundle)}\n`;
        if (options.out) {
          writeFileSync(options.out, text, { mode: 0o600 });
          ctx.io.stderr(
            `Wrote ${person}'s data (${plural(bundle.workItems.length, 'work item')}, ${plural(bundle.reports.length, 'report')}) to ${options.out}\n`,
          );
        } else ctx.io.stdout(text);
        return 0;
      }),
    );
}

/** `teamstate people erase`: a person's data, their activity kept under a pseudonym. */
function registerPeopleErase(people: Command, ctx: CommandContext): void {
  people
    .command('erase')
    .description(
      'erase a person: reports, report revisions and tokens removed, their activity kept under a pseudonym; remembered so a sync or import does not bring them back; audited (cannot be undone)',
    )
    .argument('<person>', 'the person id')
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate people export ana --out ana.bundle.json   # their copy first\n  $ teamstate people erase ana',
    )
    .action(
      ctx.action(async (globals, person: string) => {
        refuseNow(globals, 'people erase');
        const result = await withTeamState(globals, ctx.io, (ts) => ts.people.erase(person, { by: osUser() }));
        if (globals.json) printJson(ctx.io, result);
        else ctx.io.stdout(erasedMessage(person, result));
        return 0;
      }),
    );
}

/** What `people erase` tells the person: what was removed, what is kept and under which name, and where copies remain. */
function erasedMessage(person: string, result: Awaited<ReturnType<TeamState['people']['erase']>>): string {
  const { removed, renamed, archives } = result;
  return (
    `Erased ${person}: removed ${plural(removed.reports, 'report')} (${plural(removed.reportRevisions, 'earlier revision')}), ${plural(removed.aiFeedback, 'AI feedback report')}, ${plural(removed.tokens, 'token')} and ${plural(removed.accounts, 'account')}.\n` +
    `Their activity (${plural(renamed.workItems, 'work item')} authored, ${plural(renamed.reviews, 'review')}, ${plural(renamed.assignments, 'assignment')}, ${plural(renamed.memberships, 'team membership')}, ${plural(renamed.knowledgeDocuments, 'knowledge document')}) is kept as ${result.pseudonym}.\n` +
    `${STORAGE[result.storage]}\n` +
    (archives.length === 0
      ? ''
      : `${plural(archives.length, 'retention archive')} written before still ${archives.length === 1 ? 'holds' : 'hold'} their data (teamstate never rewrites an archive: delete ${archives.length === 1 ? 'it' : 'them'}, or keep ${archives.length === 1 ? 'it' : 'them'} only as long as your retention rules allow):\n` +
        archives
          .map((a) => `  ${a.manifest} (${a.files.length > 0 ? a.files.join(', ') : 'could not be read: check it by hand'})\n`)
          .join('')) +
    'Backups and copies of the database made before now still hold their data.\n'
  );
}

/** `teamstate people opt-out` and `opt-in`: a person's opt-out of one kind, made or taken back. */
function registerPeopleOptOut(people: Command, ctx: CommandContext, name: 'opt-out' | 'opt-in'): void {
  const out = name === 'opt-out';
  people
    .command(name)
    .description(
      out
        ? `record that a person does not want ${OPT_OUT_KINDS.join(', ')} (wellbeing: no wellbeing signals about them)`
        : 'take back an opt-out made with `people opt-out` (one declared in the config stays until removed there)',
    )
    .argument('<person>', 'the person id')
    .argument('<what>', OPT_OUT_KINDS.join(' | '))
    .addHelpText('after', `\nExamples:\n  $ teamstate people ${name} ana wellbeing\n  $ teamstate people ${name} ana surveys`)
    .action(
      ctx.action(async (globals, person: string, what: string) => {
        const kind = optOutKind(what);
        const optOuts = await withTeamState(globals, ctx.io, async (ts) => {
          await (out ? ts.people.optOut(person, kind) : ts.people.optIn(person, kind));
          return ts.people.optOuts({ person });
        });
        if (globals.json) printJson(ctx.io, { person, optOuts });
        else {
          const kinds = [...new Set(optOuts.map((o) => o.kind))];
          ctx.io.stdout(
            `${person} ${out ? 'opted out of' : 'opted back in to'} ${kind}. Opted out of: ${kinds.join(', ') || 'nothing'}.\n`,
          );
        }
        return 0;
      }),
    );
}
