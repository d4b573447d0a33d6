import { type TeamState, TeamStateError } from '@teamstate/core';
import type { CommandContext } from './command-context.js';
import { readCredential } from './credentials.js';

/** The person of the credential (`TEAMSTATE_TOKEN` or the credentials file), if there is one; an unknown token is refused. */
export async function credentialPerson(
  ts: TeamState,
  ctx: Pick<CommandContext, 'io'>,
): Promise<{ person: string; scopes: readonly string[]; source: string } | undefined> {
  const credential = readCredential(ctx.io);
  if (!credential) return undefined;
  const token = await ts.tokens.authenticate(credential.token);
  if (!token)
    throw new TeamStateError(
      'unauthenticated',
      `${credential.source}: the token is unknown, revoked or expired here; create one with teamstate tokens create --person <you>`,
    );
  return { person: token.person, scopes: token.scopes, source: credential.source };
}

/**
 * Who reads: the credential's person under the reading rule (people's reports and wellbeing only where they may read
 * them), else the database's owner, who can read the file anyway and so reads everything.
 */
export async function reader(ts: TeamState, ctx: Pick<CommandContext, 'io'>): Promise<TeamState> {
  const token = await credentialPerson(ts, ctx);
  return token ? ts.as({ person: token.person, scopes: token.scopes }) : ts;
}
