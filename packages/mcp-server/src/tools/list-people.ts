import { personSchema, TeamStateError } from '@teamstate/core';
import { z } from 'zod';
import { cursorArgument, idArgument, limitArgument, textArgument } from './arguments.js';
import { requireTeam } from './references.js';
import { defineTool, readOnly } from './tool-definition.js';

const encode = (afterId: string) => Buffer.from(JSON.stringify({ after: afterId })).toString('base64url');
function decode(cursor: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'string') return parsed.after;
  } catch {}
  throw new TeamStateError('invalid_argument', 'cursor: not a cursor returned by a previous page (omit it to start from the first page)');
}

/** `list_people`: people with their teams and accounts, paged by id. */
export const listPeopleTool = defineTool({
  name: 'list_people',
  title: 'List people',
  toolset: 'delivery',
  writes: false,
  description:
    "People (all, or one team's), paged, with team ids and GitHub, Jira, Slack accounts; search (name, login or email) finds the person id other tools filter by.",
  input: z.strictObject({
    team: idArgument().optional(),
    search: textArgument(100).optional(),
    cursor: cursorArgument().optional(),
    limit: limitArgument(100, 50),
  }),
  output: z.object({
    items: z.array(personSchema),
    nextCursor: z.string().optional(),
    total: z.int(),
  }),
  annotations: readOnly,
  async run({ team, search, cursor, limit }, { teamState }) {
    if (team !== undefined) await requireTeam(teamState, team);
    const needle = search?.toLowerCase();
    const matching = (await teamState.people.list({ team })).filter(
      (person) =>
        needle === undefined ||
        [person.id, person.name, person.email ?? '', ...(person.accounts ?? []).map((a) => a.login ?? '')].some((text) =>
          text.toLowerCase().includes(needle),
        ),
    );
    const after = cursor === undefined ? undefined : decode(cursor);
    const rest = after === undefined ? matching : matching.filter((person) => person.id > after);
    const items = rest.slice(0, limit);
    const last = items.at(-1);
    return { items, total: matching.length, ...(rest.length > limit && last ? { nextCursor: encode(last.id) } : {}) };
  },
});
