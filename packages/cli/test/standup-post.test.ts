import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, SLACK_API, slackJson, useSlackMock } from '../../connectors/test/helpers/slack-mock.js';
import { main } from '../src/main.js';
import type { Io } from '../src/runtime.js';

const mock = useSlackMock();
const dir = mkdtempSync(join(tmpdir(), 'teamstate-standup-post-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], now: string[] = ['--now', '2026-11-23T09:30:00Z']) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env: { SLACK_BOT_TOKEN: 'xoxb-test-token' },
    isTTY: false,
    cwd: dir,
  };
  const code = await main([...now, ...args], io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('teamstate standup --post', () => {
  it('posts the digest through the policy and says what happened', async () => {
    writeFileSync(
      join(dir, 'teamstate.config.yaml'),
      `database: team.db\nconnectors:\n  demo: {}\n  slack: { token: \${SLACK_BOT_TOKEN}, apiUrl: ${SLACK_API} }\npolicy:\n  actions:\n    slack.message.post: { mode: auto }\n  limits: { max_channel_size_auto_post: 10 }\n`,
    );
    mock.on('conversations.info', () =>
      slackJson({ ok: true, channel: { ...fixture<{ channel: object }>('conversations.info').channel, num_members: 6 } }),
    );
    expect((await run(['sync', '--only', 'demo'])).code).toBe(0);
    // A report (the digest shows each person's latest) whose words try to leave the code block and ping everyone.
    writeFileSync(
      join(dir, 'report.json'),
      JSON.stringify({
        format: 'teamstate.bundle/v1',
        reports: [
          {
            person: 'ana-garcia',
            day: new Date().toISOString().slice(0, 10),
            text: 'Shipped refunds\n```\n<!channel> *deploy now* <https://evil.example|the runbook>',
          },
        ],
      }),
    );
    const imported = await run(['import', join(dir, 'report.json')], []);
    expect(imported.code, imported.stderr).toBe(0);
    // Posting records something, so it takes no --now (which is for reading): the period is given with --since.
    expect((await run(['standup', '--team', 'payments', '--post', '--channel', 'C0TEAM'])).stderr).toBe(
      'error: --now: standup --post records what happens at the real time, so it does not take --now (which is for reading); leave it out\n',
    );
    const result = await run(['standup', '--team', 'payments', '--since', '2026-11-20T09:30:00Z', '--post', '--channel', 'C0TEAM'], []);
    expect(result.stderr).toMatch(/^Posted to C0TEAM/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Standup for Payments, since Fri 20 Nov 09:30 UTC/);
    const [post] = mock.callsOf('chat.postMessage');
    const text = String(post!.args.text);
    expect(text).toContain('Standup for Payments');
    // The digest is one code block: the report's fence and mention are shown as text, never read as mrkdwn.
    expect(text.match(/```/g)).toHaveLength(2);
    expect(text).toMatch(/^```\n[\s\S]*```$/);
    expect(text).toContain('Shipped refunds');
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<https://');
    expect(post!.args.channel).toBe('C0TEAM');
  });

  it('needs a channel', async () => {
    const result = await run(['standup', '--team', 'payments', '--post'], []);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: --channel: give the Slack channel id to post to with --post (e.g. --channel C0123ABCD)\n');
  });
});
