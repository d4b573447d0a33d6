import type { AccountRef, SyncContext } from '@teamstate/core';
import type { ReportedWait, SlackClient } from '../client/slack-client.js';
import type { ResolvedSlackOptions } from '../options.js';

/** A member of `users.list`, the fields used. */
export interface SlackMember {
  id: string;
  name?: string;
  real_name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  is_app_user?: boolean;
  /** IANA time zone of the user's profile, e.g. `Europe/Madrid`. */
  tz?: string;
  profile?: { email?: string; real_name?: string; display_name?: string };
}

interface UsersListPage {
  members?: SlackMember[];
  response_metadata?: { next_cursor?: string };
}

/** Page size of `users.list` (Slack recommends no more than 200). */
export const USERS_PAGE_SIZE = 200;
// Slackbot is neither a bot user nor a person.
const SLACKBOT = 'USLACKBOT';

/** True for a member that is a person: not deactivated, not a bot or app user, not Slackbot. */
export function isPerson(member: SlackMember): boolean {
  return !member.deleted && !member.is_bot && !member.is_app_user && member.id !== SLACKBOT;
}

/**
 * Links the workspace's people: `users.list` page by page (cursor paging, 200 per page, paced for its
 * Tier 2 rate limit, Retry-After honoured), deactivated users, bots and app users left out. Each member
 * becomes a Slack account that core matches to a person (existing link, then email, then a configured
 * override, else a new person). One call per page, never one lookup per person.
 */
export async function syncUsers(client: SlackClient, ctx: SyncContext, options: ResolvedSlackOptions): Promise<void> {
  const wait: ReportedWait = options.sleep
    ? async (ms, reason) => {
        ctx.progress({ phase: 'users', waitingMs: ms, message: reason });
        await options.sleep!(ms);
      }
    : (ms, reason) => ctx.sleep(ms, reason);
  let cursor: string | undefined;
  let pages = 0;
  let linked = 0;
  let skipped = 0;
  do {
    if (pages > 0 && options.pageIntervalMs > 0) await wait(options.pageIntervalMs, 'pacing users.list (Tier 2)');
    ctx.signal.throwIfAborted();
    const page = await client.read<UsersListPage>('users.list', { limit: USERS_PAGE_SIZE, ...(cursor ? { cursor } : {}) }, wait);
    pages++;
    const members = page.members ?? [];
    const people = members.filter(isPerson);
    skipped += members.length - people.length;
    const accounts: AccountRef[] = people.map((member) => ({
      provider: 'slack',
      id: member.id,
      login: member.name,
      email: member.profile?.email || undefined,
      name: member.real_name || member.profile?.real_name || member.profile?.display_name || member.name,
      timeZone: member.tz || undefined,
    }));
    await ctx.resolvePeople(accounts);
    linked += accounts.length;
    ctx.progress({ phase: 'users', pages, items: linked });
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);
  ctx.log.info('slack: users synced', { people: linked, skipped, pages });
}
