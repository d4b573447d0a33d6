import { SlackApiError } from './slack-api-error.js';
import type { SlackClient } from './slack-client.js';

/**
 * The id of the app's direct message with `user` (`conversations.open`, which returns the same one every
 * time, so calling it again is harmless). With `queue`, the call goes through the write queue and waits
 * out a rate limit within that deadline; without, it is made once.
 */
export async function openDirectMessage(client: SlackClient, user: string, queue?: { deadline: Date; now: () => Date }): Promise<string> {
  type Opened = { channel?: { id?: string } };
  const args = { users: user };
  const opened = queue
    ? await client.write<Opened>('conversations.open', args, queue)
    : await client.call<Opened>('conversations.open', args);
  const id = opened.channel?.id;
  if (!id) throw new SlackApiError('conversations.open', 'invalid_response', `conversations.open: Slack returned no channel for ${user}`);
  return id;
}
