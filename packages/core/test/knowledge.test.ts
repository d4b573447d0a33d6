import { chmodSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { searchKnowledge } from '../src/features/knowledge/search-knowledge.js';
import { createTeamState, type KnowledgeSource, localKnowledge, type TeamState, TeamStateError } from '../src/index.js';
import type { Store } from '../src/kernel/store/open-store.js';

// Knowledge (docs/knowledge.md, issue 19): local markdown folders indexed into libSQL FTS5 and searched, on a
// real database file with an injected clock.
let folder: string;
let docs: string;
let ts: TeamState;
const now = Date.parse('2026-03-18T09:00:00Z');

function write(path: string, content: string | Buffer) {
  const file = join(docs, path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, content);
}

async function open(sources: KnowledgeSource[] = [localKnowledge({ paths: ['docs'], baseDir: folder })]) {
  ts = await createTeamState({ database: join(folder, 'teamstate.db'), clock: () => new Date(now), knowledge: { sources } });
}

const DEPLOY = `---
title: Deploying the API
author: anag
---

# Deploys

How the API reaches production.

## Rolling back a bad deploy

Run \`make rollback ENV=production\` and watch the error rate in Grafana. The rollback takes about five minutes.

\`\`\`bash
make rollback ENV=production
\`\`\`

## Feature flags

Set \`payments.refunds.enabled\` to false in LaunchDarkly to switch refunds off without a deploy.
`;

const ONCALL = `# On-call handbook

## Paging

PagerDuty pages the primary first. Escalate after 15 minutes to the secondary.

## Retry settings

The worker retries failed jobs with \`retry_backoff\` (seconds) and gives up after \`maxRetries\` attempts.
`;

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'teamstate-knowledge-'));
  docs = join(folder, 'docs');
  write('runbooks/deploy.md', DEPLOY);
  write('oncall.markdown', ONCALL);
  write('notes.txt', 'not markdown: rollback rollback rollback');
  await open();
});
afterEach(async () => {
  await ts.close();
  rmSync(folder, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(TeamStateError.isInstance(error)).toBe(true);
  return error as TeamStateError;
}

describe('ts.knowledge.sync with a local folder', () => {
  it('indexes markdown files only, with counts, and cites the title, path, heading and last update', async () => {
    utimesSync(join(docs, 'runbooks/deploy.md'), new Date('2026-03-01T10:00:00Z'), new Date('2026-03-01T10:00:00Z'));
    const result = await ts.knowledge.sync();
    expect(result.ok).toBe(true);
    expect(result.sources).toEqual([
      expect.objectContaining({ source: 'local', status: 'succeeded', added: 2, updated: 0, removed: 0, skipped: 0 }),
    ]);
    expect(result.sources[0]!.chunks).toBeGreaterThanOrEqual(5);
    const [best] = await ts.knowledge.search('how do I roll back a bad deploy?');
    expect(best).toEqual({
      text: expect.stringContaining('make rollback ENV=production'),
      headingPath: ['Deploys', 'Rolling back a bad deploy'],
      score: expect.any(Number),
      document: { title: 'Deploying the API', uri: 'docs/runbooks/deploy.md', source: 'local', updatedAt: '2026-03-01T10:00:00.000Z' },
    });
    // The code block stays whole inside its passage.
    expect(best!.text).toContain('```bash\nmake rollback ENV=production\n```');
    expect(await ts.knowledge.search('rollback rollback')).not.toContainEqual(
      expect.objectContaining({ document: expect.objectContaining({ uri: 'docs/notes.txt' }) }),
    );
  });

  it('does no write when nothing changed, rewrites a changed file, and drops a deleted one', async () => {
    await ts.knowledge.sync();
    const writes = vi.spyOn(ts.store, 'write');
    const again = await ts.knowledge.sync();
    expect(again.sources[0]).toMatchObject({ added: 0, updated: 0, unchanged: 2, removed: 0, chunks: 0 });
    expect(writes).not.toHaveBeenCalled();
    // Touching a file without changing it is no change either.
    utimesSync(join(docs, 'oncall.markdown'), new Date(), new Date());
    expect((await ts.knowledge.sync()).sources[0]).toMatchObject({ updated: 0, unchanged: 2 });
    expect(writes).not.toHaveBeenCalled();

    write('oncall.markdown', ONCALL.replace('15 minutes', '30 minutes'));
    rmSync(join(docs, 'runbooks/deploy.md'));
    const changed = await ts.knowledge.sync();
    expect(changed.sources[0]).toMatchObject({ added: 0, updated: 1, unchanged: 0, removed: 1 });
    expect((await ts.knowledge.search('escalate'))[0]!.text).toContain('30 minutes');
    expect(await ts.knowledge.search('rollback')).toEqual([]);
    const { rows } = await ts.store.execute("SELECT count(*) AS n FROM knowledge_fts WHERE knowledge_fts MATCH 'rollback'");
    expect(Number(rows[0]!.n)).toBe(0);
  });

  it('skips binary, non-UTF-8 and unreadable files with a warning naming each, and indexes the rest', async () => {
    write('image.md', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    write('latin1.md', Buffer.from('# Caf\xe9 menu\n\nCr\xe8me br\xfbl\xe9e', 'latin1'));
    write('secret.md', '# Secret\n\nhidden');
    chmodSync(join(docs, 'secret.md'), 0o000);
    const result = await ts.knowledge.sync();
    chmodSync(join(docs, 'secret.md'), 0o644);
    expect(result.sources[0]).toMatchObject({ status: 'succeeded', added: process.getuid?.() === 0 ? 3 : 2 });
    expect(result.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^docs\/image\.md: skipped, the file is binary/),
        expect.stringMatching(/^docs\/latin1\.md: skipped, the file is not UTF-8/),
      ]),
    );
    if (process.getuid?.() !== 0)
      expect(result.warnings).toContainEqual(expect.stringMatching(/^docs\/secret\.md: skipped, the file cannot be read \(EACCES\)/));
    expect(await ts.knowledge.search('deploy')).not.toEqual([]);
  });

  it('refuses a configured folder that does not exist, naming it, and keeps the index as it was', async () => {
    await ts.knowledge.sync();
    await ts.close();
    await open([localKnowledge({ paths: ['missing-folder'], baseDir: folder })]);
    const result = await ts.knowledge.sync();
    expect(result.ok).toBe(false);
    expect(result.sources[0]!.error?.message).toMatch(/knowledge\.local\.paths: missing-folder does not exist/);
    expect(await ts.knowledge.search('rollback')).toHaveLength(1);
  });
});

describe('ts.knowledge.search', () => {
  beforeEach(async () => {
    await ts.knowledge.sync();
  });

  it('matches natural-language questions on any of their content words, stemmed', async () => {
    const hits = await ts.knowledge.search('Who gets paged first when something breaks?');
    expect(hits[0]).toMatchObject({ headingPath: ['On-call handbook', 'Paging'] });
    expect((await ts.knowledge.search('escalating pages'))[0]!.headingPath).toEqual(['On-call handbook', 'Paging']);
  });

  it('finds code identifiers whole and by their parts (snake_case, camelCase, dotted names)', async () => {
    for (const query of ['retry_backoff', 'retry backoff', 'maxRetries', 'max retries', 'payments.refunds.enabled', 'refunds enabled']) {
      const [best] = await ts.knowledge.search(query);
      expect(best, query).toBeDefined();
      expect(best!.text, query).toMatch(/retry_backoff|payments\.refunds\.enabled/);
    }
  });

  it('finds hyphenated words written as one word (on-call as oncall)', async () => {
    expect((await ts.knowledge.search('oncall paging'))[0]!.document.title).toBe('On-call handbook');
  });

  it('gives at most two passages per document', async () => {
    write('long.md', `# Long\n\n${Array.from({ length: 6 }, (_, i) => `## Part ${i}\n\nrollback step ${i}\n`).join('\n')}`);
    await ts.knowledge.sync();
    const hits = await ts.knowledge.search('rollback', { limit: 10 });
    const perDocument = new Map<string, number>();
    for (const hit of hits) perDocument.set(hit.document.uri, (perDocument.get(hit.document.uri) ?? 0) + 1);
    expect(Math.max(...perDocument.values())).toBe(2);
    expect(perDocument.size).toBe(2);
  });

  it('finds a match that ranks below many others when filters leave few of the best ones', async () => {
    for (let i = 0; i < 70; i++) write(`many/page-${i}.md`, `# Rollback ${i}\n\nrollback rollback rollback step ${i}`);
    await ts.close();
    const wiki: KnowledgeSource = {
      specificationVersion: 'v1',
      id: 'wiki',
      source: 'confluence',
      async sync(ctx) {
        await ctx.put({
          uri: 'https://wiki.example/1',
          markdown: '# Notes\n\nA long page that mentions a rollback once among many other words.',
          updatedAt: now,
        });
      },
    };
    await open([localKnowledge({ paths: ['docs'], baseDir: folder }), wiki]);
    await ts.knowledge.sync();
    expect((await ts.knowledge.search('rollback', { limit: 5 })).every((hit) => hit.document.source === 'local')).toBe(true);
    expect((await ts.knowledge.search('rollback', { source: 'confluence' })).map((hit) => hit.document.uri)).toEqual([
      'https://wiki.example/1',
    ]);
  });

  it('never reads user text as FTS or SQL syntax', async () => {
    for (const query of [
      '"',
      '"rollback',
      'roll*',
      'NEAR(rollback deploy)',
      '(rollback',
      'rollback)',
      '-rollback',
      'title:rollback',
      'rollback AND',
      'OR',
      "'; DROP TABLE knowledge_chunks; --",
      '^deploy',
      '{title}: x',
      '***',
    ]) {
      const hits = await ts.knowledge.search(query);
      expect(Array.isArray(hits), query).toBe(true);
    }
    expect((await ts.knowledge.search('NEAR(rollback deploy)'))[0]!.headingPath).toContain('Rolling back a bad deploy');
    expect(await ts.knowledge.search('rollback')).toHaveLength(1);
  });

  it('leaves out a passage that another process removes between its two reads, and returns the rest', async () => {
    // The second read (the passages' text) happens after a second connection, as another process's sync would,
    // deleted the best passage's document.
    const other = createClient({ url: `file:${join(folder, 'teamstate.db')}`, timeout: 5_000 });
    const store: Store = {
      ...ts.store,
      async execute(sql, args) {
        if (sql.includes('c.heading_path AS')) {
          await other.execute(
            "DELETE FROM knowledge_chunks WHERE document_id IN (SELECT id FROM knowledge_documents WHERE uri = 'docs/runbooks/deploy.md')",
          );
          await other.execute("DELETE FROM knowledge_documents WHERE uri = 'docs/runbooks/deploy.md'");
        }
        return ts.store.execute(sql, args);
      },
    };
    try {
      const before = await ts.knowledge.search('rollback deploy paging escalate');
      expect(new Set(before.map((p) => p.document.uri))).toEqual(new Set(['docs/runbooks/deploy.md', 'docs/oncall.markdown']));
      const passages = await searchKnowledge(store, 'default', 'rollback deploy paging escalate');
      expect(passages.length).toBeGreaterThan(0);
      expect(passages.map((p) => p.document.uri)).toEqual(passages.map(() => 'docs/oncall.markdown'));
    } finally {
      other.close();
    }
  });

  it('names the column when the store holds a value of another type, rather than citing a wrong one', async () => {
    await ts.store.execute("UPDATE knowledge_documents SET updated_at = 'yesterday' WHERE uri = 'docs/oncall.markdown'");
    expect((await failure(ts.knowledge.search('paging'))).message).toMatch(
      /^column "updatedAt": expected a number, the database returned string "yesterday" \(is the schema migrated\?\)/,
    );
    expect((await ts.knowledge.search('rollback'))[0]!.document.uri).toBe('docs/runbooks/deploy.md');
  });

  it('refuses an empty query and one over 500 characters, naming query', async () => {
    expect((await failure(ts.knowledge.search(''))).message).toMatch(/^query: must not be empty/);
    expect((await failure(ts.knowledge.search('   '))).message).toMatch(/^query: must not be empty/);
    expect((await failure(ts.knowledge.search('x'.repeat(501)))).message).toMatch(/^query: 501 characters, at most 500/);
    expect((await failure(ts.knowledge.search('deploy', { limit: 0 }))).message).toMatch(/^limit:/);
    expect((await failure(ts.knowledge.search('deploy', { source: 'Wiki Pages' }))).message).toMatch(
      /^source: expected a knowledge source kind/,
    );
  });

  it('filters by source and by the teams allowed to see a document', async () => {
    await ts.close();
    const privateDocs = join(folder, 'private');
    mkdirSync(privateDocs);
    writeFileSync(join(privateDocs, 'payroll.md'), '# Payroll runbook\n\n## Rollback\n\nPayroll rollback needs the finance lead.');
    await open([
      localKnowledge({ paths: ['docs'], baseDir: folder }),
      localKnowledge({ id: 'finance', paths: ['private'], baseDir: folder, visibility: ['finance'] }),
    ]);
    await ts.import({
      format: 'teamstate.bundle/v1',
      teams: [
        { id: 'finance', name: 'Finance' },
        { id: 'payments', name: 'Payments' },
      ],
      people: [
        { id: 'fay', name: 'Fay', teams: ['finance'] },
        { id: 'ana', name: 'Ana', teams: ['payments'] },
      ],
    });
    await ts.knowledge.sync();
    const uris = async (options: Parameters<TeamState['knowledge']['search']>[1]) =>
      (await ts.knowledge.search('rollback', options)).map((hit) => hit.document.uri).sort();
    expect(await uris({})).toEqual(['docs/runbooks/deploy.md', 'private/payroll.md']);
    expect(await uris({ team: 'payments' })).toEqual(['docs/runbooks/deploy.md']);
    expect(await uris({ person: 'ana' })).toEqual(['docs/runbooks/deploy.md']);
    expect(await uris({ person: 'fay' })).toEqual(['docs/runbooks/deploy.md', 'private/payroll.md']);
    expect(await uris({ source: 'github' })).toEqual([]);
    expect((await failure(ts.knowledge.search('rollback', { person: 'nobody' }))).message).toMatch(/^person: no person "nobody"/);
  });
});

describe('a source that keeps what it did not read again', () => {
  const page = { uri: 'https://wiki.example/pages/42', version: '7', space: 'ENG', updatedAt: '2026-03-01T00:00:00Z' };
  const wiki = (visibility?: string[], seen?: (known: unknown) => void): KnowledgeSource => ({
    specificationVersion: 'v1',
    id: 'wiki',
    source: 'confluence',
    ...(visibility ? { visibility } : {}),
    async sync(ctx) {
      const known = await ctx.known();
      seen?.(known.get(page.uri));
      if (known.get(page.uri)?.version === page.version) ctx.keep(page.uri);
      else await ctx.put({ ...page, markdown: '# Refunds\n\nRefunds settle in five days.' });
    },
  });

  it('is told the space of what it indexed, and a kept page follows the visibility the config gives now', async () => {
    await ts.close();
    await open([wiki()]);
    await ts.knowledge.sync();
    await ts.import({
      format: 'teamstate.bundle/v1',
      teams: [
        { id: 'finance', name: 'Finance' },
        { id: 'payments', name: 'Payments' },
      ],
    });
    expect((await ts.knowledge.search('refunds settle', { team: 'payments' })).length).toBe(1);
    await ts.close();
    let known: unknown;
    await open([wiki(['finance'], (k) => (known = k))]);
    const { sources } = await ts.knowledge.sync();
    expect(known).toMatchObject({ uri: page.uri, version: '7', space: 'ENG' });
    expect(sources[0]).toMatchObject({ updated: 1, unchanged: 0, chunks: 0 });
    expect(await ts.knowledge.search('refunds settle', { team: 'payments' })).toEqual([]);
    expect((await ts.knowledge.search('refunds settle', { team: 'finance' })).length).toBe(1);
    expect((await ts.knowledge.sync()).sources[0]).toMatchObject({ updated: 0, unchanged: 1 });
  });
});

describe('ts.knowledge.whoKnows', () => {
  const pr = (id: string, title: string, author: string, mergedAt: string, reviewer?: string, labels: string[] = []) => ({
    id,
    source: 'github',
    kind: 'pull_request',
    key: `acme/api#${id}`,
    title,
    state: 'merged',
    repository: 'acme/api',
    author,
    createdAt: mergedAt,
    mergedAt,
    labels,
    url: `https://github.com/acme/api/pull/${id}`,
    ...(reviewer ? { reviews: [{ reviewer, state: 'approved', submittedAt: mergedAt }] } : {}),
  });

  beforeEach(async () => {
    await ts.import({
      format: 'teamstate.bundle/v1',
      teams: [
        { id: 'payments', name: 'Payments' },
        { id: 'platform', name: 'Platform' },
      ],
      repositories: [{ id: 'acme/api', team: 'payments' }],
      people: [
        { id: 'ana', name: 'Ana', teams: ['payments'], accounts: [{ provider: 'github', id: '1', login: 'anag' }] },
        { id: 'ben', name: 'Ben', teams: ['payments'] },
        { id: 'cleo', name: 'Cleo', teams: ['platform'] },
      ],
      workItems: [
        pr('1', 'Fix rollback of deploys', 'ben', '2026-03-10T10:00:00Z', 'cleo'),
        pr('2', 'Speed up dashboards', 'cleo', '2026-03-11T10:00:00Z', undefined, ['rollback']),
        pr('3', 'Rollback script for deploys', 'cleo', '2024-03-11T10:00:00Z'),
        {
          id: 'PAY-7',
          source: 'jira',
          kind: 'bug',
          key: 'PAY-7',
          title: 'Rollback leaves stale cache',
          state: 'Done',
          statusCategory: 'done',
          assignees: ['ben'],
          createdAt: '2026-03-01T10:00:00Z',
          resolvedAt: '2026-03-02T10:00:00Z',
        },
      ],
    });
    await ts.knowledge.sync();
  });

  it('ranks people by evidence (document author by login, PRs authored and reviewed, issues resolved), recent first', async () => {
    const people = await ts.knowledge.whoKnows('rollback of deploys');
    expect(people.map((p) => p.person.id)).toEqual(['ana', 'ben', 'cleo']);
    const [ana, ben, cleo] = people;
    expect(ben!.evidence.map((e) => e.kind).sort()).toEqual(['issue_resolved', 'pr_authored']);
    expect(ana!.evidence).toEqual([
      { kind: 'document', title: 'Deploying the API', ref: 'docs/runbooks/deploy.md', at: expect.any(String) },
    ]);
    expect(cleo!.evidence.map((e) => e.kind)).toEqual(expect.arrayContaining(['pr_reviewed', 'pr_authored']));
    // The two-year-old PR weighs less than this month's review and labelled PR.
    const old = cleo!.evidence.findIndex((e) => e.ref.endsWith('/pull/3'));
    expect(old).toBe(cleo!.evidence.length - 1);
  });

  it('filters by team, and refuses an empty topic naming it', async () => {
    expect((await ts.knowledge.whoKnows('rollback', { team: 'platform' })).map((p) => p.person.id)).toEqual(['cleo']);
    expect((await failure(ts.knowledge.whoKnows(''))).message).toMatch(/^query: must not be empty/);
    expect((await failure(ts.knowledge.whoKnows('rollback', { limit: 99 }))).message).toMatch(/^limit:/);
  });
});

describe('ts.knowledge.whoKnows on the paths pull requests touched', () => {
  // A repository's README indexed by a source that knows its repository and path, as the GitHub source does.
  const payoutsReadme: KnowledgeSource = {
    specificationVersion: 'v1',
    id: 'repo-docs',
    source: 'github',
    async sync(ctx) {
      await ctx.put({
        uri: 'https://github.com/acme/api/blob/main/services/payouts/README.md',
        markdown: '# Payouts\n\n## Schedule\n\nPayouts run every night at 02:00 UTC; the schedule lives in `payouts.cron`.\n',
        updatedAt: '2026-03-01T00:00:00Z',
        repository: 'acme/api',
        path: 'services/payouts/README.md',
      });
    },
  };
  const pr = (id: string, title: string, author: string, paths?: string[]) => ({
    id,
    source: 'github',
    kind: 'pull_request',
    key: `acme/api#${id}`,
    title,
    state: 'merged',
    repository: 'acme/api',
    author,
    createdAt: '2026-03-10T10:00:00Z',
    mergedAt: '2026-03-10T10:00:00Z',
    url: `https://github.com/acme/api/pull/${id}`,
    ...(paths ? { paths } : {}),
  });
  const bundle = (workItems: unknown[]) => ({
    format: 'teamstate.bundle/v1',
    repositories: [{ id: 'acme/api' }],
    people: [
      { id: 'dev', name: 'Dev', teams: [] },
      { id: 'eve', name: 'Eve', teams: [] },
      { id: 'fay', name: 'Fay', teams: [] },
    ],
    workItems,
  });

  beforeEach(async () => {
    await ts.close();
    await open([payoutsReadme]);
    await ts.import(
      bundle([
        pr('10', 'Bump worker timeout', 'dev', ['services/payouts/worker.ts', 'services/payouts/worker.test.ts']),
        pr('11', 'Tidy imports', 'eve', ['services/reconciliation/ledger.ts']),
        pr('12', 'Tidy imports', 'fay', ['web/src/app.tsx']),
      ]),
    );
    await ts.knowledge.sync();
  });

  it("counts the authors of pull requests under a matching document's folder, and of those touching paths named by the topic", async () => {
    const schedule = await ts.knowledge.whoKnows('payout schedule');
    expect(schedule.map((p) => p.person.id)).toEqual(['dev']);
    expect(schedule[0]!.evidence).toEqual([
      {
        kind: 'pr_authored',
        title: 'acme/api#10 Bump worker timeout',
        ref: 'https://github.com/acme/api/pull/10',
        at: '2026-03-10T10:00:00.000Z',
      },
    ]);
    expect((await ts.knowledge.whoKnows('ledger reconciliation')).map((p) => p.person.id)).toEqual(['eve']);
  });

  it('counts the assignees of resolved issues whose components match the topic', async () => {
    await ts.import({
      format: 'teamstate.bundle/v1',
      people: [{ id: 'gus', name: 'Gus', teams: [] }],
      workItems: [
        {
          id: 'LED-4',
          source: 'jira',
          kind: 'bug',
          key: 'LED-4',
          title: 'Nightly job fails on leap days',
          state: 'Done',
          statusCategory: 'done',
          components: ['Payout scheduler'],
          assignees: ['gus'],
          createdAt: '2026-03-01T10:00:00Z',
          resolvedAt: '2026-03-02T10:00:00Z',
        },
      ],
    });
    // Neither its title nor its labels say "scheduler": only its component does.
    const gus = (await ts.knowledge.whoKnows('scheduler')).find((p) => p.person.id === 'gus');
    expect(gus?.evidence).toEqual([
      { kind: 'issue_resolved', title: 'LED-4 Nightly job fails on leap days', ref: 'LED-4', at: '2026-03-02T10:00:00.000Z' },
    ]);
  });

  it('keeps the stored paths when a later write of the pull request does not give them, and exports them', async () => {
    await ts.import(bundle([pr('10', 'Bump worker timeout (v2)', 'dev')]));
    const item = await ts.workItems.get('10');
    expect(item?.title).toBe('Bump worker timeout (v2)');
    expect(item?.paths).toEqual(['services/payouts/worker.ts', 'services/payouts/worker.test.ts']);
    const exported = await ts.export();
    expect(exported.workItems?.find((w) => w.id === '11')?.paths).toEqual(['services/reconciliation/ledger.ts']);
  });

  it('refuses an empty path, naming it', async () => {
    const error = await failure(ts.import(bundle([pr('13', 'x', 'dev', [''])])));
    expect(error.message).toContain('workItems[0].paths[0]');
  });

  it('refuses an empty component, naming it and the fix, and writes nothing', async () => {
    const before = await ts.export();
    const error = await failure(
      ts.import({
        format: 'teamstate.bundle/v1',
        workItems: [
          {
            id: 'LED-9',
            source: 'jira',
            kind: 'bug',
            key: 'LED-9',
            title: 'Retry storm',
            state: 'To Do',
            components: ['Payouts', ''],
            createdAt: '2026-03-01T10:00:00Z',
          },
        ],
      }),
    );
    expect(error.message).toContain('workItems[0].components[1]');
    expect(error.message).toContain('a component name such as "Checkout"');
    expect(await ts.export()).toEqual(before);
  });
});
