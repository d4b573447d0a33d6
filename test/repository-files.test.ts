import { describe, expect, it } from 'vitest';
import { manifest, publishedPackages, readRepositoryFile as read } from './repository.js';

describe('the files a published repository has', () => {
  it('has an MIT LICENSE at the root, shipped in every published package', () => {
    const license = read('LICENSE');
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) 2026 the teamstate authors\n\nPermission is hereby granted, free of charge/);
    expect(license).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
    expect(publishedPackages()).toEqual([
      'packages/cli',
      'packages/connectors',
      'packages/core',
      'packages/mcp-server',
      'packages/metrics',
    ]);
    for (const folder of publishedPackages()) {
      expect(manifest(folder).license, folder).toBe('MIT');
      expect(manifest(folder).files, folder).toContain('LICENSE');
      // A copy in the package's folder, the same text: `pnpm pack` packs only what is under the package.
      expect(read(`${folder}/LICENSE`), folder).toBe(license);
    }
  });

  it('has a CONTRIBUTING.md that says how to set up, test, lint, commit and release, and links the docs', () => {
    const contributing = read('CONTRIBUTING.md');
    for (const needed of ['Node.js 22', 'pnpm install', 'pnpm build', 'pnpm test', 'pnpm lint', 'pnpm typecheck', 'pnpm changeset', '72']) {
      expect(contributing, needed).toContain(needed);
    }
    for (const page of ['docs/architecture.md', 'docs/extending.md', 'docs/development.md', 'SECURITY.md']) {
      expect(contributing, page).toContain(`](${page})`);
    }
  });

  it('has a SECURITY.md that says how to report privately, which versions are supported and what is in scope', () => {
    const security = read('SECURITY.md');
    expect(security).toMatch(/private vulnerability reporting/i);
    expect(security).toMatch(/^## Supported versions$/m);
    expect(security).toMatch(/^## Scope$/m);
    expect(security).toContain('](docs/security.md)');
    expect(security).toMatch(/do not open a public issue/i);
  });

  it('points at them from the README', () => {
    const readme = read('README.md');
    expect(readme).toMatch(/^## Contributing$/m);
    expect(readme).toContain('](CONTRIBUTING.md)');
    expect(readme).toContain('](SECURITY.md)');
    expect(readme).toMatch(/^## License$/m);
    expect(readme).toContain('[MIT](LICENSE)');
  });
});
