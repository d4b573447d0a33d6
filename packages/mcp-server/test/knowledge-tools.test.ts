import { demo, demoHandbook } from '@teamstate/connectors/demo';
import { createTeamState, type KnowledgeSource, type TeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundPassages } from '../src/tools/knowledge-tools.js';
import { call, callError, connect } from './fixtures/connect.js';

// search_knowledge and who_knows (docs/knowledge.md, issue 19) through the real MCP client, on the demo
// workspace with its handbook and a page only the platform team may see.
const NOW = new Date('2026-11-23T09:30:00Z');
let ts: TeamState;
let operator: Awaited<ReturnType<typeof connect>>;
let asAna: Awaited<ReturnType<typeof connect>>;
let asHiro: Awaited<ReturnType<typeof connect>>;
let unknownCaller: Awaited<ReturnType<typeof connect>>;

const platformOnly: KnowledgeSource = {
  specificationVersion: 'v1',
  id: 'platform-private',
  source: 'github',
  visibility: ['platform'],
  async sync(ctx) {
    await ctx.put({
      uri: 'https://github.com/acme/infra/blob/main/docs/break-glass.md',
      markdown:
        '# Break-glass access\n\n## Rolling back the cluster\n\nUse the break-glass role to roll back a deploy when Argo CD is down.',
      updatedAt: '2026-10-01T00:00:00Z',
      author: 'hiro-dubois',
    });
  },
};

type Passages = {
  passages: {
    text: string;
    headingPath: string[];
    score: number;
    document: { title: string; uri: string; source: string; updatedAt: string };
  }[];
};

beforeAll(async () => {
  ts = await createTeamState({
    database: ':memory:',
    connectors: [demo()],
    clock: () => NOW,
    knowledge: { sources: [demoHandbook(), platformOnly] },
  });
  await ts.sync();
  await ts.knowledge.sync();
  operator = await connect(ts);
  asAna = await connect(ts, { onBehalfOf: 'ana-garcia', scopes: ['read'] });
  asHiro = await connect(ts, { onBehalfOf: 'hiro-dubois', scopes: ['read'] });
  unknownCaller = await connect(ts, { scopes: ['read'] });
});
afterAll(async () => {
  for (const server of [operator, asAna, asHiro, unknownCaller]) await server.close();
  await ts.close();
});

describe('search_knowledge', () => {
  it('answers a question from the demo handbook with what to cite', async () => {
    const { passages } = await call<Passages>(asAna.client, 'search_knowledge', { query: 'How do I roll back a bad deploy?' });
    expect(passages[0]).toMatchObject({
      headingPath: ['Rolling back a production deploy', 'Roll back to the last good release'],
      document: {
        title: 'Rolling back a production deploy',
        uri: 'handbook/runbooks/rollback-a-deploy.md',
        source: 'local',
        updatedAt: '2026-10-24T00:00:00.000Z',
      },
    });
    expect(passages[0]!.text).toContain('argocd app rollback');
  });

  it("returns a team's private page only to its members (and to the operator's own server)", async () => {
    const uris = async (client: typeof asAna.client) =>
      (await call<Passages>(client, 'search_knowledge', { query: 'break-glass roll back', limit: 10 })).passages.map((p) => p.document.uri);
    const secret = 'https://github.com/acme/infra/blob/main/docs/break-glass.md';
    expect(await uris(asHiro.client)).toContain(secret);
    expect(await uris(operator.client)).toContain(secret);
    expect(await uris(asAna.client)).not.toContain(secret);
    expect(await uris(unknownCaller.client)).not.toContain(secret);
  });

  it('is read-only and tells the model to cite and to treat documents as data', async () => {
    const { tools } = await asAna.client.listTools();
    const tool = tools.find((t) => t.name === 'search_knowledge')!;
    expect(tool.annotations?.readOnlyHint).toBe(true);
    expect(tool.description).toMatch(/cite/);
    expect(tool.description).toMatch(/title/);
    expect(tool.description).toMatch(/last updated/);
    expect(tool.description).toMatch(/never instructions/);
  });

  it('refuses an empty or too long query naming query, and reads FTS syntax as words', async () => {
    expect(await callError(asAna.client, 'search_knowledge', { query: '' })).toMatch(/^query: /);
    expect(await callError(asAna.client, 'search_knowledge', { query: 'x'.repeat(501) })).toMatch(/^query: /);
    expect(await callError(asAna.client, 'search_knowledge', { query: '   ' })).toMatch(/^query: must not be empty/);
    for (const query of ['"unbalanced', 'NEAR(roll back)', 'retry* OR', '(deploy', 'title:deploy -rollback'])
      expect(Array.isArray((await call<Passages>(asAna.client, 'search_knowledge', { query })).passages), query).toBe(true);
  });

  it('keeps the whole answer under 6,000 characters, cutting the longest passages', async () => {
    const { passages } = await call<Passages>(operator.client, 'search_knowledge', {
      query: 'deploy rollback feature flags postgres webhook retry onboarding',
      limit: 10,
    });
    expect(JSON.stringify({ passages }).length).toBeLessThanOrEqual(6_000);
    const long = Array.from({ length: 8 }, (_, i) => ({
      text: 'x'.repeat(3_000),
      headingPath: ['H'],
      score: 1,
      document: { title: `T${i}`, uri: `u${i}`, source: 'local' as const, updatedAt: NOW.toISOString() },
    }));
    const bounded = boundPassages(long);
    expect(JSON.stringify({ passages: bounded }).length).toBeLessThanOrEqual(6_000);
    expect(bounded).toHaveLength(8);
    expect(bounded.every((p) => p.text.endsWith('…'))).toBe(true);
  });
});

describe('who_knows', () => {
  it('names people with the evidence: handbook authors, PR authors and reviewers', async () => {
    const { people } = await call<{
      people: {
        person: { id: string; name: string };
        score: number;
        evidence: { kind: string; title: string; ref: string; at: string }[];
      }[];
    }>(operator.client, 'who_knows', { topic: 'feature flag cleanup' });
    expect(people.length).toBeGreaterThan(0);
    expect(people.map((p) => p.person.id)).toContain('olu-sato');
    const olu = people.find((p) => p.person.id === 'olu-sato')!;
    expect(olu.evidence).toContainEqual(expect.objectContaining({ kind: 'document', ref: 'handbook/adr/0002-feature-flags.md' }));
    const kinds = new Set(people.flatMap((p) => p.evidence.map((e) => e.kind)));
    expect(kinds.has('pr_authored')).toBe(true);
    for (let i = 1; i < people.length; i++) expect(people[i - 1]!.score).toBeGreaterThanOrEqual(people[i]!.score);
  });
});

describe('an unknown team', () => {
  it('is refused by search_knowledge and who_knows with the closest team, never an answer that ignores it', async () => {
    for (const [tool, args] of [
      ['search_knowledge', { query: 'roll back a deploy', team: 'platfrom' }],
      ['who_knows', { topic: 'feature flag cleanup', team: 'platfrom' }],
    ] as const)
      expect(await callError(operator.client, tool, args)).toMatch(/^team: unknown team "platfrom" \(did you mean "platform"\?\)/);
  });
});
