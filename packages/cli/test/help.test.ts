import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { createProgram } from '../src/main.js';
import type { Io } from '../src/runtime.js';

const io: Io = { stdout: () => {}, stderr: () => {}, env: {}, isTTY: false, cwd: process.cwd() };

function leaves(command: Command, path: string[] = []): string[][] {
  const children = command.commands.filter((c) => c.name() !== 'help');
  if (children.length === 0) return [path];
  return children.flatMap((child) => leaves(child, [...path, child.name()]));
}

describe('every command', () => {
  const program = createProgram(io, () => {});
  const commands = leaves(program);

  it('is listed', () => {
    expect(commands.map((c) => c.join(' '))).toEqual(
      expect.arrayContaining(['demo', 'init', 'import', 'export', 'sync', 'serve', 'config check', 'audit verify']),
    );
  });

  it.each(commands.map((c) => [c.join(' ')]))('`%s --help` shows a description and an example', (name) => {
    let command: Command = program;
    for (const part of name.split(' ')) command = command.commands.find((c) => c.name() === part)!;
    expect(command.description().length).toBeGreaterThan(10);
    // Examples are added with addHelpText('after'), which only `--help` itself prints.
    let help = '';
    command.configureOutput({ writeOut: (s) => (help += s), writeErr: () => {} });
    expect(() => command.exitOverride().parse(['--help'], { from: 'user' })).toThrow();
    expect(help).toContain(`Usage: teamstate ${name}`);
    expect(help).toMatch(/Examples?:\n\s+\$ teamstate /);
    // The global flags, listed with every subcommand (issue 17).
    expect(help).toMatch(/Global Options:[\s\S]*--db <url>[\s\S]*--json/);
  });
});
