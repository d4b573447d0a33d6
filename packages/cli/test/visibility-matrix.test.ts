import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createTeamState, type KnowledgeSource, type SignalDetector, type TeamState } from '@teamstate/core';
import { createMcpHttpHandler, createMcpServer, type McpHttpHandler } from '@teamstate/mcp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackCommandAnswers } from '../src/slack-command-answers.js';

// The reading rule on every surface (docs/security.md#who-may-read-what): a member of Payments (ana), a member of
// Growth (gus), the lead of Payments (lena, not a member) and a credential naming nobody read Ben's (Payments) report,
// timeline, feedback and wellbeing and a document restricted to Payments, through the SDK (`ts.as`), MCP as stdio
// serves it (`--person`), MCP over HTTP (per-person and shared tokens) and the Slack command. Real store, real clients.
const NOW = new Date('2026-11-20T18:00:00Z');
const SHARED = randomBytes(32).toString('base64url');
const SECRET_DOC = 'payments/refund-ledger.md';

const everyone: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'person.test_wellbeing',
  title: 'Test wellbeing',
  description: 'Every person, for the visibility matrix.',
  wellbeing: true,
  async detect(db) {
    const people = await db.all<{ id: string }>({ text: 'SELECT id FROM people WHERE workspace = ? ORDER BY id', args: [db.workspace] });
    return people.map((p) => ({
      severity: 'info' as const,
      subject: { type: 'person' as const, id: p.id },
      title: `${p.id} works late`,
      evidence: {},
    }));
  },
};

const paymentsDocs: KnowledgeSource = {
  specificationVersion: 'v1',
  id: 'payments-notes',
  source: 'local',
  visibility: ['pay'],
  async sync(ctx) {
    await ctx.put({
      uri: SECRET_DOC,
      markdown: '# Refund ledger\n\n## Reconciling\n\nThe refund ledger reconciles against the acquirer every night.',
      updatedAt: '2026-11-01T00:00:00Z',
      author: 'ben',
    });
  },
};

const bundle = {
  format: 'teamstate.bundle/v1',
  teams: [
    { id: 'pay', name: 'Payments', leads: ['lena'] },
    { id: 'growth', name: 'Growth' },
  ],
  people: [
    { id: 'ana', name: 'Ana', teams: ['pay'] },
    { id: 'ben', name: 'Ben', teams: ['pay'] },
    { id: 'lena', name: 'Lena' },
    { id: 'gus', name: 'Gus', teams: ['growth'] },
  ],
  repositories: [{ id: 'acme/api', team: 'pay' }],
  workItems: [
    {
      id: 'pr-1',
      source: 'github',
      kind: 'pull_request',
      key: 'acme/api#1',
      title: 'Refund retries',
      state: 'open',
      repository: 'acme/api',
      author: 'ben',
      createdAt: '2026-11-19T09:00:00Z',
    },
  ],
  reports: [{ person: 'ben', day: '2026-11-19', text: 'Refund retries behind the acquirer sandbox', blockers: 'Acquirer sandbox down' }],
  aiFeedback: [
    {
      person: 'ben',
      category: 'hallucinated_api',
      text: 'Suggested the retired refunds endpoint',
      repository: 'acme/api',
      createdAt: '2026-11-18T10:00:00Z',
    },
  ],
};

type Viewer = 'ana' | 'gus' | 'lena' | 'nobody';
const VIEWERS: Viewer[] = ['ana', 'gus', 'lena', 'nobody'];
/** What each viewer may read of Ben's words and wellbeing (privacy defaults: reports `team`, wellbeing `leads`). */
const READS_BENS_WORDS: Record<Viewer, boolean> = { ana: true, gus: false, lena: true, nobody: false };
const READS_BENS_WELLBEING: Record<Viewer, boolean> = { ana: false, gus: false, lena: true, nobody: false };
const READS_SECRET_DOC: Record<Viewer, boolean> = { ana: true, gus: false, lena: true, nobody: false };

let ts: TeamState;
let http: Server;
let handler: McpHttpHandler;
let endpoint: URL;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  ts = await createTeamState({ database: ':memory:', clock: () => NOW, signals: [everyone], knowledge: { sources: [paymentsDocs] } });
  await ts.import(bundle);
  await ts.knowledge.sync();
  await ts.signals.refresh();
  handler = createMcpHttpHandler(ts, { token: SHARED });
  http = createServer((req, res) => void handler.handle(req, res));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  endpoint = new URL(`http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`);
});
afterAll(async () => {
  for (const close of closers.splice(0)) await close();
  await handler.close();
  await new Promise((resolve) => http.close(resolve));
  await ts.close();
});

/** A client of the server stdio runs for `teamstate mcp --person <p>` (a credential naming nobody: only over HTTP). */
async function stdioClient(viewer: Viewer): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const server = createMcpServer(ts, viewer === 'nobody' ? { scopes: ['read'] } : { onBehalfOf: viewer });
  await server.connect(serverSide);
  const client = new Client({ name: 'matrix', version: '1.0.0' });
  await client.connect(clientSide);
  closers.push(async () => {
    await client.close();
    await server.close();
  });
  return client;
}

async function httpClient(viewer: Viewer): Promise<Client> {
  const token = viewer === 'nobody' ? SHARED : (await ts.tokens.create({ person: viewer, scopes: ['read'] })).token;
  const client = new Client({ name: 'matrix', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(endpoint, { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  closers.push(() => client.close());
  return client;
}

// biome-ignore lint/suspicious/noExplicitAny: each caller reads the fields of the tool's own output schema
async function tool(client: Client, name: string, args: Record<string, unknown>): Promise<{ error?: string; value?: any }> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = result.content[0]?.type === 'text' ? result.content[0].text : '';
  return result.isError ? { error: text } : { value: result.structuredContent };
}

/** What one surface lets a viewer read, in the same five answers for every surface. */
interface Seen {
  reportHits: number;
  teamSearch: string;
  timelineKinds: string[];
  feedbackExamples: number;
  wellbeingOfBen: boolean;
  secretDoc: boolean;
}

async function viaSdk(viewer: Viewer): Promise<Seen> {
  const as = ts.as(viewer === 'nobody' ? {} : viewer);
  const teamSearch = await as.reports.search('acquirer', { team: 'pay' }).then(
    (hits) => `${hits.length} hits`,
    (error: Error) => error.message,
  );
  const patterns = await as.feedback.patterns({ from: '2026-11-01T00:00:00Z' });
  return {
    reportHits: (await as.reports.search('acquirer')).length,
    teamSearch,
    timelineKinds: (await as.reports.timeline('ben', { from: '2026-11-18', to: '2026-11-21' })).items.map((e) => e.kind),
    feedbackExamples: patterns.total,
    wellbeingOfBen: (await as.signals.list()).some((s) => s.subject.id === 'ben'),
    secretDoc: (await as.knowledge.search('refund ledger reconciles')).some((p) => p.document.uri === SECRET_DOC),
  };
}

async function viaMcp(client: Client): Promise<Seen> {
  const all = await tool(client, 'search_reports', { query: 'acquirer' });
  const team = await tool(client, 'search_reports', { query: 'acquirer', team: 'pay' });
  const timeline = await tool(client, 'person_timeline', { person: 'ben', from: '2026-11-18', to: '2026-11-21' });
  const patterns = await tool(client, 'ai_feedback_patterns', { from: '2026-11-01T00:00:00Z' });
  const signals = await tool(client, 'list_signals', {});
  const passages = await tool(client, 'search_knowledge', { query: 'refund ledger reconciles' });
  return {
    reportHits: all.value.reports.length,
    teamSearch: team.error ?? `${team.value.reports.length} hits`,
    timelineKinds: timeline.value.items.map((e: { kind: string }) => e.kind),
    feedbackExamples: patterns.value.total,
    wellbeingOfBen: signals.value.signals.some((s: { subject: { id: string } }) => s.subject.id === 'ben'),
    secretDoc: passages.value.passages.some((p: { document: { uri: string } }) => p.document.uri === SECRET_DOC),
  };
}

function expected(viewer: Viewer): Seen {
  const words = READS_BENS_WORDS[viewer];
  return {
    reportHits: words ? 1 : 0,
    teamSearch: words
      ? '1 hits'
      : `forbidden: reports of team pay are visible to that team and its leads${viewer === 'nobody' ? '; this credential names no person (use a per-person token or --person)' : ''}`,
    timelineKinds: words ? ['pr.opened', 'report'] : ['pr.opened'],
    feedbackExamples: words ? 1 : 0,
    wellbeingOfBen: READS_BENS_WELLBEING[viewer],
    secretDoc: READS_SECRET_DOC[viewer],
  };
}

describe('who may read what, on every surface', () => {
  it('the SDK: ts.as(person) and a viewer without a person', async () => {
    for (const viewer of VIEWERS) expect([viewer, await viaSdk(viewer)]).toEqual([viewer, expected(viewer)]);
    // Without ts.as the SDK is the database's owner.
    expect((await ts.reports.search('acquirer')).length).toBe(1);
  });

  it('MCP as stdio serves it (--person)', async () => {
    for (const viewer of VIEWERS) expect([viewer, await viaMcp(await stdioClient(viewer))]).toEqual([viewer, expected(viewer)]);
  });

  it('MCP over HTTP: per-person tokens and the shared token without mcp.person', async () => {
    for (const viewer of VIEWERS) expect([viewer, await viaMcp(await httpClient(viewer))]).toEqual([viewer, expected(viewer)]);
  });

  it('the Slack command: /teamstate ask finds the restricted document only for those who may read it', async () => {
    const answers = slackCommandAnswers(() => ts);
    for (const viewer of ['ana', 'gus', 'lena'] as const) {
      const answer = await answers.ask!({ argument: 'refund ledger reconciles', person: viewer, user: `U-${viewer}` });
      expect([viewer, answer?.text?.includes(SECRET_DOC) ?? false]).toEqual([viewer, READS_SECRET_DOC[viewer]]);
      expect([viewer, JSON.stringify(answer).includes('Refund ledger')]).toEqual([viewer, READS_SECRET_DOC[viewer]]);
    }
  });
});
