import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './repository.js';

// Every stdio MCP set-up the docs and examples show names who calls (`--person`): without it, the tools that act as
// someone (ack_signal, submit_daily_report) answer that the server does not know who is calling.
const FILES = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
  'examples/claude-code/README.md',
  'examples/claude-code/.mcp.json',
  'examples/claude-desktop/README.md',
  'examples/claude-desktop/claude_desktop_config.json',
  'examples/cursor/README.md',
  'examples/cursor/.cursor/mcp.json',
];

/** What in `text` starts a stdio MCP server on a database for a client: a `claude mcp add …` line, a client config's `args`. */
function serverLines(text: string): string[] {
  const commands = text.split('\n').filter((line) => /claude mcp add (?!--transport)/.test(line));
  const args = [...text.matchAll(/"args":\s*\[[^\]]*\]/g)].map(([found]) => found.replace(/\s+/g, ' '));
  return [...commands, ...args].filter((line) => /\bmcp\b.*--db/.test(line));
}

describe('the documented MCP set-ups', () => {
  it('name the person calling wherever they name a database', () => {
    const lines = FILES.flatMap((file) => serverLines(readFileSync(join(ROOT, file), 'utf8')).map((line) => `${file}: ${line.trim()}`));
    expect(lines.length).toBeGreaterThan(6);
    expect(lines.filter((line) => !/--person|"--person"/.test(line))).toEqual([]);
  });
});
