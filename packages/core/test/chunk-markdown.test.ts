import { describe, expect, it } from 'vitest';
import { chunkMarkdown } from '../src/features/knowledge/chunk-markdown.js';

describe('chunkMarkdown', () => {
  it("splits at headings, keeping each passage's heading path", () => {
    const { title, chunks } = chunkMarkdown(
      'Intro.\n\n# Guide\n\n## Setup\n\nInstall it.\n\n### Linux\n\nUse apt.\n\n## Usage\n\nRun it.\n',
      'guide.md',
    );
    expect(title).toBe('Guide');
    expect(chunks).toEqual([
      { headingPath: [], text: 'Intro.' },
      { headingPath: ['Guide', 'Setup'], text: 'Install it.' },
      { headingPath: ['Guide', 'Setup', 'Linux'], text: 'Use apt.' },
      { headingPath: ['Guide', 'Usage'], text: 'Run it.' },
    ]);
  });

  it('takes the title from front matter, else the first H1, else the fallback; reads the author', () => {
    expect(chunkMarkdown('---\ntitle: "ADR 7: Use Postgres"\nauthor: ana\n---\n# Heading\n\ntext', 'x')).toMatchObject({
      title: 'ADR 7: Use Postgres',
      author: 'ana',
    });
    expect(chunkMarkdown('## Only H2\n\ntext', 'fallback name').title).toBe('fallback name');
    expect(chunkMarkdown('# *Styled* `title`\n\ntext', 'x').title).toBe('Styled title');
    // Broken front matter is not fatal.
    expect(chunkMarkdown('---\ntitle: [unclosed\n---\n# H\n\nt', 'x').title).toBe('H');
  });

  it('keeps code blocks whole, even past the size limit, and never splits inside them', () => {
    const code = `\`\`\`sql\n${Array.from({ length: 80 }, (_, i) => `SELECT ${i} FROM payments;`).join('\n')}\n\`\`\``;
    const { chunks } = chunkMarkdown(`# Queries\n\nBefore.\n\n${code}\n\nAfter the query, check the results.\n`, 'q', {
      maxChars: 500,
      overlapChars: 100,
    });
    expect(chunks.some((chunk) => chunk.text.includes(code))).toBe(true);
    for (const chunk of chunks) expect((chunk.text.match(/```/g) ?? []).length % 2).toBe(0);
  });

  it('splits a long section with overlap, every part under the limit and keeping the heading path', () => {
    const sentences = Array.from({ length: 60 }, (_, i) => `Sentence number ${i} explains a step of the failover.`).join(' ');
    const { chunks } = chunkMarkdown(`# Failover\n\n## Steps\n\n${sentences}\n`, 'f', { maxChars: 400, overlapChars: 120 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) {
      expect(chunk.headingPath).toEqual(['Failover', 'Steps']);
      expect(chunk.text.length).toBeLessThanOrEqual(400);
    }
    // Each part starts with the end of the one before.
    for (let i = 1; i < chunks.length; i++) {
      const head = chunks[i]!.text.slice(0, 30);
      expect(chunks[i - 1]!.text).toContain(head);
    }
    expect(chunks.at(-1)!.text).toContain('Sentence number 59');
  });

  it('reads GFM tables and skips headings without text and HTML comments', () => {
    const { chunks } = chunkMarkdown('# T\n\n<!-- hidden -->\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n##\n\nafter', 't');
    expect(chunks).toEqual([
      { headingPath: ['T'], text: '| a | b |\n|---|---|\n| 1 | 2 |' },
      { headingPath: ['T'], text: 'after' },
    ]);
  });
});
