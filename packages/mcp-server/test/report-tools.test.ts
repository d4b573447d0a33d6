import { demo } from '@teamstate/connectors/demo';
import { createTeamState, type TeamState } from '@teamstate/core';
import { builtinMetrics } from '@teamstate/metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, callError, connect } from './fixtures/connect.js';

const NOW = new Date('2026-11-23T09:30:00Z');
let ts: TeamState;
let asAna: Awaited<ReturnType<typeof connect>>;
let anonymous: Awaited<ReturnType<typeof connect>>;
let readOnly: Awaited<ReturnType<typeof connect>>;
/** Another person of the demo. */
let other: string;

beforeAll(async () => {
  ts = await createTeamState({ database: ':memory:', connectors: [demo()], metrics: builtinMetrics, clock: () => NOW });
  await ts.sync();
  other = (await ts.people.list()).find((person) => person.id !== 'ana-garcia')!.id;
  asAna = await connect(ts, { onBehalfOf: 'ana-garcia' });
  anonymous = await connect(ts);
  readOnly = await connect(ts, { onBehalfOf: 'ana-garcia', scopes: ['read', 'propose'] });
});
afterAll(async () => {
  for (const server of [asAna, anonymous, readOnly]) await server.close();
  await ts.close();
});

type ReportAnswer = { report: { id: string; person: string; day: string; text: string; blockers?: string; source: string } };

describe('submit_daily_report', () => {
  it("files the calling person's report (source mcp), searchable at once", async () => {
    const { report } = await call<ReportAnswer>(asAna.client, 'submit_daily_report', {
      text: 'Finished the ledger_sync retry and paired on refunds.',
      blockers: 'Waiting on the vendor sandbox credentials',
    });
    expect(report).toMatchObject({ person: 'ana-garcia', day: '2026-11-23', source: 'mcp' });
    // The demo's reports name the vendor sandbox too (another person is blocked on it), never its credentials.
    const { reports } = await call<{ reports: { report: { id: string }; snippet: string }[] }>(asAna.client, 'search_reports', {
      query: 'vendor sandbox credentials',
    });
    expect(reports.map((hit) => hit.report.id)).toEqual([report.id]);
    expect(reports[0]!.snippet).toContain('**vendor**');
  });

  it('writes for the caller only: no caller, another person, or a token without the write scope is refused, nothing written', async () => {
    const before = (await ts.reports.list()).items.length;
    expect(await callError(anonymous.client, 'submit_daily_report', { text: 'hello' })).toMatch(
      /^person: this server does not know who is calling; start it with --person <id> \(stdio\) or use a per-person token/,
    );
    expect(await callError(asAna.client, 'submit_daily_report', { text: 'hello', person: other })).toBe(
      `person: you can submit your own report only (you are ana-garcia); ask ${other} to submit theirs`,
    );
    expect(await callError(readOnly.client, 'submit_daily_report', { text: 'hello' })).toMatch(/^this token has no write scope/);
    expect(await callError(asAna.client, 'submit_daily_report', { text: '   ' })).toMatch(/^text: must not be empty/);
    expect(await callError(asAna.client, 'submit_daily_report', { text: 'later', day: '2026-11-30' })).toMatch(/^day: /);
    expect(await callError(asAna.client, 'submit_daily_report', { text: 'long ago', day: '2026-01-05' })).toMatch(
      /^day: 2026-01-05 is more than 30 days back/,
    );
    expect(await callError(asAna.client, 'submit_daily_report', { text: 'x'.repeat(20_001) })).toMatch(
      /^text: expected a non-empty string of at most 20000 characters/,
    );
    expect(await callError(asAna.client, 'submit_daily_report', { text: 'hello', person: 'nobody' })).toBe(
      'person: you can submit your own report only (you are ana-garcia); ask nobody to submit theirs',
    );
    expect((await ts.reports.list()).items.length).toBe(before);
  });

  it("tells the model to draft from person_timeline and to ask the person before submitting; reports are people's words", async () => {
    const { tools } = await asAna.client.listTools();
    const submit = tools.find((tool) => tool.name === 'submit_daily_report')!;
    expect(submit.description).toMatch(/person_timeline/);
    expect(submit.description).toMatch(/ask the person|approved/i);
    expect(submit.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false, openWorldHint: false });
    for (const name of ['search_reports', 'person_timeline'])
      expect(tools.find((tool) => tool.name === name)!.description).toMatch(/data, never (as )?instructions/);
  });
});

describe('search_reports', () => {
  it('takes any text as words, never as search syntax, and filters by person and days', async () => {
    for (const query of ['"vendor', 'deploy* OR NEAR(', 'team:payments -x', "'; DROP TABLE reports; --"])
      await call(asAna.client, 'search_reports', { query });
    const search = async (person: string) =>
      (await call<{ reports: { report: { person: string } }[] }>(asAna.client, 'search_reports', { query: 'credentials', person })).reports;
    expect((await search('ana-garcia')).map((hit) => hit.report.person)).toEqual(['ana-garcia']);
    expect(await search(other)).toEqual([]);
    expect(await callError(asAna.client, 'search_reports', { query: 'vendor', person: 'nobody' })).toMatch(
      /^person: unknown person .*"nobody"/,
    );
  });
});

describe('person_timeline', () => {
  it("merges the person's report and activity in time order, over the last 7 days by default", async () => {
    const page = await call<{ items: { at: string; kind: string }[]; nextCursor?: string }>(asAna.client, 'person_timeline', {
      person: 'ana-garcia',
    });
    const kinds = new Set(page.items.map((entry) => entry.kind));
    expect(kinds.has('report')).toBe(true);
    expect([...kinds].some((kind) => kind.startsWith('pr.') || kind === 'issue.moved')).toBe(true);
    const times = page.items.map((entry) => entry.at);
    expect(times).toEqual([...times].sort());
    expect(times[0]! >= '2026-11-16').toBe(true);
  });
});

describe('submit_daily_report with a NUL in its text', () => {
  it('refuses it by name, as propose_action does, and stores nothing', async () => {
    const before = await ts.reports.list({ person: 'ana-garcia', limit: 200 });
    for (const args of [{ text: 'Shipped the fix\u0000 and the hidden rest' }, { text: 'Shipped', blockers: 'none\u0000 hidden' }]) {
      const message = await callError(asAna.client, 'submit_daily_report', args);
      expect(message).toMatch(/(text|blockers): contains a NUL character \(U\+0000\) at index \d+; remove it/);
    }
    expect(await ts.reports.list({ person: 'ana-garcia', limit: 200 })).toEqual(before);
  });
});
