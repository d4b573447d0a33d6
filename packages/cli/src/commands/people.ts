import { type Provider, providerSchema, type TeamState, TeamStateError } from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { UsageError } from '../errors.js';
import { printJson, withTeamState } from '../runtime.js';
import { renderTable } from '../table.js';

const PROVIDERS = providerSchema.options;

/**
 * An account named on the command line: `<provider>:<id>` (Jira account ids contain colons too, so only a
 * known provider prefix counts), or an id or login that exactly one account has.
 */
async function findAccount(ts: TeamState, ref: string): Promise<{ provider: Provider; id: string }> {
  const prefix = ref.slice(0, ref.indexOf(':'));
  if ((PROVIDERS as readonly string[]).includes(prefix)) return { provider: prefix as Provider, id: ref.slice(prefix.length + 1) };
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

/** `teamstate people unmatched|link`: review and fix identity matching across GitHub, Jira and Slack. */
export const registerPeople: RegisterCommand = (program, ctx) => {
  const people = program.command('people').description('review and link accounts that were not matched to one person');

  people
    .command('unmatched')
    .description('list accounts whose person has no account at any other provider (not matched by email, override or link)')
    .option('--provider <provider>', `only accounts of this provider (${PROVIDERS.join(', ')})`)
    .addHelpText('after', '\nExamples:\n  $ teamstate people unmatched\n  $ teamstate people unmatched --provider jira --json')
    .action(
      ctx.action(async (globals, options: { provider?: string }) => {
        const provider = options.provider;
        if (provider !== undefined && !(PROVIDERS as readonly string[]).includes(provider))
          throw new UsageError(`--provider: expected one of ${PROVIDERS.join(', ')}, got "${provider}"`);
        const list = await withTeamState(globals, ctx.io, (ts) => ts.people.unmatched(provider ? { provider: provider as Provider } : {}));
        if (globals.json) printJson(ctx.io, list);
        else if (list.length === 0) ctx.io.stdout('No unmatched accounts.\n');
        else {
          const rows = list.map((a) => [`${a.provider}:${a.id}`, a.login ?? '', a.person, a.email ?? '', a.missing.join(', ')]);
          ctx.io.stdout(`${renderTable(['ACCOUNT', 'LOGIN', 'PERSON', 'EMAIL', 'NO ACCOUNT AT'], rows, { drop: [1, 3], keep: [2] })}\n`);
          ctx.io.stdout('\nLink one to the right person with `teamstate people link <account> <person>`.\n');
        }
        return 0;
      }),
    );

  people
    .command('link')
    .description('link an account to a person; a person left without accounts is merged into that person')
    .argument('<account>', 'the account: <provider>:<id> (e.g. jira:5b10ac8d82e05b22cc7d4ef5), or its id or login')
    .argument('<person>', 'the person: an id, an account login or an email')
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate people link jira:5b10ac8d82e05b22cc7d4ef5 ana\n  $ teamstate people link "Ana G." anag',
    )
    .action(
      ctx.action(async (globals, accountRef: string, personRef: string) => {
        const result = await withTeamState(globals, ctx.io, async (ts) => {
          const account = await findAccount(ts, accountRef);
          const person = await ts.people.get(personRef);
          if (!person)
            throw new TeamStateError(
              'not_found',
              `<person>: no person has the id, login or email "${personRef}" (see \`teamstate people unmatched\`)`,
            );
          return ts.linkAccount(account, person.id);
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
      }),
    );
};
