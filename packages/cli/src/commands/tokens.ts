import {
  type OAuthConsentInfo,
  safeText,
  type TeamState,
  TeamStateError,
  type TokenInfo,
  type TokenScope,
  unknownId,
} from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { UsageError } from '../errors.js';
import { type GlobalOptions, printJson, refuseNow, withTeamState } from '../runtime.js';
import { renderTable } from '../table.js';

/**
 * `teamstate tokens create --person <id> [--scopes read,propose,write,decide] [--expires 90d]`, `tokens list
 * [--person <id>]`, `tokens revoke <id>` or `tokens revoke --client <id> [--person <id>]`: per-person tokens for MCP over HTTP and for deciding approvals (docs/cli-governance.md#tokens).
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
    .description('list personal tokens, OAuth sign-ins and the consents given at sign-in (never secrets), newest first')
    .option('--person <id>', "only this person's tokens, sign-ins and consents")
    .addHelpText('after', '\nExamples:\n  $ teamstate tokens list\n  $ teamstate tokens list --person ana --json')
    .action(
      ctx.action(async (globals, options: { person?: string }) => {
        // Expiry is judged on the real clock: `tokens` take no --now.
        refuseNow(globals, 'tokens list');
        const { list, grants } = await withTeamState(globals, ctx.io, async (ts) => {
          const person = options.person === undefined ? undefined : await knownPerson(ts, options.person);
          return {
            list: (await ts.tokens.list()).filter((t) => person === undefined || t.person === person),
            grants: await ts.oauth.consents(person === undefined ? {} : { person }),
          };
        });
        if (globals.json) printJson(ctx.io, { tokens: list, grants });
        else {
          ctx.io.stdout(list.length === 0 ? 'No tokens.\n' : `${tokensTable(list)}\n`);
          if (grants.length > 0)
            ctx.io.stdout(
              `\nConsents given at sign-in (a sign-in with the same client and scopes skips the page):\n${grantsTable(grants)}\n`,
            );
        }
        return 0;
      }),
    );

  tokens
    .command('revoke')
    .description("revoke a token, an OAuth sign-in and every token of it, or a client's consent and sign-ins, at once")
    .argument('[id]', 'token id (tok_…) or OAuth sign-in id (grt_…)')
    .option('--client <id>', "end this OAuth client's consent and sign-ins (the next sign-in asks for consent again)")
    .option('--person <id>', 'with --client: only this person’s')
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate tokens revoke tok_3f9c2a17b04e6d85\n  $ teamstate tokens revoke grt_9a0c4e1b7d2f6385\n  $ teamstate tokens revoke --client tsc_5b1e0c9d7a3f24e86b1c0d9e --person ana',
    )
    .action(
      ctx.action(async (globals, id: string | undefined, options: { client?: string; person?: string }) => {
        refuseNow(globals, 'tokens revoke');
        if (options.client !== undefined) return revokeClient(globals, id, { client: options.client, person: options.person });
        if (options.person !== undefined)
          throw new UsageError('--person: goes with --client <id> (tokens revoke --client <id> --person <id>)');
        if (id === undefined)
          throw new UsageError('<id>: give a token or sign-in id (tok_…, grt_…), or --client <id> to end a client’s consent');
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

  /** `tokens revoke --client <id> [--person <id>]`: the client's consents, sign-ins and tokens end. */
  async function revokeClient(globals: GlobalOptions, id: string | undefined, target: { client: string; person?: string }) {
    if (id !== undefined) throw new UsageError(`<id>: give either an id (${JSON.stringify(id.slice(0, 80))}) or --client, not both`);
    if (target.client.length === 0 || target.client.length > 2000) throw new UsageError('--client: expected an OAuth client id');
    const ended = await withTeamState(globals, ctx.io, (ts) => ts.oauth.revokeClient(target));
    const whose = target.person === undefined ? 'everyone' : target.person;
    if (globals.json)
      printJson(ctx.io, { client: target.client, ...(target.person ? { person: target.person } : {}), revoked: true, ...ended });
    else
      ctx.io.stdout(
        `Revoked ${safeText(target.client)} for ${safeText(whose)}: ${ended.consents} consent(s) and ${ended.signIns} sign-in(s) ended; the next sign-in asks for consent again.\n`,
      );
    return 0;
  }
};

/**
 * `--person` of `tokens list` as a person's id (they may be named by id, login or email): an unknown person is refused
 * like `tokens create` refuses one, rather than listing nothing.
 */
async function knownPerson(ts: TeamState, person: string): Promise<string> {
  const found = await ts.people.get(person);
  if (found) return found.id;
  const known = (await ts.people.list()).map((p) => p.id);
  const error = unknownId('--person', person, known, { what: 'person' });
  // With many people and no close match, the message names no one: say where to find the ids.
  if (error.message.includes('(did you mean') || error.message.includes('; known:')) throw error;
  throw new TeamStateError(error.code, `${error.message}; see teamstate people list`);
}

/** Tokens and OAuth sign-ins, to the minute in UTC (--json has the exact times); on a narrow terminal CREATED goes first. */
function tokensTable(list: TokenInfo[]): string {
  const minute = (at?: string) => at?.slice(0, 16).replace('T', ' ') ?? '';
  // An OAuth sign-in has no fixed expiry (its refresh tokens rotate); VIA names its client.
  const via = (t: TokenInfo) => (t.kind === 'oauth' ? `oauth ${(t.clientName ?? t.client ?? '').slice(0, 40)}` : 'token');
  const rows = list.map((t) => [t.id, t.person, t.scopes.join(','), minute(t.createdAt), minute(t.expiresAt), minute(t.revokedAt), via(t)]);
  return renderTable(['ID', 'PERSON', 'SCOPES', 'CREATED', 'EXPIRES', 'REVOKED', 'VIA'], rows, { drop: [3, 6] });
}

/** The consents given at the consent page: who allowed which client, which scopes, sending codes to which host. */
function grantsTable(grants: OAuthConsentInfo[]): string {
  const host = (uri: string) => {
    try {
      return new URL(uri).host || uri;
    } catch {
      return uri;
    }
  };
  const rows = grants.map((g) => [
    g.person,
    g.client,
    (g.clientName ?? '').slice(0, 40),
    g.scopes.join(','),
    host(g.redirectUri),
    g.grantedAt.slice(0, 16).replace('T', ' '),
  ]);
  return renderTable(['PERSON', 'CLIENT', 'NAME', 'SCOPES', 'REDIRECT HOST', 'GRANTED'], rows, { drop: [2, 5] });
}
