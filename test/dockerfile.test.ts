import { describe, expect, it } from 'vitest';
import { readRepositoryFile as read } from './repository.js';

// The container image (docs/remote-mcp.md#running-it-in-a-container), checked as text: no Docker engine runs here.
describe('the Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
  const final = instructions.slice(instructions.findLastIndex((line) => line.startsWith('FROM ')));

  it('runs teamstate serve on Node 24 slim as a non-root user, with /data as the volume and /healthz as health check', () => {
    expect(final[0]).toMatch(/^FROM node:24-slim$/);
    const users = final.filter((line) => line.startsWith('USER '));
    expect(users).toEqual(['USER teamstate']);
    expect(final).toContain('VOLUME ["/data"]');
    expect(final.find((line) => line.startsWith('ENV '))).toContain('TEAMSTATE_DB=file:/data/teamstate.db');
    const health = final.find((line) => line.startsWith('HEALTHCHECK '));
    expect(health).toMatch(/CMD .*http:\/\/127\.0\.0\.1:8787\/healthz/);
    expect(final.find((line) => line.startsWith('ENTRYPOINT '))).toBe('ENTRYPOINT ["node", "/app/bin/teamstate.js"]');
    const command = JSON.parse(final.find((line) => line.startsWith('CMD '))!.slice(4)) as string[];
    expect(command.slice(0, 5)).toEqual(['serve', '--host', '0.0.0.0', '--port', '8787']);
    expect(final).toContain('EXPOSE 8787');
    // USER comes before what runs: nothing after it switches back to root.
    expect(final.indexOf('USER teamstate')).toBeLessThan(final.findIndex((line) => line.startsWith('ENTRYPOINT ')));
  });

  it('builds with the pinned pnpm and the lockfile, and keeps dependencies and databases out of the context', () => {
    const pnpm = JSON.parse(read('package.json')).packageManager as string;
    expect(dockerfile).toContain(`npm install --global --no-fund --no-audit ${pnpm}`);
    expect(dockerfile).toContain('pnpm install --frozen-lockfile');
    const ignored = read('.dockerignore').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['.git', '**/node_modules', '**/dist', '**/.teamstate', '**/*.db']));
  });

  it('has a compose example that builds it next to sqld', () => {
    const compose = read('examples/compose/compose.yaml');
    expect(compose).toContain('image: ghcr.io/tursodatabase/libsql-server:latest');
    expect(compose).toContain('build: ../..');
    expect(compose).toContain('TEAMSTATE_DB: http://sqld:8080');
  });
});
