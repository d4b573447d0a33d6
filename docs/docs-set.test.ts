import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { markdownFiles, ROOT } from './runnable-blocks.js';

/** tsx, which getting started tells readers to run its TypeScript with (`pnpm exec tsx try.ts`). */
const TSX = createRequire(join(ROOT, 'package.json')).resolve('tsx/cli');

/** Every Markdown file people read: the docs, the package READMEs, the root README, CONTRIBUTING and SECURITY, the examples' READMEs. */
function readables(): string[] {
  const examples = readdirSync(join(ROOT, 'examples'))
    .map((name) => `examples/${name}/README.md`)
    .filter((file) => existsSync(join(ROOT, file)));
  return [...markdownFiles(), 'CONTRIBUTING.md', 'SECURITY.md', ...examples];
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function withoutCode(text: string): string {
  return text.replace(/^( *)(`{3,})[^\n]*\n[\s\S]*?\n\1\2\s*$/gm, '').replace(/`[^`\n]*`/g, '');
}

function anchors(markdown: string): Set<string> {
  const text = withoutCode(markdown);
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!)));
}

/** The relative links of a Markdown file that do not resolve: a missing file, or a missing heading. */
export function brokenLinks(file: string, markdown = readFileSync(join(ROOT, file), 'utf8')): string[] {
  const text = withoutCode(markdown);
  const broken: string[] = [];
  for (const [, target] of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target!)) continue;
    const [path, anchor] = target!.split('#') as [string, string | undefined];
    if (path === '') {
      if (anchor && !anchors(markdown).has(anchor)) broken.push(`${file}: ${target} (no heading "#${anchor}")`);
      continue;
    }
    const resolved = relative(ROOT, join(ROOT, dirname(file), decodeURIComponent(path)));
    if (!existsSync(join(ROOT, resolved))) {
      broken.push(`${file}: ${target} (no such file)`);
      continue;
    }
    if (
      anchor &&
      resolved.endsWith('.md') &&
      statSync(join(ROOT, resolved)).isFile() &&
      !anchors(readFileSync(join(ROOT, resolved), 'utf8')).has(anchor)
    ) {
      broken.push(`${file}: ${target} (no heading "#${anchor}" in ${resolved})`);
    }
  }
  return broken;
}

const headings = (file: string) => [...readFileSync(join(ROOT, file), 'utf8').matchAll(/^#{2,3} (.+)$/gm)].map((m) => m[1]!);

describe('the docs set', () => {
  it('has no relative link to a missing file or heading', () => {
    const files = readables();
    expect(files).toEqual(
      expect.arrayContaining(['README.md', 'CONTRIBUTING.md', 'docs/getting-started.md', 'examples/dashboard/README.md']),
    );
    expect(files.flatMap((file) => brokenLinks(file))).toEqual([]);
  });

  it('finds a broken link and a broken anchor, and ignores links in code and to other sites (the check itself)', () => {
    expect(slug('Webhooks: interactivity (`POST /webhooks/slack/interactivity`)')).toBe(
      'webhooks-interactivity-post-webhooksslackinteractivity',
    );
    const page = [
      '[ok](connectors/slack.md#rate-limits) [ok](#title) [site](https://example.com/x.md) `[code](nope.md)`',
      '[gone](nope.md) [anchor](connectors/slack.md#no-such-heading) [here](#nowhere)',
      '# Title',
    ].join('\n');
    expect(brokenLinks('docs/page.md', page)).toEqual([
      'docs/page.md: nope.md (no such file)',
      'docs/page.md: connectors/slack.md#no-such-heading (no heading "#no-such-heading" in docs/connectors/slack.md)',
      'docs/page.md: #nowhere (no heading "#nowhere")',
    ]);
  });

  it('has the pages getting started, concepts, security, architecture and extending promise', () => {
    for (const page of ['getting-started', 'concepts', 'security', 'architecture', 'extending', 'metrics', 'mcp', 'cli']) {
      expect(existsSync(join(ROOT, `docs/${page}.md`)), `docs/${page}.md`).toBe(true);
    }
    expect(readFileSync(join(ROOT, 'docs/getting-started.md'), 'utf8')).toContain('what is blocking the payments team?');
    expect(headings('docs/security.md').join('\n')).toMatch(
      /Prompt injection through synced text[\s\S]*Self-approval[\s\S]*Replayed[\s\S]*webhooks[\s\S]*Leaked tokens/,
    );
    expect(readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8')).toContain('```mermaid');
    for (const concept of ['model', 'workspace', 'sync', 'signals', 'policy', 'approvals', 'audit']) {
      expect(headings('docs/concepts.md').join('\n').toLowerCase(), concept).toContain(concept);
    }
  });

  it('has one page per connector with permissions, what is synced, rate limits and webhook set-up', () => {
    for (const connector of ['github', 'jira', 'slack', 'confluence', 'linear']) {
      const sections = headings(`docs/connectors/${connector}.md`).join('\n');
      expect(sections, connector).toMatch(/scope|permission/i);
      expect(sections, connector).toMatch(/synced|stored|people/i);
      expect(sections, connector).toMatch(/rate limit/i);
      expect(sections, connector).toMatch(/webhook/i);
    }
  });

  it('gives no command that needs the unpublished npm package, except as what to use after the first release', () => {
    // `npx -y @teamstate/cli` does not resolve until the package is published; a clone's bin does.
    const offending = readables().flatMap((file) =>
      readFileSync(join(ROOT, file), 'utf8')
        .split(/\n\s*\n/)
        .filter((paragraph) => /npx\b[^\n]*@teamstate\/cli|"npx"/.test(paragraph) && !/release/i.test(paragraph))
        .map((paragraph) => `${file}: ${paragraph.trim().split('\n')[0]}`),
    );
    expect(offending).toEqual([]);
  });

  it("runs getting started's TypeScript from the repository root, as it says", async () => {
    const page = readFileSync(join(ROOT, 'docs/getting-started.md'), 'utf8');
    const code = /The same from TypeScript[\s\S]*?```ts runnable\n([\s\S]*?)```/.exec(page)![1]!;
    const folder = mkdtempSync(join(ROOT, '.try-'));
    try {
      writeFileSync(join(folder, 'try.ts'), code);
      const run = spawnSync(process.execPath, [TSX, join(folder, 'try.ts')], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^(warning|critical|info) /m);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
