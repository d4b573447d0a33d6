import { TeamStateError } from '@teamstate/core';
import type { ToolContext } from './tool-definition.js';

/**
 * The calling person, who alone may write as themselves through this server (docs/mcp.md): their daily
 * report, their feedback about an AI assistant. `refusal` is what to say when the arguments name someone else.
 */
export function caller(
  context: ToolContext,
  requested: string | undefined,
  refusal: (person: string, requested: string) => string,
): string {
  if (context.scopes && !context.scopes.includes('write'))
    throw new TeamStateError(
      'forbidden',
      'this token has no write scope; create one with `teamstate tokens create --scopes read,propose,write`',
    );
  const person = context.onBehalfOf;
  if (person === undefined)
    throw new TeamStateError(
      'invalid_argument',
      'person: this server does not know who is calling; start it with --person <id> (stdio) or use a per-person token (teamstate tokens create --person <id>) over HTTP',
    );
  if (requested !== undefined && requested !== person) throw new TeamStateError('forbidden', `person: ${refusal(person, requested)}`);
  return person;
}
