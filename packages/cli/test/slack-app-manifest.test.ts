import { readFileSync } from 'node:fs';
import { COMMANDS_PATH, INTERACTIVITY_PATH } from '@teamstate/connectors/slack';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// examples/slack-app/manifest.yaml is what people install: it must point at the paths `teamstate serve` answers and
// ask for every scope the connector's calls need.
const manifest = parse(readFileSync(new URL('../../../examples/slack-app/manifest.yaml', import.meta.url), 'utf8')) as {
  features: { slash_commands: { command: string; url: string }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: { interactivity: { is_enabled: boolean; request_url: string } };
};

describe('the Slack app manifest', () => {
  it('declares /teamstate at the commands path and interactivity at the interactivity path', () => {
    expect(manifest.features.slash_commands).toEqual([
      expect.objectContaining({ command: '/teamstate', url: `https://teamstate.example.com/webhooks/${COMMANDS_PATH}` }),
    ]);
    expect(manifest.settings.interactivity).toEqual({
      is_enabled: true,
      request_url: `https://teamstate.example.com/webhooks/${INTERACTIVITY_PATH}`,
    });
  });

  it('asks for the scopes of people, posts, DMs, the command and finding a post again, and nothing else', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([
      'channels:history',
      'channels:read',
      'chat:write',
      'commands',
      'groups:history',
      'groups:read',
      'im:history',
      'im:write',
      'users:read',
      'users:read.email',
    ]);
  });
});
