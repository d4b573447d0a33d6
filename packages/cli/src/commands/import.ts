import type { RegisterCommand } from '../command-context.js';
import { printJson, readJsonFile, withTeamState } from '../runtime.js';

const LABELS = {
  teams: ['team', 'teams'],
  people: ['person', 'people'],
  repositories: ['repository', 'repositories'],
  workItems: ['work item', 'work items'],
  sprints: ['sprint', 'sprints'],
  deployments: ['deployment', 'deployments'],
  incidents: ['incident', 'incidents'],
} as const;

/** `teamstate import <file>`: validates and imports a teamstate.bundle/v1 document in one transaction. */
export const registerImport: RegisterCommand = (program, ctx) => {
  program
    .command('import')
    .description('import a teamstate.bundle/v1 JSON file (all or nothing; re-importing changes nothing)')
    .argument('<file>', 'bundle file, or - for stdin')
    .addHelpText('after', '\nExamples:\n  $ teamstate import team.bundle.json\n  $ teamstate export | teamstate --db other.db import -')
    .action(
      ctx.action(async (globals, file: string) => {
        const bundle = readJsonFile(file);
        const result = await withTeamState(globals, ctx.io, (ts) => ts.import(bundle), undefined, { create: true });
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
