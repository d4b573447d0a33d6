import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

let folder: string;
let database: string;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'teamstate-tokens-cli-'));
  database = join(folder, 'teamstate.db');
  const ts = await createTeamState({ database });
  await ts.import({ format: 'teamstate.bundle/v1', people: [{ id: 'ana', name: 'Ana' }] });
  await ts.close();
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('teamstate tokens (a subprocess)', () => {
  it('creates a token printed once, lists tokens without secrets, and revokes one', async () => {
    const created = await runCli([
      '--db',
      database,
      '--json',
      'tokens',
      'create',
      '--person',
      'ana',
      '--scopes',
      'read,decide',
      '--expires',
      '30d',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const token = JSON.parse(created.stdout);
    expect(Object.keys(token).sort()).toEqual(['expiresAt', 'id', 'person', 'scopes', 'token']);
    expect(token).toMatchObject({ person: 'ana', scopes: ['read', 'decide'] });
    const human = await runCli(['--db', database, 'tokens', 'create', '--person', 'ana']);
    expect(human.stdout).toMatch(/^tst_[A-Za-z0-9_-]{43}\n$/);
    expect(human.stderr).toContain('It is shown only now');

    const listed = await runCli(['--db', database, '--json', 'tokens', 'list']);
    expect(listed.stdout).not.toContain(token.token);
    expect(JSON.parse(listed.stdout).tokens.map((t: { id: string }) => t.id)).toContain(token.id);
    const revoked = await runCli(['--db', database, 'tokens', 'revoke', token.id]);
    expect([revoked.code, revoked.stdout]).toEqual([0, `Revoked ${token.id}.\n`]);
    expect((await runCli(['--db', database, 'tokens', 'list'])).stdout).toMatch(
      new RegExp(`${token.id}\\s+ana\\s+read,decide\\s+\\S+\\s+\\S+\\s+\\S+`),
    );
  });

  it('lists OAuth sign-ins next to personal tokens and revokes one with every token of it', async () => {
    const ts = await createTeamState({ database });
    const verifier = randomBytes(32).toString('base64url');
    const request = {
      clientId: 'https://assistant.example/clients/teamstate.json',
      clientName: 'Acme Assistant',
      redirectUri: 'http://127.0.0.1:33418/oauth/callback',
      codeChallenge: createHash('sha256').update(verifier).digest('base64url'),
      scopes: ['read' as const, 'propose' as const],
    };
    const page = await ts.oauth.beginConsent(request, { person: 'ana', account: 'github:1001' });
    const answer = await ts.oauth.decideConsent({ ...page, allow: true });
    if (answer.outcome !== 'allowed') throw new Error(`the consent page answered ${answer.outcome}`);
    const code = answer.code;
    const issued = await ts.oauth.exchangeCode({
      code,
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      codeVerifier: verifier,
    });
    await ts.close();
    const listed = JSON.parse((await runCli(['--db', database, '--json', 'tokens', 'list'])).stdout).tokens;
    const grant = listed.find((t: { kind?: string }) => t.kind === 'oauth');
    expect(grant).toMatchObject({ person: 'ana', scopes: ['read', 'propose'], client: request.clientId, clientName: 'Acme Assistant' });
    expect(JSON.stringify(listed)).not.toContain(issued.access_token);
    expect((await runCli(['--db', database, 'tokens', 'list'])).stdout).toMatch(
      new RegExp(`${grant.id}\\s+ana\\s+read,propose\\s+.*oauth Acme Assistant`),
    );
    const revoked = await runCli(['--db', database, 'tokens', 'revoke', grant.id]);
    expect([revoked.code, revoked.stdout]).toEqual([0, `Revoked ${grant.id}.\n`]);
    const after = await createTeamState({ database });
    expect(await after.tokens.authenticate(issued.access_token)).toBeUndefined();
    await after.close();
  });

  it('lists the consents given at sign-in with --person, and revokes a client with --client so the next sign-in asks again', async () => {
    const db = join(folder, 'consents.db');
    const ts = await createTeamState({ database: db });
    await ts.import({
      format: 'teamstate.bundle/v1',
      people: [
        { id: 'ana', name: 'Ana' },
        { id: 'ben', name: 'Ben' },
      ],
    });
    const verifier = randomBytes(32).toString('base64url');
    const client = await ts.oauth.registerClient({ redirectUris: ['https://assistant.example/cb'], name: 'Consented \u001b[31mAssistant' });
    const request = {
      clientId: client.clientId,
      clientName: 'Consented \u001b[31mAssistant',
      redirectUri: 'https://assistant.example/cb',
      codeChallenge: createHash('sha256').update(verifier).digest('base64url'),
      scopes: ['read' as const],
    };
    const signIn = async (person: string) => {
      const page = await ts.oauth.beginConsent(request, { person, account: `github:${person}` });
      const answer = await ts.oauth.decideConsent({ ...page, allow: true });
      if (answer.outcome !== 'allowed') throw new Error(`the consent page answered ${answer.outcome}`);
      return ts.oauth.exchangeCode({
        code: answer.code,
        clientId: client.clientId,
        redirectUri: request.redirectUri,
        codeVerifier: verifier,
      });
    };
    const ana = await signIn('ana');
    const ben = await signIn('ben');
    await ts.close();
    const listed = JSON.parse((await runCli(['--db', db, '--json', 'tokens', 'list', '--person', 'ana'])).stdout);
    expect(listed.tokens.every((t: { person: string }) => t.person === 'ana')).toBe(true);
    expect(listed.grants).toEqual([
      {
        person: 'ana',
        client: client.clientId,
        clientName: 'Consented \u001b[31mAssistant',
        scopes: ['read'],
        redirectUri: 'https://assistant.example/cb',
        grantedAt: expect.any(String),
        lastUsedAt: expect.any(String),
      },
    ]);
    const human = (await runCli(['--db', db, 'tokens', 'list', '--person', 'ana'])).stdout;
    expect(human).toMatch(new RegExp(`ana\\s+${client.clientId}\\s+Consented .*Assistant\\s+read\\s+assistant\\.example`));
    expect(human).not.toContain('\u001b');
    expect((await runCli(['--db', db, 'tokens', 'revoke', '--person', 'ana'])).code).toBe(2);
    const revoked = await runCli(['--db', db, '--json', 'tokens', 'revoke', '--client', client.clientId, '--person', 'ana']);
    expect([revoked.code, JSON.parse(revoked.stdout)]).toEqual([
      0,
      { client: client.clientId, person: 'ana', revoked: true, consents: 1, signIns: 1 },
    ]);
    const after = await createTeamState({ database: db });
    expect(await after.tokens.authenticate(ana.access_token)).toBeUndefined();
    expect(await after.tokens.authenticate(ben.access_token)).toMatchObject({ person: 'ben' });
    expect(await after.oauth.hasConsent(request, 'ana')).toBe(false);
    expect(await after.oauth.hasConsent(request, 'ben')).toBe(true);
    await after.close();
    const again = await runCli(['--db', db, 'tokens', 'revoke', '--client', client.clientId, '--person', 'ana']);
    expect([again.code, again.stderr]).toEqual([1, `error: OAuth client "${client.clientId}" was not found in this workspace\n`]);
    const everyone = await runCli(['--db', db, 'tokens', 'revoke', '--client', client.clientId]);
    expect([everyone.code, everyone.stdout]).toEqual([
      0,
      `Revoked ${client.clientId} for everyone: 1 consent(s) and 1 sign-in(s) ended; the next sign-in asks for consent again.\n`,
    ]);
  });

  it('refuses --now, an unknown person or scope, and a malformed id, naming the flag', async () => {
    expect((await runCli(['--db', database, '--now', '2026-01-01T00:00:00Z', 'tokens', 'create', '--person', 'ana'])).stderr).toMatch(
      /^error: --now: tokens create records what happens at the real time/,
    );
    expect((await runCli(['--db', database, '--now', '2026-01-01T00:00:00Z', 'tokens', 'list'])).code).toBe(2);
    expect((await runCli(['--db', database, 'tokens', 'create', '--person', 'anna'])).stderr).toBe(
      'error: person: unknown person "anna" (did you mean "ana"?)\n',
    );
    expect((await runCli(['--db', database, 'tokens', 'create', '--person', 'nobody'])).stderr).toBe(
      'error: person: unknown person "nobody"; known: ana\n',
    );
    expect(
      JSON.parse((await runCli(['--db', database, '--json', 'tokens', 'list'])).stdout).tokens.map((t: { person: string }) => t.person),
    ).not.toContain('nobody');
    // Listing an unknown person's tokens refuses like creating one does, rather than listing nothing.
    const unknownList = await runCli(['--db', database, 'tokens', 'list', '--person', 'nobody']);
    expect([unknownList.code, unknownList.stdout, unknownList.stderr]).toEqual([
      1,
      '',
      'error: --person: unknown person "nobody"; known: ana\n',
    ]);
    const typo = await runCli(['--db', database, '--json', 'tokens', 'list', '--person', 'anna']);
    expect([typo.code, typo.stderr]).toEqual([1, '']);
    expect(JSON.parse(typo.stdout).error.message).toBe('--person: unknown person "anna" (did you mean "ana"?); known: ana');
    expect((await runCli(['--db', database, 'tokens', 'create', '--person', 'ana', '--scopes', 'root'])).stderr).toBe(
      'error: scopes: unknown scope "root" (expected read, propose, write or decide)\n',
    );
    expect((await runCli(['--db', database, 'tokens', 'revoke', 'x; DROP TABLE tokens'])).code).toBe(2);
  });
});
