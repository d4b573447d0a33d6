import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createTeamState, type TeamState } from '@teamstate/core';
import { createMcpServer } from '@teamstate/mcp-server';
import { builtinMetrics } from '@teamstate/metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, SLACK_API, slackJson, useSlackMock } from '../../connectors/test/helpers/slack-mock.js';
import { slackCommandAnswers } from '../src/slack-command-answers.js';
import { type PiiOrganisation, type Planted, piiOrganisation } from './pii-organisation.js';
import { runCli } from './run-cli.js';

// `limits.pii_redaction` on every surface (docs/security.md#pii-redaction): an organisation generated from a seed plants
// email addresses, phone numbers, card numbers, IBANs and tokens in every kind of free text; under `strict` none of
// them reaches the SDK's reads, any MCP tool result or prompt (the real MCP client over the in-process server), any
// read command of the CLI (text and --json), the Slack answers or the messages posted to Slack (captured at the
// network by msw), while the export stays complete; under `standard` they are all shown. Real stores, real clients.
const NOW = new Date('2026-11-20T15:00:00Z');
const SEEDS = [20261120, 7];
const mock = useSlackMock();

/** Every MCP tool that reads, with the arguments it needs on the generated organisation. */
const TOOL_ARGS: Record<string, Record<string, unknown>> = {
  team_overview: {},
  list_people: {},
  list_work_items: {},
  get_work_item: { id: 'acme/api#101' },
  get_metrics: { team: 'pay' },
  list_signals: {},
  standup_digest: { team: 'pay', since: '2026-11-17T00:00:00Z' },
  sprint_health: { team: 'pay' },
  pr_review_queue: { team: 'pay' },
  ai_impact: {},
  search_reports: { query: 'Report' },
  person_timeline: { person: 'ben' },
  search_knowledge: { query: 'refunds escalation contacts' },
  who_knows: { topic: 'refunds' },
  list_incidents: {},
  incident_brief: { id: 'inc-1' },
  ai_feedback_patterns: {},
  list_risks: {},
  goals_progress: {},
  forecast: { team: 'pay', items: 5 },
  get_approval: { id: 'none' },
  list_approvals: {},
};
const PROMPT_ARGS: Record<string, Record<string, string>> = {
  standup: { team: 'pay', since: '2026-11-17T00:00:00Z' },
  sprint_review: { team: 'pay' },
  pr_triage: { team: 'pay' },
  weekly_report: { team: 'pay' },
  suggest_agent_rules: { repository: 'acme/api', format: 'claude' },
  onboarding: { person: 'ana' },
  one_on_one: { person: 'ben' },
  retro: { team: 'pay' },
};
/** Every read command, each run as text and with --json. */
const READ_COMMANDS: string[][] = [
  ['status'],
  ['signals'],
  ['incident', 'list'],
  ['incident', 'brief', 'inc-1'],
  ['standup', '--team', 'pay', '--since', '2026-11-17T00:00:00Z'],
  ['sprint', '--team', 'pay'],
  ['risks', 'list'],
  ['approvals', 'list'],
  ['report', 'list'],
  ['report', 'search', 'Report'],
  ['timeline', 'ben'],
  ['feedback', 'patterns'],
  ['knowledge', 'search', 'refunds escalation contacts'],
  ['knowledge', 'who-knows', 'refunds'],
  ['people', 'unmatched'],
  ['ai-impact'],
  ['goals', 'list'],
  ['forecast', '--team', 'pay', '--items', '5'],
  ['onboarding', 'ana'],
];

/** Whitespace dropped: a value wrapped over two lines, or a card's groups, still count as shown. */
const squeeze = (text: string) => text.replace(/\s+/g, '');
/** The part of a planted value that already identifies it, whitespace dropped (phone numbers are too short to cut). */
const start = ({ value, kind }: Planted): string | undefined => {
  const compact = squeeze(value);
  if (kind === 'email') return compact.slice(0, compact.indexOf('@') + 4);
  if (kind === 'card' || kind === 'iban') return compact.slice(0, 10);
  if (kind === 'token') return compact.slice(0, 14);
  return undefined;
};

interface Surfaces {
  sdk: string;
  mcp: string;
  cli: string;
  slack: string;
  /** Exports, which stay complete under any level. */
  exports: string;
}

async function setUp(level: 'strict' | 'standard', org: PiiOrganisation): Promise<{ dir: string; env: Record<string, string> }> {
  const dir = mkdtempSync(join(tmpdir(), `teamstate-pii-${level}-`));
  for (const doc of org.documents) {
    mkdirSync(join(dir, 'docs', dirname(doc.path)), { recursive: true });
    writeFileSync(join(dir, 'docs', doc.path), doc.markdown);
  }
  writeFileSync(join(dir, 'bundle.json'), JSON.stringify(org.bundle));
  writeFileSync(
    join(dir, 'teamstate.config.yaml'),
    [
      'database: team.db',
      'connectors:',
      `  slack: { token: \${SLACK_BOT_TOKEN}, apiUrl: ${SLACK_API} }`,
      'knowledge:',
      '  local: { paths: [./docs] }',
      'policy:',
      '  actions:',
      '    slack.message.post: { mode: auto }',
      `  limits: { max_channel_size_auto_post: 10, pii_redaction: ${level} }`,
      '',
    ].join('\n'),
  );
  const env = { SLACK_BOT_TOKEN: 'xoxb-test-token' };
  for (const args of [
    ['import', 'bundle.json'],
    ['knowledge', 'sync'],
  ]) {
    const result = await runCli(args, { cwd: dir, env });
    expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  }
  return { dir, env };
}

async function sdkReads(ts: TeamState): Promise<unknown[]> {
  return [
    await ts.workItems.list({ limit: 100 }),
    await ts.workItems.get('acme/api#101'),
    await ts.reports.list({}),
    await ts.reports.search('Report'),
    await ts.reports.timeline('ben', { from: '2026-11-01', to: '2026-11-21' }),
    await ts.incidents.list(),
    await ts.incidents.brief('inc-1'),
    await ts.risks.list({}),
    await ts.knowledge.search('refunds escalation contacts', { limit: 5 }),
    await ts.feedback.patterns({}),
    await ts.signals.list({}),
    await ts.meetings.oneOnOne('ben', {}),
    await ts.meetings.retro('pay', {}),
    await ts.onboarding.plan('ana'),
    await ts.as('lena').reports.search('Report'),
  ];
}

async function mcpReads(ts: TeamState): Promise<string[]> {
  const server = createMcpServer(ts, { requestedBy: 'pii-test' });
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'pii-test', version: '1.0.0' });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  const out: string[] = [];
  try {
    const { tools } = await client.listTools();
    const reads = tools.filter((tool) => tool.annotations?.readOnlyHint === true).map((tool) => tool.name);
    // Every read tool is called: a new one must be added here, with its arguments.
    expect(reads.filter((name) => !(name in TOOL_ARGS))).toEqual([]);
    for (const name of reads) {
      const result = await client.callTool({ name, arguments: TOOL_ARGS[name] });
      out.push(JSON.stringify(result));
    }
    // The resources too: each listed one, and each template for the team.
    const { resources } = await client.listResources();
    const { resourceTemplates } = await client.listResourceTemplates();
    const uris = [...resources.map((r) => r.uri), ...resourceTemplates.map((t) => t.uriTemplate.replace(/\{[^}]+\}/, 'pay'))];
    for (const uri of new Set(uris)) out.push(JSON.stringify(await client.readResource({ uri })));
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name).filter((name) => !(name in PROMPT_ARGS))).toEqual([]);
    for (const prompt of prompts)
      out.push(JSON.stringify(await client.getPrompt({ name: prompt.name, arguments: PROMPT_ARGS[prompt.name] })));
  } finally {
    await client.close();
  }
  return out;
}

async function surfaces(level: 'strict' | 'standard', org: PiiOrganisation): Promise<Surfaces> {
  const { dir, env } = await setUp(level, org);
  try {
    const cli: string[] = [];
    for (const args of READ_COMMANDS) {
      for (const json of [false, true]) {
        const result = await runCli([...args, ...(json ? ['--json'] : []), '--now', NOW.toISOString()], { cwd: dir, env });
        expect(result.code, `${args.join(' ')}${json ? ' --json' : ''}: ${result.stderr}`).toBe(0);
        cli.push(result.stdout, result.stderr);
      }
    }
    // Slack: a digest posted (the message as Slack receives it) and the slash commands' answers.
    mock.reset();
    mock.on('conversations.info', () =>
      slackJson({ ok: true, channel: { ...fixture<{ channel: object }>('conversations.info').channel, num_members: 6 } }),
    );
    const posted = await runCli(['standup', '--team', 'pay', '--since', '2026-11-17T00:00:00Z', '--post', '--channel', 'C0TEAM'], {
      cwd: dir,
      env,
    });
    expect(posted.stderr).toMatch(/^Posted to C0TEAM/);
    const slack = mock.calls.map((call) => JSON.stringify(call.args));
    expect(mock.callsOf('chat.postMessage')).toHaveLength(1);

    const ts = await createTeamState({
      database: `file:${join(dir, 'team.db')}`,
      policy: { limits: { pii_redaction: level } },
      metrics: builtinMetrics,
      clock: () => NOW,
    });
    try {
      const answers = slackCommandAnswers(() => ts);
      const query = (argument: string) => ({ person: 'lena', argument, user: 'U0LENA' });
      for (const [command, argument] of [
        ['standup', 'pay'],
        ['sprint', 'pay'],
        ['triage', 'pay'],
        ['incident', ''],
        ['incident', 'inc-1'],
        ['ask', 'refunds escalation contacts'],
      ] as const) {
        const answer = answers[command];
        if (answer) slack.push(JSON.stringify(await answer(query(argument))));
      }
      const sdk = JSON.stringify(await sdkReads(ts));
      const mcp = (await mcpReads(ts)).join('\n');
      const exports = JSON.stringify([await ts.export(), await ts.people.export('ben')]);
      return { sdk, mcp, cli: cli.join('\n'), slack: slack.join('\n'), exports };
    } finally {
      await ts.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.each(SEEDS)('limits.pii_redaction on every surface (seed %i)', (seed) => {
  const org = piiOrganisation(seed, NOW);
  let strict: Surfaces;
  let standard: Surfaces;
  beforeAll(async () => {
    strict = await surfaces('strict', org);
    standard = await surfaces('standard', org);
  }, 300_000);
  afterAll(() => mock.reset());

  it.each(['sdk', 'mcp', 'cli', 'slack'] as const)('strict: no planted value reaches the %s surface', (surface) => {
    const shown = squeeze(strict[surface]);
    expect(org.planted.filter((p) => shown.includes(squeeze(p.value)))).toEqual([]);
    // Nor the start of one, cut short by a snippet or an excerpt: an address up to its domain, a number's first digits.
    expect(org.planted.map(start).filter((head) => head !== undefined && shown.includes(head))).toEqual([]);
    // The placeholders are there instead, one of each kind.
    for (const kind of ['email', 'phone', 'card', 'iban', 'token']) expect(shown).toContain(`[${kind}]`);
  });

  it('standard: every planted value is shown somewhere, and no placeholder is', () => {
    const shown = squeeze([standard.sdk, standard.mcp, standard.cli, standard.slack].join('\n'));
    expect(org.planted.filter((p) => !shown.includes(squeeze(p.value)))).toEqual([]);
    expect(shown).not.toMatch(/\[(email|phone|card|iban|token)\]/);
  });

  it('strict leaves the export and a person’s data export complete, and the ordinary text of the digests as it is', () => {
    const exported = squeeze(strict.exports);
    // The knowledge documents are not part of the export: every value planted in the bundle is.
    const inBundle = org.planted.filter((p) => JSON.stringify(org.bundle).includes(p.value));
    expect(inBundle.length).toBeGreaterThan(20);
    expect(inBundle.filter((p) => !exported.includes(squeeze(p.value)))).toEqual([]);
    for (const text of ['PAY-131', 'v1.1.0', 'acme/api#101', '2026-11-19']) expect(strict.cli).toContain(text);
  });
});
