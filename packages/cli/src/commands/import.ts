import { accessSync, constants } from 'node:fs';
import { type BundleSource, TeamStateError, ValidationError } from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { printJson, withTeamState } from '../runtime.js';

const LABELS = {
  teams: ['team', 'teams'],
  people: ['person', 'people'],
  repositories: ['repository', 'repositories'],
  workItems: ['work item', 'work items'],
  sprints: ['sprint', 'sprints'],
  deployments: ['deployment', 'deployments'],
  incidents: ['incident', 'incidents'],
} as const;

// The file, streamed (never read whole: a company's bundle is gigabytes), or stdin for `-`.
function bundleSource(file: string): BundleSource {
  if (file === '-') return process.stdin;
  try {
    accessSync(file, constants.R_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new TeamStateError('invalid_argument', `cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  return file;
}

// Broken JSON is said in one line naming the file and where, like any other unreadable input.
function notJson(file: string, error: unknown): unknown {
  if (!ValidationError.isInstance(error) || !(error instanceof ValidationError) || error.issues.length !== 1) return error;
  const [issue] = error.issues;
  if (!issue?.message.startsWith('not valid JSON')) return error;
  const where = issue.path ? ` (${issue.path})` : '';
  return new TeamStateError('invalid_argument', `${file} is not valid JSON${where}: ${issue.message.replace(/^not valid JSON:? ?/, '')}`);
}

/** `teamstate import <file>`: validates and imports a teamstate.bundle/v1 document in one transaction, streaming the file. */
export const registerImport: RegisterCommand = (program, ctx) => {
  program
    .command('import')
    .description('import a teamstate.bundle/v1 JSON file (all or nothing; re-importing changes nothing)')
    .argument('<file>', 'bundle file, or - for stdin')
    .addHelpText('after', '\nExamples:\n  $ teamstate import team.bundle.json\n  $ teamstate export | teamstate --db other.db import -')
    .action(
      ctx.action(async (globals, file: string) => {
        const source = bundleSource(file);
        const result = await withTeamState(globals, ctx.io, (ts) => ts.importFile(source), undefined, { create: true }).catch(
          (error: unknown) => {
            throw notJson(file, error);
          },
        );
        if (globals.json) printJson(ctx.io, result);
        else {
          const parts = Object.entries(LABELS)
            .filter(([kind]) => result.records[kind as keyof typeof LABELS] > 0)
            .map(([kind, [one, many]]) => {
              const n = result.records[kind as keyof typeof LABELS];
              return `${n} ${n === 1 ? one : many}`;
            });
          ctx.io.stdout(`Imported ${parts.join(', ') || 'nothing'} (${result.changes} rows changed).\n`);
        }
        return 0;
      }),
    );
};
