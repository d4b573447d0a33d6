import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'teamstate-slack-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const TOKEN = 'xoxb-0000-S3cr3tSlackT0ken';

describe('connectors.slack in the built CLI', () => {
  it('loads the Slack connector for sync and names a bad setting with the file, without printing the token', async () => {
    writeFileSync(
      join(root, 'teamstate.config.yaml'),
      `database: team.db\nconnectors:\n  slack: { token: \${SLACK_BOT_TOKEN}, signingSecret: \${SLACK_SIGNING_SECRET}, approvalChannel: "#approvals" }\n`,
    );
    const result = await runCli(['sync'], { cwd: root, env: { SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: 'sig-value' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `${join(root, 'teamstate.config.yaml')}: connectors.slack: approvalChannel: expected a channel id such as C0123ABCD, got "#approvals"`,
    );
    expect(result.stderr + result.stdout).not.toContain(TOKEN);
    expect(result.stderr + result.stdout).not.toContain('sig-value');
  });
});
