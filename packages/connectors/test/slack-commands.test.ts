import { COMMANDS_PATH, MAX_BLOCKS, REPORT_CALLBACK_ID, type SlackCommandAnswers, slack } from '@teamstate/connectors/slack';
import { createTeamState, TeamStateError } from '@teamstate/core';
import { describe, expect, it } from 'vitest';
import { SIGNING_SECRET, signedCommand } from './helpers/slack-interaction.js';
import { SLACK_API, useSlackMock } from './helpers/slack-mock.js';
import { leadsBundle } from './helpers/slack-team.js';

// The /teamstate slash command (issue 22) at slack/commands, through ts.webhooks.receive (what serve mounts), with
// Slack's Web API and response_url mocked by msw. The digests' own renderers are tested in the CLI's end-to-end test.
const mock = useSlackMock();
const NOW = new Date('2026-03-02T09:00:00Z');

const standupText = 'Ana\n  merged    acme/api#1 Fix <!channel> *now*\n\nTeam blockers\n  none\n';

async function setup(answers: SlackCommandAnswers = {}, policy: unknown = { actions: { 'slack.message.post': { mode: 'auto' } } }) {
  const ts = mock.keep(
    await createTeamState({
      database: ':memory:',
      connectors: [
        slack({ token: 'xoxb-test-token', signingSecret: SIGNING_SECRET, apiUrl: SLACK_API, approvalRequests: false, commands: answers }),
      ],
      policy: policy as never,
      clock: () => NOW,
    }),
  );
  await ts.import(leadsBundle);
  return ts;
}

const standup: SlackCommandAnswers['standup'] = async ({ argument }) => ({
  title: `Standup for ${argument || 'Leads'}`,
  text: standupText,
  more: 'teamstate standup --team leads',
});

describe('/teamstate (POST /webhooks/slack/commands)', () => {
  it('acknowledges at once with an empty 200, then answers through response_url, ephemeral, as plain_text Block Kit', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const order: string[] = [];
    const ts = await setup({
      standup: async (query) => {
        order.push(`work started for ${query.person}`);
        await gate;
        order.push('work done');
        return standup(query);
      },
    });
    const response = await ts.webhooks.receive(COMMANDS_PATH, signedCommand({ text: 'standup leads', user_id: 'U0ANA' }, NOW));
    order.push('acknowledged');
    expect(response).toMatchObject({ status: 200, answer: null });
    // The answer is out while the work has not finished: it cannot finish until the gate opens, after the ack.
    expect(mock.responses).toEqual([]);
    release();
    await response.done;
    expect(order).toEqual(['acknowledged', 'work started for ana', 'work done']);
    expect(mock.responses).toEqual([
      {
        response_type: 'ephemeral',
        text: 'Standup for leads',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: 'Standup for leads', emoji: false } },
          { type: 'section', text: { type: 'plain_text', text: 'Ana\n  merged    acme/api#1 Fix <!channel> *now*', emoji: false } },
          { type: 'section', text: { type: 'plain_text', text: 'Team blockers\n  none', emoji: false } },
        ],
      },
    ]);
    expect(mock.calls).toEqual([]);
  });

  it('refuses an unsigned, a wrongly signed and a stale command with 401, doing nothing', async () => {
    let asked = 0;
    const ts = await setup({
      standup: async (q) => {
        asked++;
        return standup(q);
      },
    });
    const unsigned = signedCommand({ text: 'standup' }, NOW);
    delete unsigned.headers['x-slack-signature'];
    expect((await ts.webhooks.receive(COMMANDS_PATH, unsigned)).status).toBe(401);
    expect((await ts.webhooks.receive(COMMANDS_PATH, signedCommand({ text: 'standup' }, NOW, 'not-the-secret'))).status).toBe(401);
    const stale = signedCommand({ text: 'standup' }, new Date(NOW.getTime() - 301_000));
    expect((await ts.webhooks.receive(COMMANDS_PATH, stale)).status).toBe(401);
    expect(asked).toBe(0);
    expect(mock.responses).toEqual([]);
  });

  it('answers a replay of the same signed request once', async () => {
    let asked = 0;
    const ts = await setup({
      standup: async (q) => {
        asked++;
        return standup(q);
      },
    });
    const request = signedCommand({ text: 'standup' }, NOW);
    await (await ts.webhooks.receive(COMMANDS_PATH, request)).done;
    const replay = await ts.webhooks.receive(COMMANDS_PATH, request);
    await replay.done;
    expect(asked).toBe(1);
    expect(mock.responses).toHaveLength(1);
  });

  it('answers help, no subcommand and an unknown one at once with the list of subcommands', async () => {
    const ts = await setup();
    const help = await ts.webhooks.receive(COMMANDS_PATH, signedCommand({ text: 'help' }, NOW));
    expect(help.answer).toMatchObject({ response_type: 'ephemeral' });
    const listed = JSON.stringify(help.answer);
    for (const sub of [
      'standup [team]',
      'sprint [team]',
      'triage [team]',
      'ask <question>',
      'incident [id]',
      '/teamstate report',
      '--public',
    ]) {
      expect(listed).toContain(sub);
    }
    expect((await ts.webhooks.receive(COMMANDS_PATH, signedCommand({ text: '' }, NOW))).answer).toEqual(help.answer);
    const unknown = await ts.webhooks.receive(COMMANDS_PATH, signedCommand({ text: 'deploy prod' }, NOW));
    expect(JSON.stringify(unknown.answer)).toContain('There is no \\"deploy\\" subcommand.');
  });

  it('explains to a Slack user who is not linked to a person, and does nothing', async () => {
    let asked = 0;
    const ts = await setup({
      standup: async (q) => {
        asked++;
        return standup(q);
      },
    });
    const response = await ts.webhooks.receive(COMMANDS_PATH, signedCommand({ text: 'standup', user_id: 'U0NOBODY' }, NOW));
    expect(response.answer).toEqual({
      response_type: 'ephemeral',
      text: expect.stringContaining('Your Slack account (<@U0NOBODY>) is not linked to a person in teamstate'),
    });
    await response.done;
    expect(asked).toBe(0);
  });

  it('report opens the daily report modal with the draft, on the trigger_id of the command', async () => {
    const ts = await setup();
    const request = signedCommand({ text: 'report', user_id: 'U0DEV', trigger_id: '1772442050.3810.report' }, NOW);
    const response = await ts.webhooks.receive(COMMANDS_PATH, request);
    expect(response.answer).toBeNull();
    await response.done;
    const [opened] = mock.callsOf('views.open');
    expect(opened!.args.trigger_id).toBe('1772442050.3810.report');
    expect(opened!.args.view).toMatchObject({ callback_id: REPORT_CALLBACK_ID, private_metadata: '{"day":"2026-03-02"}' });
  });

  it('ask says knowledge search is not configured without an answerer, or when the answerer has nothing to search', async () => {
    const notConfigured = {
      response_type: 'ephemeral',
      text: ':information_source: Knowledge search is not configured for this teamstate, so there is nothing to search yet.',
    };
    const ts = await setup();
    await (await ts.webhooks.receive(COMMANDS_PATH, signedCommand({ text: 'ask how do we rotate keys?' }, NOW))).done;
    expect(mock.responses).toEqual([notConfigured]);
    const without = await setup({ ask: async () => undefined });
    await (await without.webhooks.receive(COMMANDS_PATH, signedCommand({ text: 'ask how do we rotate keys?' }, NOW))).done;
    expect(mock.responses).toEqual([notConfigured, notConfigured]);
  });

  it('ask answers with the passages and their sources, and asks for a question when none is given', async () => {
    const ts = await setup({
      ask: async ({ argument }) => ({
        title: `What the documents say about "${argument}"`,
        text: 'Runbook › Keys\nRotate with `make rotate`.\nSource: https://github.com/acme/api/blob/main/docs/runbook.md',
      }),
    });
    await (await ts.webhooks.receive(COMMANDS_PATH, signedCommand({ text: 'ask rotate keys' }, NOW))).done;
    await (await ts.webhooks.receive(COMMANDS_PATH, signedCommand({ text: 'ask' }, NOW))).done;
    expect(mock.responses.map((r) => r.text)).toEqual([
      'What the documents say about "rotate keys"',
      'Ask a question after the word ask, e.g. /teamstate ask how do we rotate the API keys?',
    ]);
    expect((mock.responses[0]!.blocks as { text: { text: string } }[])[1]!.text.text).toContain('Source: https://github.com/acme/api');
  });

  it("shows an answerer's refusal (an unknown team) to the person, escaped", async () => {
    const ts = await setup({
      sprint: async () => {
        throw new TeamStateError('invalid_argument', 'team: unknown team "<!here>"');
      },
    });
    await (await ts.webhooks.receive(COMMANDS_PATH, signedCommand({ text: 'sprint <!here>' }, NOW))).done;
    expect(mock.responses).toEqual([
      {
        response_type: 'ephemeral',
        text: ':no_entry_sign: team: unknown team "&lt;!here&gt;"',
        blocks: [{ type: 'section', text: { type: 'plain_text', text: 'team: unknown team "<!here>"', emoji: false } }],
      },
    ]);
  });

  it('keeps a long answer within 50 blocks and 12,000 characters, with a pointer to the whole', async () => {
    const long = Array.from({ length: 120 }, (_, i) => `Person ${i}\n  merged    acme/api#${i} ${'x'.repeat(150)}`).join('\n\n');
    const ts = await setup({ standup: async () => ({ title: 'Standup for Leads', text: long, more: 'teamstate standup --team leads' }) });
    await (await ts.webhooks.receive(COMMANDS_PATH, signedCommand({ text: 'standup' }, NOW))).done;
    const blocks = mock.responses[0]!.blocks as { type: string; text?: { text: string }; elements?: { text: string }[] }[];
    expect(blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
    expect(blocks.reduce((n, b) => n + (b.text?.text.length ?? 0), 0)).toBeLessThanOrEqual(12_000 + 150);
    expect(blocks.at(-1)).toEqual({
      type: 'context',
      elements: [
        {
          type: 'plain_text',
          text: expect.stringMatching(/^Cut to fit Slack: \d+ more lines not shown\. All of it: teamstate standup --team leads$/),
          emoji: false,
        },
      ],
    });
  });

  it('--public posts in the channel through slack.message.post and the policy, as the person, and tells them', async () => {
    const ts = await setup({ standup });
    await (await ts.webhooks.receive(COMMANDS_PATH, signedCommand({ text: 'standup --public', channel_id: 'C0TEAM' }, NOW))).done;
    const [posted] = mock.callsOf('chat.postMessage');
    expect(posted!.args).toMatchObject({ channel: 'C0TEAM', text: 'Standup for Leads' });
    expect((posted!.args.blocks as unknown[]).length).toBe(3);
    const [approval] = await ts.approvals.list({});
    expect(approval).toMatchObject({ type: 'slack.message.post', requestedBy: 'ana', target: 'C0TEAM', status: 'executed' });
    expect(mock.responses).toEqual([{ response_type: 'ephemeral', text: ':white_check_mark: Posted in this channel.' }]);
  });

  it('ask --public escapes the question in the top-level text as the blocks do: no <!channel>, no link (finding 9)', async () => {
    const question = '<!channel> see <https://evil.example|the runbook> & rotate';
    const ts = await setup({
      ask: async ({ argument }) => ({
        title: `What the documents say about "${argument}"`,
        text: 'Runbook › Keys\nRotate with `make rotate`.',
      }),
    });
    await (await ts.webhooks.receive(COMMANDS_PATH, signedCommand({ text: `ask --public ${question}`, channel_id: 'C0TEAM' }, NOW))).done;
    await (await ts.webhooks.receive(COMMANDS_PATH, signedCommand({ text: `ask ${question}`, channel_id: 'C0TEAM' }, NOW))).done;
    const escaped = 'What the documents say about "&lt;!channel&gt; see &lt;https://evil.example|the runbook&gt; &amp; rotate"';
    const [posted] = mock.callsOf('chat.postMessage');
    expect(posted!.args.text).toBe(escaped);
    // The header block shows the question as plain text, exactly as typed.
    expect((posted!.args.blocks as { text: { type: string; text: string } }[])[0]!.text).toEqual({
      type: 'plain_text',
      text: `What the documents say about "${question}"`,
      emoji: false,
    });
    expect(mock.responses.at(-1)!.text).toBe(escaped);
  });

  it('--public waits for an approver where the policy asks one, and posts nothing yet', async () => {
    const ts = await setup({ standup }, { actions: { 'slack.message.post': { mode: 'ask' } } });
    await (await ts.webhooks.receive(COMMANDS_PATH, signedCommand({ text: '--public standup', channel_id: 'C0TEAM' }, NOW))).done;
    expect(mock.callsOf('chat.postMessage')).toEqual([]);
    const [approval] = await ts.approvals.list({});
    expect(mock.responses).toEqual([
      {
        response_type: 'ephemeral',
        text: `:hourglass: The policy asks a person to approve posting in this channel: approval ${approval!.id} is waiting.`,
      },
    ]);
  });

  it('refuses a body that is not a slash command with 400', async () => {
    const ts = await setup();
    const request = signedCommand({}, NOW);
    const form = new URLSearchParams(request.rawBody.toString());
    form.delete('response_url');
    const { signSlackRequest } = await import('@teamstate/connectors/slack');
    const rawBody = Buffer.from(form.toString());
    const response = await ts.webhooks.receive(COMMANDS_PATH, {
      headers: { ...signSlackRequest(SIGNING_SECRET, rawBody, NOW.getTime() / 1000) },
      rawBody,
    });
    expect(response).toMatchObject({
      status: 400,
      body: { message: 'response_url: missing (Slack sends a slash command as a form with response_url)' },
    });
  });
});
