import { type AccountRef, type AiUsageInput, addDays, type SyncContext, UpstreamError } from '@teamstate/core';
import type { GitHubClient } from '../client/github-client.js';

/** Days read back on the first sync (the reports go back a year; four weeks is enough to see a trend). */
export const COPILOT_FIRST_DAYS = 28;
/** A report larger than this is not read (a user row is about 2 KB: this is room for 100,000 users). */
const MAX_REPORT_BYTES = 256 * 1024 * 1024;

/** The cursor `copilot:<org>`: the newest day whose report was stored. */
interface CopilotCursor {
  day: string;
}

/** `GET /orgs/{org}/copilot/metrics/reports/users-1-day?day=`: signed links to the day's NDJSON files. */
interface ReportLinks {
  download_links?: unknown;
  report_day?: unknown;
}

/** The fields of a user row of the usage-metrics report that teamstate reads; every other field is ignored. */
interface UserRow {
  user_id?: unknown;
  user_login?: unknown;
  day?: unknown;
  user_initiated_interaction_count?: unknown;
  code_generation_activity_count?: unknown;
  code_acceptance_activity_count?: unknown;
  loc_suggested_to_add_sum?: unknown;
  loc_added_sum?: unknown;
}

const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0);

/**
 * Copilot usage (`copilot: true`): the organisation's per-user daily report of the Copilot usage-metrics API, one
 * request for each day not stored yet (the first sync reads back {@link COPILOT_FIRST_DAYS} days, up to yesterday in
 * UTC), each followed by the download of its NDJSON files from their signed links, which get no credentials. Stored as
 * `aiUsage`: a row per person (their GitHub account, resolved like any other) and one for the organisation, with the
 * day's cursor in the same batch. An organisation without Copilot, the "Copilot usage metrics" policy or the
 * permission is a warning, not a failed sync; a day whose files cannot be read is read again on the next sync.
 */
export async function syncCopilotUsage(ctx: SyncContext, client: GitHubClient, org: string): Promise<void> {
  const key = `copilot:${org.toLowerCase()}`;
  const raw = await ctx.getCursor(key);
  const cursor = raw ? (JSON.parse(raw) as CopilotCursor) : undefined;
  const yesterday = addDays(ctx.now().toISOString().slice(0, 10), -1);
  let day = cursor ? addDays(cursor.day, 1) : addDays(yesterday, 1 - COPILOT_FIRST_DAYS);
  for (; day <= yesterday; day = addDays(day, 1)) {
    ctx.progress({ phase: `Copilot usage of ${org}, ${day}` });
    let links: ReportLinks;
    try {
      links = await client.read<ReportLinks>('GET /orgs/{org}/copilot/metrics/reports/users-1-day', { org, day });
    } catch (error) {
      const status = UpstreamError.isInstance(error) ? error.statusCode : undefined;
      if (status === 404 || status === 403 || status === 422) {
        ctx.log.warn(unavailable(org, day, status));
        return;
      }
      throw error;
    }
    const rows: UserRow[] = [];
    for (const link of Array.isArray(links?.download_links) ? links.download_links : []) {
      if (typeof link !== 'string' || !/^https:\/\//.test(link)) {
        ctx.log.warn(`github: the Copilot usage report of ${org} for ${day} has a download link that is not an https URL; skipped`);
        continue;
      }
      const text = await download(link, ctx.signal).catch((error: unknown) => {
        ctx.log.warn(
          `github: the Copilot usage report of ${org} for ${day} could not be downloaded (${(error as Error).message}); it is read again on the next sync`,
        );
        return undefined;
      });
      if (text === undefined) return;
      rows.push(
        ...parseRows(text, (line, problem) =>
          ctx.log.warn(`github: Copilot usage report of ${org} for ${day}, line ${line}: ${problem}; skipped`),
        ),
      );
    }
    await ctx.emit({ aiUsage: await usageOf(ctx, rows, day) }, { cursors: { [key]: JSON.stringify({ day } satisfies CopilotCursor) } });
  }
}

function unavailable(org: string, day: string, status: number): string {
  const why =
    status === 403
      ? 'the credential may not read it: a fine-grained token or GitHub App needs the "Organization Copilot metrics" permission (read), a classic token manage_billing:copilot or read:org'
      : 'the organisation has no Copilot licences, its "Copilot usage metrics" policy is off, this GitHub has no usage-metrics API, or the report is not ready yet';
  return `github: Copilot usage of ${org} is not available for ${day} (GitHub answered ${status}: ${why}); Copilot usage is skipped for now and tried again on the next sync`;
}

// The signed link carries its own authorisation: the GitHub credential is never sent to the storage host.
async function download(url: string, signal: AbortSignal): Promise<string> {
  const response = await fetch(url, { signal, redirect: 'follow' });
  if (!response.ok) throw new Error(`the download answered ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_REPORT_BYTES) throw new Error(`the report is ${declared} bytes, more than ${MAX_REPORT_BYTES}`);
  return response.text();
}

/** User rows of an NDJSON report (a JSON array is read too); a line that is not a JSON object is reported and skipped. */
export function parseRows(text: string, skip: (line: number, problem: string) => void): UserRow[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      const all = JSON.parse(trimmed) as unknown;
      if (Array.isArray(all)) return all.filter((row): row is UserRow => typeof row === 'object' && row !== null && !Array.isArray(row));
    } catch {
      // Not one JSON array: read it line by line.
    }
  }
  const rows: UserRow[] = [];
  trimmed.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      const row = JSON.parse(line) as unknown;
      if (typeof row === 'object' && row !== null && !Array.isArray(row)) rows.push(row as UserRow);
      else skip(index + 1, 'not a JSON object');
    } catch {
      skip(index + 1, 'not valid JSON');
    }
  });
  return rows;
}

/** A row per person (a login seen twice in a day is added up) and the organisation's total. */
async function usageOf(ctx: SyncContext, rows: readonly UserRow[], day: string): Promise<AiUsageInput[]> {
  const byAccount = new Map<string, { account: AccountRef; usage: Omit<AiUsageInput, 'day' | 'tool'> }>();
  const total = { activeUsers: 0, interactions: 0, codeGenerations: 0, acceptances: 0, linesSuggested: 0, linesAccepted: 0 };
  for (const row of rows) {
    if (typeof row.day === 'string' && row.day !== day) continue;
    const login = typeof row.user_login === 'string' && row.user_login !== '' ? row.user_login : undefined;
    if (!login) {
      ctx.log.warn(`github: a Copilot usage row for ${day} has no user_login; skipped`);
      continue;
    }
    const id =
      typeof row.user_id === 'number' || (typeof row.user_id === 'string' && /^\d+$/.test(row.user_id)) ? String(row.user_id) : login;
    const entry = byAccount.get(id) ?? {
      account: { provider: 'github' as const, id, login },
      usage: { activeUsers: 1, interactions: 0, codeGenerations: 0, acceptances: 0, linesSuggested: 0, linesAccepted: 0 },
    };
    if (!byAccount.has(id)) total.activeUsers += 1;
    const add = {
      interactions: count(row.user_initiated_interaction_count),
      codeGenerations: count(row.code_generation_activity_count),
      acceptances: count(row.code_acceptance_activity_count),
      linesSuggested: count(row.loc_suggested_to_add_sum),
      linesAccepted: count(row.loc_added_sum),
    };
    for (const [field, value] of Object.entries(add) as [keyof typeof add, number][]) {
      entry.usage[field] = (entry.usage[field] ?? 0) + value;
      total[field] += value;
    }
    byAccount.set(id, entry);
  }
  const entries = [...byAccount.values()];
  const people = await ctx.resolvePeople(entries.map((e) => e.account));
  // Two accounts of one person are one person's day.
  const byPerson = new Map<string, AiUsageInput>();
  entries.forEach((entry, i) => {
    const person = people[i];
    if (!person) return;
    const earlier = byPerson.get(person);
    if (!earlier) byPerson.set(person, { day, tool: 'copilot', person, ...entry.usage });
    else
      for (const field of USAGE_COUNTS) earlier[field] = (earlier[field] ?? 0) + (field === 'activeUsers' ? 0 : (entry.usage[field] ?? 0));
  });
  const usage = [...byPerson.values()];
  if (total.activeUsers > 0) usage.push({ day, tool: 'copilot', ...total });
  return usage;
}

const USAGE_COUNTS = ['activeUsers', 'interactions', 'codeGenerations', 'acceptances', 'linesSuggested', 'linesAccepted'] as const;
