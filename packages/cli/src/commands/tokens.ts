import type { TokenScope } from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { UsageError } from '../errors.js';
import { printJson, refuseNow, withTeamState } from '../runtime.js';
import { renderTable } from '../table.js';

/**
 * `teamstate tokens create --person <id> [--scopes read,propose,write,decide] [--expires 90d]`, `tokens list`,
 * `tokens revoke <id>`: per-person tokens for MCP over HTTP and for deciding approvals (docs/cli.md#tokens).
 * A token is printed once; only its sha256 is stored.
 */
export const registerTokens: RegisterCommand = (program, ctx) => {
  const tokens = program.command('tokens').description('per-person tokens for MCP over HTTP and for deciding approvals');

  tokens
    .command('create')
    .description('create a token for a person and print it once (only its sha256 is stored)')
    .requiredOption('--person <id>', 'the person the token acts as')
    .option('--scopes <list>', 'comma-separated: read, propose, write, decide (default read,propose,write)')
    .option('--expires <duration>', 'lifetime, e.g. 90d, 12h (default 90d)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate tokens create --person ana\n  $ teamstate tokens create --person ana --scopes decide --expires 30d --json',
    )
    .action(
      ctx.action(async (globals, options: { person: string; scopes?: string; expires?: string }) => {
        refuseNow(globals, 'tokens create');
        const scopes = options.scopes === undefined ? undefined : (options.scopes.split(',').map((s) => s.trim()) as TokenScope[]);
        const created = await withTeamState(globals, ctx.io, (ts) =>
          ts.tokens.create({ person: options.person, scopes, expires: options.expires }),
        );
        if (globals.json) printJson(ctx.io, created);
        else {
          ctx.io.stdout(`${created.token}\n`);
          ctx.io.stderr(
            `Token ${created.id} for ${created.person} (${created.scopes.join(', ')}), expires ${created.expiresAt}. It is shown only now: store it where only ${created.person} can read it.\n`,
          );
        }
        return 0;
      }),
    );

  tokens
    .command('list')
    .description('list personal tokens and OAuth sign-ins (never their secrets), newest first')
    .addHelpText('after', '\nExamples:\n  $ teamstate tokens list\n  $ teamstate tokens list --json')
    .action(
      ctx.action(async (globals) => {
        // Expiry is judged on the real clock: `tokens` take no --now.
        refuseNow(globals, 'tokens list');
        const list = await withTeamState(globals, ctx.io, (ts) => ts.tokens.list());
        if (globals.json) printJson(ctx.io, { tokens: list });
        else if (list.length === 0) ctx.io.stdout('No tokens.\n');
        else {
          // To the minute, in UTC (--json has the exact times); on a narrow terminal CREATED goes first.
          const minute = (at?: string) => at?.slice(0, 16).replace('T', ' ') ?? '';
          // An OAuth sign-in has no fixed expiry (its refresh tokens rotate); VIA names its client.
          const via = (t: (typeof list)[number]) =>
            t.kind === 'oauth' ? `oauth ${(t.clientName ?? t.client ?? '').slice(0, 40)}` : 'token';
          const rows = list.map((t) => [
            t.id,
            t.person,
            t.scopes.join(','),
            minute(t.createdAt),
            minute(t.expiresAt),
            minute(t.revokedAt),
            via(t),
          ]);
          ctx.io.stdout(`${renderTable(['ID', 'PERSON', 'SCOPES', 'CREATED', 'EXPIRES', 'REVOKED', 'VIA'], rows, { drop: [3, 6] })}\n`);
        }
        return 0;
      }),
    );

  tokens
    .command('revoke')
    .description('revoke a token, or an OAuth sign-in and every token of it, at once')
    .argument('<id>', 'token id (tok_…) or OAuth sign-in id (grt_…)')
    .addHelpText('after', '\nExamples:\n  $ teamstate tokens revoke tok_3f9c2a17b04e6d85\n  $ teamstate tokens revoke grt_9a0c4e1b7d2f6385')
    .action(
      ctx.action(async (globals, id: string) => {
        refuseNow(globals, 'tokens revoke');
        if (!/^(tok|grt)_[0-9a-f]{1,64}$/.test(id))
          throw new UsageError(
            `<id>: expected a token id such as tok_3f9c2a17b04e6d85 or an OAuth sign-in id such as grt_9a0c4e1b7d2f6385, got ${JSON.stringify(id.slice(0, 80))}`,
          );
        await withTeamState(globals, ctx.io, (ts) => ts.tokens.revoke(id));
        if (globals.json) printJson(ctx.io, { id, revoked: true });
        else ctx.io.stdout(`Revoked ${id}.\n`);
        return 0;
      }),
    );
};
