import { readFileSync } from 'node:fs';
import { github } from '@teamstate/connectors/github';
import { createTeamState, type Logger, type TeamState, TeamStateError } from '@teamstate/core';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHub, fakeGitHubHandlers } from './github/fake-github.js';
import { NOW, recordingSleep, TOKEN, world } from './github/github-test-kit.js';

// Copilot usage (issue 20, docs/connectors/github.md#copilot-usage): the usage-metrics reports API answers signed links, the NDJSON
// behind them is downloaded without the GitHub credential, and each day lands as aiUsage with its cursor.
const fixtures = new URL('./__fixtures__/github/copilot/', import.meta.url);
const links = JSON.parse(readFileSync(new URL('users-1-day-links.json', fixtures), 'utf8')) as { download_links: string[] };
const report = readFileSync(new URL('users-1-day-2026-03-09.ndjson', fixtures), 'utf8');
const REPORTS = 'https://api.github.com/orgs/acme/copilot/metrics/reports/users-1-day';
const DOWNLOAD = links.download_links[0]!.split('?')[0]!;

interface Requests {
  days: string[];
  downloads: { authorization: string | null }[];
}
let requests: Requests;
let fake: FakeGitHub;
/** How the reports endpoint and the download answer, per test. */
let answer: { reports?: (day: string) => Response; download?: () => Response };

const server = setupServer(
  http.get(REPORTS, ({ request }) => {
    const day = new URL(request.url).searchParams.get('day') ?? '';
    requests.days.push(day);
    if (answer.reports) return answer.reports(day);
    // Only 2026-03-09 has a report; other days had no Copilot activity.
    return HttpResponse.json(day === '2026-03-09' ? links : { download_links: [], report_day: day });
  }),
  http.get(DOWNLOAD, ({ request }) => {
    requests.downloads.push({ authorization: request.headers.get('authorization') });
    return answer.download?.() ?? new HttpResponse(report, { headers: { 'content-type': 'application/x-ndjson' } });
  }),
  ...fakeGitHubHandlers(() => fake),
);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  server.resetHandlers();
});
afterAll(() => server.close());

function recordingLogger(): Logger & { warnings: string[]; all: string[] } {
  const warnings: string[] = [];
  const all: string[] = [];
  const keep = (message: string) => void all.push(message);
  const warn = (message: string) => {
    warnings.push(message);
    keep(message);
  };
  return { warnings, all, debug: keep, info: keep, error: keep, warn };
}

async function open(clock: () => Date = () => NOW) {
  requests = { days: [], downloads: [] };
  fake = new FakeGitHub(world(), { now: clock });
  answer = {};
  const logger = recordingLogger();
  const ts = await createTeamState({
    database: ':memory:',
    clock,
    logger,
    connectors: [github({ token: TOKEN, org: 'acme', repositories: ['acme/api'], copilot: true, sleep: recordingSleep().sleep })],
  });
  return { ts, logger };
}

const usageOf = async (ts: TeamState) => (await ts.export()).aiUsage;

describe('github sync: Copilot usage', () => {
  it('stores each person’s day and the organisation’s total, downloading the report without the GitHub credential', async () => {
    const { ts, logger } = await open();
    expect((await ts.sync()).ok).toBe(true);
    // A first sync reads back 28 days, up to yesterday (UTC).
    expect(requests.days).toHaveLength(28);
    expect(requests.days[0]).toBe('2026-02-10');
    expect(requests.days.at(-1)).toBe('2026-03-09');
    expect(requests.downloads).toEqual([{ authorization: null }]);

    const usage = await usageOf(ts);
    expect(usage).toEqual([
      {
        day: '2026-03-09',
        tool: 'copilot',
        activeUsers: 3,
        interactions: 17,
        codeGenerations: 78,
        acceptances: 23,
        linesSuggested: 410,
        linesAccepted: 120,
      },
      {
        day: '2026-03-09',
        tool: 'copilot',
        person: 'anag',
        activeUsers: 1,
        interactions: 14,
        codeGenerations: 52,
        acceptances: 17,
        linesSuggested: 310,
        linesAccepted: 96,
      },
      expect.objectContaining({ person: 'bobk', interactions: 3, acceptances: 5 }),
      // A licensed user the organisation sync had not seen becomes a person through their GitHub account.
      expect.objectContaining({ person: 'newhire', codeGenerations: 6 }),
    ]);
    expect(logger.all.join('\n')).not.toContain(TOKEN);
    expect(logger.all.join('\n')).not.toContain('sig=');
    await ts.close();
  });

  it('reads only the days it has not stored: none again the same day, one the next day', async () => {
    let now = NOW;
    const { ts } = await open(() => now);
    await ts.sync();
    requests.days = [];
    await ts.sync();
    expect(requests.days).toEqual([]);
    now = new Date('2026-03-11T08:00:00Z');
    await ts.sync();
    expect(requests.days).toEqual(['2026-03-10']);
    await ts.close();
  });

  it('warns instead of failing when the organisation has no usage metrics (404) or the credential may not read them (403), and tries again next time', async () => {
    const { ts, logger } = await open();
    answer.reports = () => HttpResponse.json({ message: 'Not Found', documentation_url: 'https://docs.github.com/rest' }, { status: 404 });
    const result = await ts.sync();
    expect(result.ok).toBe(true);
    expect(requests.days).toEqual(['2026-02-10']);
    expect(logger.warnings.join('\n')).toMatch(/Copilot usage of acme is not available for 2026-02-10 \(GitHub answered 404: .*policy/);
    expect(await usageOf(ts)).toEqual([]);

    answer.reports = () => HttpResponse.json({ message: 'Resource not accessible by integration' }, { status: 403 });
    requests.days = [];
    expect((await ts.sync()).ok).toBe(true);
    expect(requests.days).toEqual(['2026-02-10']);
    expect(logger.warnings.at(-1)).toMatch(/answered 403: .*"Organization Copilot metrics" permission/);
    await ts.close();
  });

  it('keeps the days before a failed download and reads the failed day again on the next sync', async () => {
    const { ts, logger } = await open();
    answer.download = () => new HttpResponse('expired', { status: 403 });
    expect((await ts.sync()).ok).toBe(true);
    expect(logger.warnings.join('\n')).toContain('could not be downloaded (the download answered 403); it is read again on the next sync');
    expect(await usageOf(ts)).toEqual([]);

    answer.download = undefined;
    requests.days = [];
    await ts.sync();
    expect(requests.days).toEqual(['2026-03-09']);
    expect((await usageOf(ts)).map((u) => u.person ?? 'org')).toEqual(['org', 'anag', 'bobk', 'newhire']);
    await ts.close();
  });

  it('skips lines that are not JSON objects or name no user, with a warning naming the line, and counts the rest once', async () => {
    const { ts, logger } = await open();
    const lines = report.trim().split('\n');
    const broken = [
      lines[0],
      '{"user_login": "anag", "day": "2026-03-09"',
      '[1,2]',
      '{"day":"2026-03-09","user_initiated_interaction_count":4}',
      lines[1],
    ].join('\n');
    answer.download = () => new HttpResponse(broken);
    await ts.sync();
    expect(logger.warnings.filter((w) => w.includes('Copilot usage'))).toEqual([
      'github: Copilot usage report of acme for 2026-03-09, line 2: not valid JSON; skipped',
      'github: Copilot usage report of acme for 2026-03-09, line 3: not a JSON object; skipped',
      'github: a Copilot usage row for 2026-03-09 has no user_login; skipped',
    ]);
    expect((await usageOf(ts)).map((u) => [u.person ?? 'org', u.activeUsers, u.interactions])).toEqual([
      ['org', 2, 17],
      ['anag', 1, 14],
      ['bobk', 1, 3],
    ]);
    await ts.close();
  });

  it('refuses copilot without an organisation, naming the option', () => {
    let error: unknown;
    try {
      github({ token: TOKEN, repositories: ['acme/api'], copilot: true });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TeamStateError);
    expect((error as Error).message).toContain('copilot: needs org');
  });
});
