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
    'People of the organisation (or of one team) with their team ids and their GitHub, Jira and Slack accounts, ordered by id and paged. Use it to find the person id behind a name, login or email (search), or to list who is on a team; person ids are what list_work_items and metrics filter by.',
  input: z.strictObject({
    team: idArgument('Only members of this team id.').optional(),
    search: textArgument(100, 'Case-insensitive text matched against id, name, email and account logins.').optional(),
    cursor: cursorArgument().optional(),
    limit: limitArgument(100, 50),
  }),
  output: z.object({
    items: z.array(personSchema),
    nextCursor: z.string().optional().describe('Pass as cursor to get the next page; absent on the last page.'),
    total: z.int().describe('How many people match the filters, across all pages.'),
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
