import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_TOKEN, createFakeConfluence, EMAIL, serveFakeConfluence } from '../../connectors/test/confluence/fake-confluence.js';
import { runCli } from './run-cli.js';

// `teamstate knowledge sync` with `knowledge.confluence` in the config, as a subprocess against a fake Confluence Cloud
// served on 127.0.0.1 by this process (issue 19).
const dir = mkdtempSync(join(tmpdir(), 'teamstate-confluence-cli-'));
const fake = createFakeConfluence('cloud');
let served: Awaited<ReturnType<typeof serveFakeConfluence>>;
const env = { CONFLUENCE_EMAIL: EMAIL, CONFLUENCE_API_TOKEN: API_TOKEN };

beforeAll(async () => {
  served = await serveFakeConfluence(fake);
  writeFileSync(
    join(dir, 'teamstate.config.yaml'),
    `database: .teamstate/teamstate.db
knowledge:
  confluence: { host: ${served.url}, deployment: cloud, email: \${CONFLUENCE_EMAIL}, apiToken: \${CONFLUENCE_API_TOKEN}, spaces: [ENG, GHOST] }
`,
  );
});
afterAll(async () => {
  await served.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('knowledge.confluence in the config', () => {
  it('knowledge sync indexes the space with progress, counts and a warning naming the missing space; search cites the web URL', async () => {
    const sync = await runCli(['knowledge', 'sync'], { cwd: dir, env });
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stdout).toMatch(/knowledge confluence: 3 added, 0 updated, 0 unchanged, 0 removed, 1 skipped \(\d+ passages written\)/);
    expect(sync.stderr).toMatch(/knowledge confluence: space ENG: reading changed pages/);
    expect(sync.stderr).toMatch(/warning: space GHOST: skipped, it does not exist or the account may not read it/);
    expect(`${sync.stdout}${sync.stderr}`).not.toContain(API_TOKEN);

    const search = await runCli(['knowledge', 'search', 'how do I roll back a deploy with argo?', '--json'], { cwd: dir, env });
    expect(search.code, search.stderr).toBe(0);
    const [best] = JSON.parse(search.stdout).passages;
    expect(best).toMatchObject({
      headingPath: ['Deploy runbook', 'Rolling back a deploy'],
      document: { title: 'Deploy runbook', uri: `${served.url}/wiki/spaces/ENG/pages/98305/Deploy+runbook`, source: 'confluence' },
    });
    expect(best.text).toContain('argocd app rollback payments-api');

    const bodies = fake.count('bodies');
    const again = JSON.parse((await runCli(['knowledge', 'sync', '--json'], { cwd: dir, env })).stdout);
    expect(again.sources[0]).toMatchObject({ source: 'confluence', unchanged: 3, chunks: 0 });
    expect(fake.count('bodies')).toBe(bodies);
  });

  it('a rejected token fails naming knowledge.confluence.apiToken, and config check masks the credentials', async () => {
    const wrong = { ...env, CONFLUENCE_API_TOKEN: 'ATATT3xFfGF0revokedTokenNeverPrinted' };
    const sync = await runCli(['knowledge', 'sync'], { cwd: dir, env: wrong });
    expect(sync.code).not.toBe(0);
    expect(`${sync.stdout}${sync.stderr}`).toMatch(/failed with 401: .*knowledge\.confluence\.apiToken/);
    expect(`${sync.stdout}${sync.stderr}`).not.toContain('ATATT3xFfGF0revoked');
    const check = await runCli(['config', 'check'], { cwd: dir, env });
    expect(`${check.stdout}${check.stderr}`).not.toContain(API_TOKEN);
    expect(`${check.stdout}${check.stderr}`).not.toContain(EMAIL);
  });
});
