import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDatabase, runCli } from './run-cli.js';

// Finding 6: prose (digests, passages, people with their evidence, an approval) is wrapped to the terminal's width
// as tables are (its width on a terminal, else COLUMNS, else 80), continuing under the text of the line it wraps;
// --json is never wrapped.
const dir = mkdtempSync(join(tmpdir(), 'teamstate-prose-'));
const db = join(dir, 'demo.db');
const NOW = '2026-11-23T09:30:00Z';
const cli = (args: string[], columns = '') => runCli(['--db', db, '--now', NOW, ...args], { env: { COLUMNS: columns } });
const widths = (text: string) => text.split('\n').map((line) => stringWidth(stripVTControlCharacters(line)));
const widest = (text: string) => Math.max(...widths(text));
/** The words of a text, whatever its line breaks. */
const words = (text: string) => text.split(/\s+/).filter(Boolean);

let approvalId: string;
beforeAll(async () => {
  expect((await demoDatabase(db, NOW)).code).toBe(0);
  approvalId = JSON.parse((await cli(['--json', 'approvals', 'list', '--status', 'pending'])).stdout).approvals[0].id;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const commands = () => [
  ['standup', '--team', 'payments'],
  ['sprint', '--team', 'payments'],
  ['knowledge', 'search', 'how do I roll back a deploy?'],
  ['knowledge', 'who-knows', 'ledger'],
  ['approvals', 'show', approvalId],
];

describe('prose fits the terminal width', () => {
  it('wraps every line of every prose command to 80 columns by default, losing no word', async () => {
    for (const args of commands()) {
      const name = args.join(' ');
      const wide = await cli(args, '250');
      const narrow = await cli(args, '');
      expect(narrow.code, `${name}: ${narrow.stderr}`).toBe(0);
      // Something was longer than 80 columns, and now nothing is.
      expect(widest(wide.stdout), name).toBeGreaterThan(80);
      expect(widest(narrow.stdout), name).toBeLessThanOrEqual(80);
      expect(words(narrow.stdout), name).toEqual(words(wide.stdout));
    }
  });

  it('continues a wrapped line under its text: a label, a list item, a blocker', async () => {
    const sprint = (await cli(['sprint', '--team', 'payments'])).stdout;
    // The forecast's items go on under "about", not at the margin.
    expect(sprint).toMatch(/^ {2}forecast {2}about .*\n {12}\S/m);
    const people = (await cli(['knowledge', 'who-knows', 'ledger'])).stdout;
    expect(people).toMatch(/^ {3}- \S.*\n {5}\S/m);
    const approval = (await cli(['approvals', 'show', approvalId])).stdout;
    expect(approval).toMatch(/^ {2}reason {5}\(the requester's words\) .*\n {13}\S/m);
  });

  it('follows COLUMNS, down to a narrow terminal', async () => {
    for (const args of commands()) {
      const narrow = await cli(args, '50');
      expect(widest(narrow.stdout), args.join(' ')).toBeLessThanOrEqual(50);
    }
  });

  it('never wraps --json', async () => {
    for (const args of commands()) {
      const json = await cli(['--json', ...args], '40');
      expect(json.code, args.join(' ')).toBe(0);
      expect(json.stdout, args.join(' ')).toBe((await cli(['--json', ...args], '250')).stdout);
    }
  });
});
