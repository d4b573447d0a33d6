import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { type ConfluenceKnowledgeOptions, confluenceKnowledge } from '@teamstate/connectors/confluence';
import { createTeamState, type TeamState, TeamStateError } from '@teamstate/core';
import type { SetupServer } from 'msw/node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  API_TOKEN,
  CLOUD_SITE,
  createFakeConfluence,
  DATA_CENTER_SITE,
  EMAIL,
  type FakeConfluence,
  mswConfluence,
  PAT,
} from './fake-confluence.js';

// The Confluence knowledge source (issue 19) against a fake Confluence served through msw, indexing into a real libSQL
// file: incremental by page version, deletions, paging, rate limits, missing spaces and bad credentials.
let folder: string;
let fake: FakeConfluence;
let server: SetupServer;
let ts: TeamState;
let waits: { ms: number; reason: string }[];
const now = Date.parse('2026-03-18T09:00:00Z');

function start(deployment: 'cloud' | 'dataCenter') {
  fake = createFakeConfluence(deployment);
  server = mswConfluence(fake, deployment === 'cloud' ? CLOUD_SITE : DATA_CENTER_SITE);
  server.listen({ onUnhandledFrame: 'error' });
}

async function open(options: Partial<ConfluenceKnowledgeOptions> = {}) {
  await ts?.close();
  const base: ConfluenceKnowledgeOptions =
    fake.deployment === 'cloud'
      ? { host: CLOUD_SITE, email: EMAIL, apiToken: API_TOKEN, spaces: ['ENG'] }
      : { host: DATA_CENTER_SITE, apiToken: PAT, spaces: ['ENG'] };
  const source = confluenceKnowledge({
    ...base,
    requestsPerSecond: 0,
    sleep: async (ms, reason) => {
      waits.push({ ms, reason });
    },
    ...options,
  });
  ts = await createTeamState({ database: join(folder, 'teamstate.db'), clock: () => new Date(now), knowledge: { sources: [source] } });
}

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'teamstate-confluence-'));
  waits = [];
});
afterEach(async () => {
  await ts?.close();
  server?.close();
  rmSync(folder, { recursive: true, force: true });
});

/** A document's stored row, read straight from the database file. */
async function stored(uriLike: string) {
  const db = createClient({ url: `file:${join(folder, 'teamstate.db')}` });
  try {
    const { rows } = await db.execute({ sql: 'SELECT version, space, author FROM knowledge_documents WHERE uri LIKE ?', args: [uriLike] });
    return rows[0];
  } finally {
    db.close();
  }
}

const uris = async (query: string) => (await ts.knowledge.search(query, { limit: 10 })).map((hit) => hit.document.uri).sort();

describe('confluenceKnowledge on Confluence Cloud (REST v2)', () => {
  beforeEach(async () => {
    start('cloud');
    await open();
  });

  it('indexes the pages of a space with their web URL, title, version, date and author, converted to markdown', async () => {
    const progress: string[] = [];
    const result = await ts.knowledge.sync({ onProgress: (p) => progress.push(p.phase ?? '') });
    expect(result.ok).toBe(true);
    expect(result.sources[0]).toMatchObject({ source: 'confluence', status: 'succeeded', added: 3, updated: 0, removed: 0, skipped: 0 });
    expect(progress).toContain('space ENG: reading changed pages');
    // One space lookup, one listing without bodies, one request for the three bodies.
    expect([fake.count('spaces'), fake.count('list'), fake.count('bodies')]).toEqual([1, 1, 1]);
    const [best] = await ts.knowledge.search('how do I roll back a deploy with argo?');
    expect(best).toMatchObject({
      headingPath: ['Deploy runbook', 'Rolling back a deploy'],
      document: {
        title: 'Deploy runbook',
        uri: `${CLOUD_SITE}/wiki/spaces/ENG/pages/98305/Deploy+runbook`,
        source: 'confluence',
        updatedAt: '2026-02-27T14:03:10.512Z',
      },
    });
    expect(best!.text).toContain('```bash\nargocd app rollback payments-api "$REVISION"\n```');
    expect(best!.text).toContain('> **Warning**');
    expect(best!.text).not.toContain('argo-rollback.png');
    expect(await stored('%98311%')).toMatchObject({ version: '3', space: 'ENG', author: '712020:0e2f3c4d-5a6b-4c7d-8e9f-0a1b2c3d4e5f' });
    expect((await ts.knowledge.search('rotation schedule'))[0]?.document.uri).toBe(
      `${CLOUD_SITE}/wiki/spaces/ENG/pages/98311/On-call+handbook`,
    );
  });

  it('re-syncs an unchanged space without fetching a body, and fetches only the page whose version changed', async () => {
    await ts.knowledge.sync();
    const bodies = fake.count('bodies');
    const again = await ts.knowledge.sync();
    expect(again.sources[0]).toMatchObject({ added: 0, updated: 0, unchanged: 3, removed: 0, chunks: 0 });
    expect(fake.count('bodies')).toBe(bodies);

    fake.edit(
      '98317',
      '<h2>Decision</h2><p>Payment retries now use jittered backoff, capped at 120 seconds.</p>',
      '2026-03-10T08:00:00.000Z',
    );
    const changed = await ts.knowledge.sync();
    expect(changed.sources[0]).toMatchObject({ added: 0, updated: 1, unchanged: 2, removed: 0 });
    expect(fake.count('bodies')).toBe(bodies + 1);
    const [hit] = await ts.knowledge.search('jittered backoff');
    expect(hit?.document).toMatchObject({ title: 'ADR 12: Payment retries', updatedAt: '2026-03-10T08:00:00.000Z' });
    expect((await ts.knowledge.search('retry backoff')).map((passage) => passage.text).join('\n')).not.toContain('retry_backoff_seconds');
  });

  it('removes a deleted page from the index', async () => {
    await ts.knowledge.sync();
    fake.remove('98311');
    const result = await ts.knowledge.sync();
    expect(result.sources[0]).toMatchObject({ removed: 1, unchanged: 2 });
    expect(await uris('pagerduty rotation')).toEqual([]);
  });

  it('follows _links.next across listing pages', async () => {
    fake.pageLimit = 2;
    const result = await ts.knowledge.sync();
    expect(result.sources[0]).toMatchObject({ added: 3 });
    expect(fake.count('list')).toBe(2);
  });

  it('waits for Retry-After on a 429 and backs off on a 503, then goes on', async () => {
    fake.force('list', { status: 429, headers: { 'Retry-After': '7' }, body: { errors: [{ status: 429, title: 'Too Many Requests' }] } });
    fake.force('bodies', { status: 503, body: { errors: [{ status: 503, title: 'Service Unavailable' }] } });
    const result = await ts.knowledge.sync();
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(result.sources[0]).toMatchObject({ added: 3 });
    expect(waits.map((wait) => wait.ms)).toEqual([7000, 1000]);
    expect(waits[0]!.reason).toMatch(/^rate limited by Confluence \(429\); retry 1 of 6 for GET \/wiki\/api\/v2\/spaces\/131073\/pages/);
    expect(fake.count('list')).toBe(2);
  });

  it('warns about a space that does not exist or may not be read, indexes the others, and keeps what it had indexed of it', async () => {
    await open({ spaces: ['ENG', 'GHOST'] });
    const first = await ts.knowledge.sync();
    expect(first.ok).toBe(true);
    expect(first.sources[0]).toMatchObject({ added: 3, skipped: 1 });
    expect(first.warnings).toEqual([expect.stringMatching(/^space GHOST: skipped, it does not exist or the account may not read it/)]);

    // The account loses access to ENG: its pages stay searchable rather than disappearing.
    fake.spaces = [];
    const second = await ts.knowledge.sync();
    expect(second.sources[0]).toMatchObject({ removed: 0, unchanged: 3, skipped: 2 });
    expect(second.warnings.join('\n')).toMatch(/space ENG: skipped/);
    expect((await uris('argo rollback')).length).toBe(1);
  });

  it('fails on 401 with one message naming knowledge.confluence.apiToken, without the token, and leaves the index as it was', async () => {
    await ts.knowledge.sync();
    await open({ apiToken: 'ATATT3xFfGF0wrongTokenAlsoNeverPrinted' });
    const result = await ts.knowledge.sync();
    expect(result.ok).toBe(false);
    expect(result.sources[0]).toMatchObject({ status: 'failed', removed: 0, error: { code: 'upstream_error' } });
    expect(result.sources[0]!.error!.message).toMatch(/GET \/wiki\/api\/v2\/spaces failed with 401: .*knowledge\.confluence\.apiToken/);
    expect(JSON.stringify(result)).not.toMatch(/ATATT3xFfGF0/);
    expect((await uris('argo rollback')).length).toBe(1);
  });

  it('skips a page whose body cannot be converted with a warning naming it, keeping its last good version', async () => {
    await ts.knowledge.sync();
    // An exported table of 2.4 million characters: over what the converter takes.
    fake.edit(
      '98311',
      `<table><tbody>${'<tr><td><p>row</p></td><td><p>value</p></td></tr>'.repeat(50_000)}</tbody></table>`,
      '2026-03-11T08:00:00.000Z',
    );
    fake.edit('98317', '', '2026-03-11T08:00:00.000Z');
    fake.pages.find((page) => page.id === '98317').body = {};
    const result = await ts.knowledge.sync();
    expect(result.ok).toBe(true);
    expect(result.sources[0]).toMatchObject({ skipped: 2, removed: 0, updated: 0, unchanged: 3 });
    expect(result.warnings).toEqual([
      expect.stringMatching(
        /^space ENG: page "On-call handbook" \(https:\/\/acme\.atlassian\.net\/wiki\/spaces\/ENG\/pages\/98311\/On-call\+handbook\): skipped, its body could not be converted to markdown \(the body is 2,450,030 characters, over the 2,000,000 converted\)$/,
      ),
      expect.stringMatching(/^space ENG: page "ADR 12: Payment retries" \(.*\): skipped, Confluence sent no storage-format body/),
    ]);
    expect(await uris('pagerduty rotation')).toEqual([`${CLOUD_SITE}/wiki/spaces/ENG/pages/98311/On-call+handbook`]);
  });

  it('refuses bad options naming the setting', () => {
    const refused = (options: Partial<ConfluenceKnowledgeOptions>) => {
      try {
        confluenceKnowledge({ host: CLOUD_SITE, email: EMAIL, apiToken: API_TOKEN, spaces: ['ENG'], ...options });
      } catch (error) {
        expect(TeamStateError.isInstance(error)).toBe(true);
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(refused({ spaces: [] })).toBe('knowledge.confluence.spaces: list the space keys to index, e.g. [ENG]');
    expect(refused({ email: undefined })).toMatch(/^knowledge\.confluence\.email: Confluence Cloud authenticates with email \+ apiToken/);
    expect(refused({ apiToken: '' })).toMatch(/^knowledge\.confluence\.apiToken: required/);
    expect(refused({ host: `https://me:${API_TOKEN}@acme.atlassian.net` })).toMatch(
      /^knowledge\.confluence\.host: must not contain credentials/,
    );
    expect(refused({ host: 'https://wiki.acme.example', deployment: 'dataCenter' })).toMatch(/^knowledge\.confluence\.email: Data Center/);
    expect(refused({ spaces: ['ENG OPS'] })).toMatch(/^knowledge\.confluence\.spaces: "ENG OPS" is not a space key/);
  });
});

describe('confluenceKnowledge on Confluence Data Center (REST v1, personal access token)', () => {
  beforeEach(async () => {
    start('dataCenter');
    await open();
  });

  it('indexes pages by offset paging with the PAT as bearer, fetches bodies only for changed versions, and warns about a missing space', async () => {
    fake.pageLimit = 1;
    const first = await ts.knowledge.sync();
    expect(first.sources[0]).toMatchObject({ status: 'succeeded', added: 2 });
    expect([fake.count('space'), fake.count('list'), fake.count('body')]).toEqual([1, 2, 2]);
    const [best] = await ts.knowledge.search('rolling back deploy argo');
    expect(best?.document).toMatchObject({
      uri: `${DATA_CENTER_SITE}/display/ENG/Deploy+runbook`,
      updatedAt: '2026-02-27T14:03:10.512Z',
    });
    expect(await stored('%Deploy%')).toMatchObject({ version: '4', author: 'ana.g' });

    expect((await ts.knowledge.sync()).sources[0]).toMatchObject({ unchanged: 2, chunks: 0 });
    expect(fake.count('body')).toBe(2);

    fake.edit('65614', '<h2>Paging</h2><p>The secondary is paged after 10 minutes.</p>', '2026-03-12T09:00:00.000+01:00');
    expect((await ts.knowledge.sync()).sources[0]).toMatchObject({ updated: 1, unchanged: 1 });
    expect(fake.count('body')).toBe(3);

    await open({ spaces: ['ENG', 'NOPE'] });
    const missing = await ts.knowledge.sync();
    expect(missing.sources[0]).toMatchObject({ status: 'succeeded', unchanged: 2, skipped: 1, removed: 0 });
    expect(missing.warnings).toEqual([expect.stringMatching(/^space NOPE: skipped/)]);
  });

  it('fails on 401 naming knowledge.confluence.apiToken', async () => {
    await open({ apiToken: 'wrong-personal-access-token' });
    const result = await ts.knowledge.sync();
    expect(result.sources[0]!.error!.message).toMatch(
      /failed with 401: This request requires authentication\..*knowledge\.confluence\.apiToken/,
    );
    expect(result.sources[0]!.error!.message).not.toContain('wrong-personal-access-token');
  });
});
