import { readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { TeamStateError } from '../../kernel/errors.js';
import type { KnowledgeSource, KnowledgeSourceContext } from '../../spec/knowledge-source.js';

/** Options of {@link localKnowledge}. */
export interface LocalKnowledgeOptions {
  /** Folders (searched recursively) or single files. */
  paths: readonly string[];
  /** Relative paths are relative to this folder (default: the process's working directory). */
  baseDir?: string;
  /** Team ids allowed to see these documents; absent: everyone in the workspace. */
  visibility?: readonly string[];
  /** The source's id (default `local`). */
  id?: string;
}

/** The file names indexed: markdown only. */
export const MARKDOWN_FILE = /\.(md|mdx|markdown)$/i;
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.hg', '.svn', '.teamstate']);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Markdown files on disk (`knowledge.local.paths`): `.md`, `.mdx` and `.markdown` files under the given folders.
 * Each file's uri is its path (relative to `baseDir` when it was configured relative). Change detection is by
 * content hash, so an unchanged folder writes nothing; a deleted file leaves the index; a file that cannot be read,
 * is binary or is not UTF-8 is skipped with a warning naming it. A configured path that does not exist is an error
 * (and removes nothing).
 *
 * @example
 * const ts = await createTeamState({ knowledge: { sources: [localKnowledge({ paths: ['./docs'] })] } })
 * await ts.knowledge.sync()
 */
export function localKnowledge(options: LocalKnowledgeOptions): KnowledgeSource {
  if (!Array.isArray(options.paths) || options.paths.some((path) => typeof path !== 'string' || path.trim() === ''))
    throw new TeamStateError('invalid_config', 'knowledge.local.paths: expected a list of folders or files, e.g. [./docs]');
  const baseDir = options.baseDir ?? process.cwd();
  return {
    specificationVersion: 'v1',
    id: options.id ?? 'local',
    source: 'local',
    ...(options.visibility === undefined ? {} : { visibility: options.visibility }),
    async sync(ctx) {
      const files: { absolute: string; uri: string }[] = [];
      for (const configured of options.paths) {
        const root = resolve(baseDir, configured);
        const info = await stat(root).catch(() => undefined);
        if (!info)
          throw new TeamStateError(
            'invalid_config',
            `knowledge.local.paths: ${configured} does not exist (looked at ${root}); fix the path or remove it from the config`,
          );
        const uriOf = (file: string) => {
          const shown = isAbsolute(configured) ? file : relative(baseDir, file) || file;
          return shown.split(sep).join('/');
        };
        if (info.isFile()) files.push({ absolute: root, uri: uriOf(root) });
        else await walk(root, ctx, (file) => files.push({ absolute: file, uri: uriOf(file) }));
      }
      ctx.progress({ phase: 'reading files', done: 0, total: files.length });
      let done = 0;
      for (const file of files) {
        if (ctx.signal?.aborted) throw ctx.signal.reason ?? new Error('aborted');
        const document = await readMarkdownFile(file.absolute, file.uri, ctx);
        if (document) await ctx.put(document);
        done++;
        if (done % 200 === 0) ctx.progress({ phase: 'reading files', done, total: files.length });
      }
      ctx.progress({ phase: 'reading files', done, total: files.length });
    },
  };
}

async function walk(folder: string, ctx: KnowledgeSourceContext, found: (file: string) => void): Promise<void> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    ctx.warn(`${folder}: skipped, the folder cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) await walk(path, ctx, found);
    } else if (entry.isFile() && MARKDOWN_FILE.test(entry.name)) found(path);
  }
}

async function readMarkdownFile(path: string, uri: string, ctx: KnowledgeSourceContext) {
  let bytes: Buffer;
  let modified: number;
  try {
    [bytes, modified] = await Promise.all([readFile(path), stat(path).then((info) => info.mtimeMs)]);
  } catch (error) {
    ctx.warn(`${uri}: skipped, the file cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    return undefined;
  }
  if (bytes.includes(0)) {
    ctx.warn(`${uri}: skipped, the file is binary (it holds NUL bytes), not markdown text`);
    return undefined;
  }
  let markdown: string;
  try {
    markdown = utf8.decode(bytes);
  } catch {
    ctx.warn(`${uri}: skipped, the file is not UTF-8 text (re-save it as UTF-8)`);
    return undefined;
  }
  return { uri, path: uri, markdown, updatedAt: Math.floor(modified) };
}
