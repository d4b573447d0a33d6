import { describe, expect, it } from 'vitest';
import { createTeamState, TeamStateError } from '../src/index.js';

// An agreement's channel is only for the teams it names (docs/hub.md#working-agreements-and-nudges): one with a channel
// and no teams would post every team's nudges into that channel, so the policy refuses it, naming the field and the fix.
describe('an agreement with a channel and no teams', () => {
  it('is refused when teamstate opens, naming agreements[0].channel and the fix', async () => {
    const opened = createTeamState({
      database: ':memory:',
      policy: {
        agreements: [{ id: 'review-in-a-day', signal: 'pr.awaiting_review', after: '24h', notify: 'team', channel: 'C0PAYMENTS' }],
      },
    });
    const error = await opened.then(
      async (ts) => {
        await ts.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(TeamStateError.isInstance(error)).toBe(true);
    expect(String((error as Error).message)).toMatch(
      /agreements\[0\]\.channel: is for the teams the agreement names, and it names none: add teams/,
    );
  });

  it('is accepted with teams', async () => {
    const ts = await createTeamState({
      database: ':memory:',
      policy: {
        agreements: [
          { id: 'review-in-a-day', signal: 'pr.awaiting_review', teams: ['payments'], after: '24h', notify: 'team', channel: 'C0PAYMENTS' },
        ],
      },
    });
    await ts.close();
  });
});
