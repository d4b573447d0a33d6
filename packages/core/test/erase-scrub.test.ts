import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTeamState, localKnowledge, type TeamState, type TeamStateOptions } from '../src/index.js';
import { trackerConnector } from './fixtures/tracker-connector.js';

// What an erasure leaves in the bytes on disk (docs/security.md#erasing-a-person): an attacker who reads the database
// file and its write-ahead log after `people erase` (with `strings`, not SQL) must find none of the erased person's
// words, while everyone else's are still there. On a real libSQL file, read while teamstate still has it open.
let folder: string;
let ts: TeamState;
const NOW = new Date('2026-11-20T12:00:00Z');
const database = () => join(folder, 'teamstate.db');

// Her words: each appears nowhere else, so finding one in the file means it survived the erasure.
const HER = {
  id: 'quillfeather',
  name: 'Zephyrine Quillfeather',
  email: 'zephyrine@quillmail.example',
  login: 'zquillgh',
  slack: 'U0QUILLSLK',
  report: 'Calibrated the xylophonic refund reconciler',
  blockers: 'Waiting on the Borgravine sandbox credentials',
  firstDraft: 'Drafted the quasarine ledger migration',
  edited: 'Rewrote the quasarine ledger migration with Tintagelle',
  feedback: 'The assistant invented a frobnicatory helper called snorkelwick',
  tool: 'glimmerquill-agent',
};
// The index holds stemmed, lower-case tokens with shared prefixes cut: a token's tail is what the file would show.
const HER_TOKENS = ['ylophon', 'orgravin', 'uasarin', 'intagell'];
const HIS = { name: 'Benedikt Oakhollow', report: 'Tuned the marmalade cache for the refund queue', tokens: ['armalad'] };

const bundle = {
  format: 'teamstate.bundle/v1',
  teams: [{ id: 'pay', name: 'Payments' }],
  people: [
    {
      id: HER.id,
      name: HER.name,
      email: HER.email,
      teams: ['pay'],
      accounts: [
        { provider: 'github', id: '1001', login: HER.login },
        { provider: 'slack', id: HER.slack },
      ],
    },
    { id: 'ben', name: HIS.name, teams: ['pay'], accounts: [{ provider: 'github', id: '1002', login: 'benb' }] },
  ],
  repositories: [{ id: 'acme/api', team: 'pay' }],
  workItems: [
    {
      id: 'pr-1',
      source: 'github',
      kind: 'pull_request',
      key: 'acme/api#1',
      title: 'Refund flow',
      state: 'merged',
      repository: 'acme/api',
      author: HER.id,
      createdAt: '2026-11-16T09:00:00Z',
      mergedAt: '2026-11-17T09:00:00Z',
      reviews: [{ reviewer: 'ben', state: 'approved', submittedAt: '2026-11-16T15:00:00Z' }],
    },
  ],
  reports: [
    { person: HER.id, day: '2026-11-18', text: HER.report, blockers: HER.blockers },
    { person: HER.id, day: '2026-11-19', text: HER.firstDraft },
    { person: 'ben', day: '2026-11-19', text: HIS.report },
    // Weeks of reports: the full-text index merges its segments as they come (freeing pages that held her words).
    ...Array.from({ length: 60 }, (_, i) => new Date(Date.UTC(2026, 8, 1 + i)).toISOString().slice(0, 10)).flatMap((day, i) => [
      { person: HER.id, day, text: `${HER.report}, day ${i}`, blockers: i % 3 === 0 ? HER.blockers : undefined },
      { person: 'ben', day, text: `${HIS.report}, day ${i}` },
    ]),
  ],
  surveyResponses: [
    { pullRequest: 'pr-1', person: HER.id, role: 'author', assisted: 'mostly', tools: [HER.tool], respondedAt: '2026-11-18T10:00:00Z' },
  ],
};

async function open(options: TeamStateOptions = {}) {
  ts = await createTeamState({
    database: database(),
    clock: () => NOW,
    knowledge: { sources: [localKnowledge({ paths: ['docs'], baseDir: folder })] },
    // A webhook whose deliveries name people (as GitHub's name a pull request's author by login and name).
    connectors: [trackerConnector(() => ({ ignored: 'only kept' }))],
    ...options,
  });
}

/** A delivery received and done with, its body naming `who`. */
async function deliver(id: string, who: { login: string; name: string }) {
  const body = { event: 'pull_request', pull_request: { number: 1, user: { login: who.login, name: who.name } } };
  const answer = await ts.webhooks.receive('tracker', { headers: { 'x-delivery': id }, rawBody: Buffer.from(JSON.stringify(body)) });
  expect(answer.status).toBeLessThan(300);
  await ts.webhooks.idle();
}

/** The database file and its write-ahead log, as bytes: what `strings` would read. */
function fileBytes(): Buffer {
  const wal = `${database()}-wal`;
  return Buffer.concat([readFileSync(database()), existsSync(wal) ? readFileSync(wal) : Buffer.alloc(0)]);
}

/** The strings of `words` found in the bytes. */
const foundIn = (bytes: Buffer, words: readonly string[]) => words.filter((word) => bytes.includes(Buffer.from(word, 'utf8')));

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'teamstate-erase-scrub-'));
  mkdirSync(join(folder, 'docs'));
  writeFileSync(
    join(folder, 'docs', 'refunds.md'),
    `---\ntitle: Refunds\nauthor: ${HER.login}\n---\n\n# Refunds\n\nHow refunds reach the ledger.\n`,
  );
  await open();
  await ts.import(bundle);
  // An edit: the first draft becomes a revision, and leaves the index through a delete.
  await ts.reports.submit({ person: HER.id, day: '2026-11-19', text: HER.edited, source: 'api' });
  await ts.feedback.add({ person: HER.id, category: 'wrong_code', text: HER.feedback, tool: 'claude-code' });
  await ts.knowledge.sync();
  await deliver('d-her', { login: HER.login, name: HER.name });
  await deliver('d-his', { login: 'benb', name: HIS.name });
});
afterEach(async () => {
  await ts.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('ts.people.erase on a database file', () => {
  it('leaves none of her words in the database file or its write-ahead log, and everyone else’s still there', async () => {
    const words = [...Object.values(HER), ...HER_TOKENS];
    // Before: every one of her words is in the file (so finding none afterwards means something).
    expect(foundIn(fileBytes(), words)).toEqual(words);

    const { pseudonym, storage, archives, removed } = await ts.people.erase(HER.id, { by: 'dpo' });
    expect(storage).toBe('scrubbed');
    expect(archives).toEqual([]);
    expect(removed).toMatchObject({ reports: 62, reportRevisions: 1, aiFeedback: 1, surveyResponses: 1, accounts: 2, webhookBodies: 1 });

    expect(foundIn(fileBytes(), words)).toEqual([]);
    expect(foundIn(fileBytes(), [HIS.name, HIS.report, ...HIS.tokens])).toEqual([HIS.name, HIS.report, ...HIS.tokens]);
    // The data is whole: his report is still found, hers are not.
    expect(new Set((await ts.reports.search('marmalade')).map((hit) => hit.report.person))).toEqual(new Set(['ben']));
    expect(await ts.reports.search('quasarine')).toEqual([]);
    expect((await ts.workItems.get('pr-1'))!.author).toBe(pseudonym);
    // Her delivery is still known by its id (a redelivery is recognised), without its body; his keeps his.
    const bodies = await ts.store.execute('SELECT delivery_id, body IS NULL AS gone FROM webhook_deliveries ORDER BY delivery_id');
    expect(bodies.rows.map((row) => [row.delivery_id, row.gone])).toEqual([
      ['d-her', 1],
      ['d-his', 0],
    ]);
  });

  it('gives her knowledge documents to the pseudonym, also when the source is read again', async () => {
    const { pseudonym } = await ts.people.erase(HER.id, { by: 'dpo' });
    const authors = async () => (await ts.store.execute('SELECT author FROM knowledge_documents')).rows.map((row) => row.author);
    expect(await authors()).toEqual([pseudonym]);
    // Unchanged, and then changed under the same front matter: the login does not come back.
    expect((await ts.knowledge.sync()).sources[0]).toMatchObject({ unchanged: 1 });
    expect(await authors()).toEqual([pseudonym]);
    writeFileSync(
      join(folder, 'docs', 'refunds.md'),
      `---\nauthor: ${HER.email}\n---\n\n# Refunds\n\nHow refunds reach the ledger, and back.\n`,
    );
    expect((await ts.knowledge.sync()).sources[0]).toMatchObject({ updated: 1 });
    expect(await authors()).toEqual([pseudonym]);
  });

  it('does not store opt-outs the config still declares for her, and says which config entry to remove', async () => {
    await ts.people.erase(HER.id, { by: 'dpo' });
    await ts.close();
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (message: string) => warnings.push(message) };
    await open({ logger, optOuts: { [HER.id]: ['wellbeing', 'surveys'], ben: ['leaderboard'] } });
    expect((await ts.people.optOuts()).filter((o) => o.source === 'config').map((o) => [o.person, o.kind])).toEqual([
      ['ben', 'leaderboard'],
    ]);
    expect(Number((await ts.store.execute('SELECT count(*) AS n FROM person_opt_outs WHERE person_id = ?', [HER.id])).rows[0]!.n)).toBe(0);
    expect(warnings).toEqual([
      `people[${JSON.stringify(HER.id)}].optOut: ${HER.id} was erased, so their opt-outs are not stored; remove them from the config`,
    ]);
  });
});
