import { type KnowledgePassage, type KnowledgeSyncResult, safeText, type TeamState, TeamStateError } from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { requireResolved, unresolvedWarnings } from '../config/load-config.js';
import { isDemoWorkspace } from '../config/open-with-connectors.js';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { personLabel } from '../person-label.js';
import { colors, configFor, knowledgeSections, knowledgeSources, printJson, withTeamState } from '../runtime.js';
import { selfName } from '../self-command.js';
import { wrapText } from '../wrap.js';

const oneLine = (text: string, max: number) => safeText(text, { singleLine: true, maxLength: max });

function limitOption(value: string, max: number): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > max)
    throw new UsageError(`--limit: expected a whole number from 1 to ${max}, got "${value}"`);
  return limit;
}

/**
 * Runs `ts.knowledge.sync()` with progress on stderr (a line per phase and source) and prints the counts; shared by
 * `teamstate knowledge sync` and `teamstate sync`. Returns the result.
 */
export async function syncKnowledge(
  ts: TeamState,
  io: Io,
  options: { json?: boolean; signal?: AbortSignal },
): Promise<KnowledgeSyncResult> {
  let last = '';
  const result = await ts.knowledge.sync({
    ...(options.signal ? { signal: options.signal } : {}),
    onProgress: (progress) => {
      const line = `knowledge ${progress.source}: ${progress.phase ?? 'indexing'}`;
      const final = progress.total !== undefined && progress.done === progress.total;
      if (line === last && !final) return;
      last = line;
      io.stderr(`${line}${progress.total === undefined ? '' : ` ${progress.done ?? 0}/${progress.total}`}\n`);
    },
  });
  for (const warning of result.warnings) io.stderr(`warning: ${oneLine(warning, 300)}\n`);
  if (!options.json) {
    const c = colors(io);
    for (const r of result.sources) {
      const mark = r.status === 'succeeded' ? c.green('✓') : c.red('✗');
      io.stdout(
        `${mark} knowledge ${r.source}: ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged, ${r.removed} removed, ${r.skipped} skipped (${r.chunks} passages written${r.embedded === undefined ? '' : `, ${r.embedded} embedded`})${r.error ? `: ${oneLine(r.error.message, 300)}` : ''}\n`,
      );
    }
  }
  return result;
}

function renderPassages(passages: KnowledgePassage[]): string {
  return passages
    .map((passage, i) => {
      const heading = passage.headingPath.length > 0 ? ` › ${passage.headingPath.map((h) => oneLine(h, 80)).join(' › ')}` : '';
      const text = safeText(passage.text, { maxLength: 600 })
        .split('\n')
        .map((line) => `   ${line}`)
        .join('\n');
      return `${i + 1}. ${oneLine(passage.document.title, 120)}${heading}\n   ${oneLine(passage.document.uri, 200)} (updated ${passage.document.updatedAt.slice(0, 10)}, score ${passage.score})\n${text}\n`;
    })
    .join('\n');
}

/** `teamstate knowledge sync|search|who-knows` (docs/knowledge.md, docs/cli.md#knowledge). */
export const registerKnowledge: RegisterCommand = (program, ctx) => {
  const knowledge = program
    .command('knowledge')
    .description("the team's docs: index them, search them with citations, find who knows a topic");

  knowledge
    .command('sync')
    .description('index the configured knowledge sources (knowledge.local.paths); only what changed is written')
    .addHelpText('after', '\nExamples:\n  $ teamstate knowledge sync\n  $ teamstate knowledge sync --json')
    .action(
      ctx.action(async (globals) => {
        const { io } = ctx;
        const loaded = configFor(globals, io);
        if (loaded) requireResolved(loaded, knowledgeSections(loaded));
        if (knowledgeSources(loaded).length === 0)
          throw new TeamStateError(
            'invalid_config',
            loaded
              ? `knowledge: nothing to index in ${loaded.path}; add knowledge: { local: { paths: [./docs] } }`
              : `no teamstate.config.yaml found in ${io.cwd} or above (run \`teamstate init\` and add knowledge: { local: { paths: [./docs] } }, or pass --config <file>)`,
          );
        const controller = new AbortController();
        const stop = () => controller.abort();
        process.once('SIGINT', stop);
        try {
          return await withTeamState(
            globals,
            io,
            async (ts) => {
              const result = await syncKnowledge(ts, io, { json: globals.json, signal: controller.signal });
              if (globals.json) printJson(io, result);
              return result.ok ? 0 : 1;
            },
            undefined,
            { create: true },
          );
        } finally {
          process.off('SIGINT', stop);
        }
      }),
    );

  knowledge
    .command('search')
    .description("passages of the team's docs that answer a question, best first, with title, path or link, heading and last update")
    .argument('<query>', 'a question or words (never search syntax; at most 500 characters)')
    .option('--limit <n>', 'how many passages (1-50; at most 2 per document)', '5')
    .option('--source <source>', 'only github, confluence or local documents')
    .option('--team <id>', 'only documents this team may see')
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate knowledge search "how do I roll back a deploy?"\n  $ teamstate knowledge search retry_backoff_ms --limit 3 --json',
    )
    .action(
      ctx.action(async (globals, query: string, options: { limit: string; source?: string; team?: string }) => {
        const limit = limitOption(options.limit, 50);
        // An embedder whose key is not set is left out: passages are ranked by their words alone, and stderr says why.
        for (const { warning } of unresolvedWarnings(configFor(globals, ctx.io), ['knowledge.embedder']))
          ctx.io.stderr(`warning: ${warning}\n`);
        return withTeamState(globals, ctx.io, async (ts) => {
          const passages = await ts.knowledge.search(query, {
            limit,
            ...(options.team === undefined ? {} : { team: options.team }),
            ...(options.source === undefined ? {} : { source: options.source as KnowledgePassage['document']['source'] }),
          });
          const note = passages.note === undefined ? {} : { note: passages.note };
          if (globals.json) {
            printJson(ctx.io, { passages, ...note });
            return 0;
          }
          // The answer says when it is ranked by words alone because the month's cost cap is reached.
          if (note.note !== undefined) ctx.io.stdout(`Note: ${note.note}.\n\n`);
          if (passages.length === 0)
            ctx.io.stdout(
              // The demo's documents come with it (knowledge sync needs a config's sources): other words are the way on.
              configFor(globals, ctx.io) === undefined && (await isDemoWorkspace(ts))
                ? `No passage matches. The demo's documents are indexed already: try other words (e.g. "roll back a deploy"); \`${selfName()} knowledge who-knows <topic>\` names people.\n`
                : `No passage matches. (Index documents with \`${selfName()} knowledge sync\`; \`${selfName()} knowledge who-knows\` names people.)\n`,
            );
          else ctx.io.stdout(wrapText(renderPassages(passages)));
          return 0;
        });
      }),
    );

  knowledge
    .command('who-knows')
    .description(
      'people most likely to know a topic, with the evidence (documents written, CODEOWNERS, PRs authored and reviewed, issues resolved)',
    )
    .argument('<topic>', 'the topic, in words')
    .option('--limit <n>', 'how many people (1-20)', '5')
    .option('--team <id>', 'only members of this team')
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate knowledge who-knows "refund flow"\n  $ teamstate knowledge who-knows kafka --team platform --json',
    )
    .action(
      ctx.action(async (globals, topic: string, options: { limit: string; team?: string }) => {
        const limit = limitOption(options.limit, 20);
        return withTeamState(globals, ctx.io, async (ts) => {
          const people = await ts.knowledge.whoKnows(topic, { limit, ...(options.team === undefined ? {} : { team: options.team }) });
          if (globals.json) printJson(ctx.io, { people });
          else if (people.length === 0) ctx.io.stdout('Nobody found: no document, code owner, pull request or resolved issue matches.\n');
          else
            for (const [i, entry] of people.entries()) {
              ctx.io.stdout(wrapText(`${i + 1}. ${personLabel(entry.person)}, score ${entry.score}\n`));
              for (const evidence of entry.evidence)
                ctx.io.stdout(
                  wrapText(
                    `   - ${evidence.kind.replace('_', ' ')}: ${oneLine(evidence.title, 100)} (${evidence.at.slice(0, 10)}) ${oneLine(evidence.ref, 120)}${evidence.rule === undefined ? '' : ` — ${oneLine(evidence.rule, 120)}`}\n`,
                  ),
                );
            }
          return 0;
        });
      }),
    );
};
