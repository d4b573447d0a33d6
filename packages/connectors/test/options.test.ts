import { describe, expect, it } from 'vitest';
import { endpointsFor, resolveGitHubOptions } from '../src/github/options.js';

describe('endpointsFor', () => {
  it('uses api.github.com and its /graphql by default', () => {
    expect(endpointsFor(undefined)).toEqual({ restUrl: 'https://api.github.com', graphqlUrl: 'https://api.github.com/graphql' });
    expect(endpointsFor('https://api.github.com/')).toEqual({
      restUrl: 'https://api.github.com',
      graphqlUrl: 'https://api.github.com/graphql',
    });
  });

  it('maps GitHub Enterprise Server, given as the host or as its /api/v3, to /api/v3 and /api/graphql', () => {
    const ghes = { restUrl: 'https://github.acme.example/api/v3', graphqlUrl: 'https://github.acme.example/api/graphql' };
    expect(endpointsFor('https://github.acme.example')).toEqual(ghes);
    expect(endpointsFor('https://github.acme.example/api/v3/')).toEqual(ghes);
  });

  it('appends /graphql to any other URL (a proxy)', () => {
    expect(endpointsFor('https://proxy.acme.example/github')).toEqual({
      restUrl: 'https://proxy.acme.example/github',
      graphqlUrl: 'https://proxy.acme.example/github/graphql',
    });
  });
});

describe('resolveGitHubOptions', () => {
  it('fills in defaults', () => {
    const options = resolveGitHubOptions({ token: 't', repositories: ['acme/api'], teamOfRepository: { 'Acme/API': 'payments' } });
    expect(options).toMatchObject({
      id: 'github',
      auth: { token: 't' },
      includeArchived: false,
      deploymentSource: 'deployments',
      environment: 'production',
      incidentLabels: ['incident'],
      pageSize: 50,
      peopleRefreshMs: 86_400_000,
    });
    // Repository names are case-insensitive at GitHub.
    expect(options.teamOf('acme/api')).toBe('payments');
    expect(options.spellingOf('ACME/api')).toBe('acme/api');
  });

  it('names each wrong option and how to fix it', () => {
    expect(() => resolveGitHubOptions({ repositories: ['acme/api'] })).toThrow(
      'token: is required (or configure GitHub App auth under "app")',
    );
    expect(() =>
      resolveGitHubOptions({
        token: 't',
        app: { appId: 1, privateKey: '-----BEGIN RSA PRIVATE KEY-----', installationId: 2 },
        org: 'acme',
      }),
    ).toThrow('app: use either token or app, not both');
    expect(() => resolveGitHubOptions({ token: 't', org: 'acme', pageSize: 500 })).toThrow(/pageSize: .*100/);
    expect(() => resolveGitHubOptions({ token: 't', org: 'acme', baseUrl: 'github.acme' })).toThrow(/baseUrl: expected a URL/);
    expect(() => resolveGitHubOptions({ token: 't', org: 'acme', deployments: { source: 'pipelines' as 'releases' } })).toThrow(
      /deployments\.source/,
    );
    expect(() => resolveGitHubOptions({ app: { appId: 1, privateKey: 'not a key', installationId: 2 }, org: 'acme' })).toThrow(
      'app.privateKey: expected the App private key in PEM format',
    );
    expect(() =>
      resolveGitHubOptions({ app: { appId: 1, privateKey: '-----BEGIN RSA PRIVATE KEY-----', installationId: 'abc' }, org: 'acme' }),
    ).toThrow('app.installationId: expected the numeric installation id');
  });

  it('takes the installation id as a number or as its digits, and a PEM with escaped line breaks, as a config file gives them', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\\nMIIE\\n-----END RSA PRIVATE KEY-----';
    const fromFile = resolveGitHubOptions({ app: { appId: '123', privateKey: pem, installationId: '9876' }, org: 'acme' });
    const fromCode = resolveGitHubOptions({ app: { appId: '123', privateKey: pem, installationId: 9876 }, org: 'acme' });
    expect(fromFile.auth).toEqual({
      app: { appId: '123', privateKey: '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----', installationId: 9876 },
    });
    expect(fromCode.auth).toEqual(fromFile.auth);
  });
});
