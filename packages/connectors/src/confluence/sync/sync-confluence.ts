import type { KnowledgeSourceContext, KnownKnowledgeDocument } from '@teamstate/core';
import type { RetrySleep } from '../../upstream/with-rate-limit.js';
import type { ConfluenceApi, ConfluencePageSummary, ConfluenceSpace } from '../client/confluence-api.js';
import type { ConfluenceTransport } from '../client/confluence-transport.js';
import type { ResolvedConfluenceOptions } from '../options.js';

/** Waits `ms`, or stops at once when the sync is aborted. */
function abortableSleep(signal: AbortSignal | undefined): RetrySleep {
  return (ms) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', stop);
        resolve();
      }, ms);
      const stop = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', stop, { once: true });
    });
}

const pageUri = (options: ResolvedConfluenceOptions, page: ConfluencePageSummary) =>
  /^https?:\/\//i.test(page.webui) ? page.webui : `${options.webBase}${page.webui.startsWith('/') ? '' : '/'}${page.webui}`;

/** Every current page of a space, without bodies, following `_links.next`. */
async function listSpace(api: ConfluenceApi, space: ConfluenceSpace, ctx: KnowledgeSourceContext): Promise<ConfluencePageSummary[]> {
  const pages = new Map<string, ConfluencePageSummary>();
  let next: string | undefined;
  do {
    if (ctx.signal?.aborted) throw ctx.signal.reason ?? new Error('aborted');
    const listed = await api.listPages(space, next);
    // A page listed twice (the listing moved while it was read) counts once.
    for (const page of listed.pages) pages.set(page.id, page);
    next = listed.next;
    ctx.progress({ phase: `space ${space.key}: listing pages`, done: pages.size });
  } while (next);
  return [...pages.values()];
}

/**
 * What `sync(ctx)` of the Confluence source runs: for each space, list its pages with their versions (no bodies), keep
 * the pages whose version is the one indexed, fetch the bodies of the others only, convert them to markdown and put
 * them. A space that does not exist or may not be read is a warning and keeps its pages in the index.
 */
export async function syncConfluence(ctx: KnowledgeSourceContext, options: ResolvedConfluenceOptions, transport: ConfluenceTransport) {
  const wait = options.sleep ?? abortableSleep(ctx.signal);
  const api = await transport.api(async (ms, reason) => {
    ctx.progress({ phase: `waiting ${Math.ceil(ms / 1000)} s: ${reason}` });
    await wait(ms, reason);
  });
  // Loaded with the first sync only: turndown and its DOM are not needed to configure the source.
  const { storageToMarkdown } = await import('../map/storage-to-markdown.js');
  const known = await ctx.known();
  const knownBySpace = new Map<string, KnownKnowledgeDocument[]>();
  for (const document of known.values())
    if (document.space) knownBySpace.set(document.space, [...(knownBySpace.get(document.space) ?? []), document]);
  const kept = new Set<string>();
  const keep = (uri: string) => {
    if (kept.has(uri)) return;
    kept.add(uri);
    ctx.keep(uri);
  };

  for (const key of options.spaces) {
    const space = await api.findSpace(key);
    if (!space) {
      ctx.warn(
        `space ${key}: skipped, it does not exist or the account may not read it (check knowledge.confluence.spaces and the space's permissions); its pages already indexed stay`,
      );
      for (const document of knownBySpace.get(key) ?? []) keep(document.uri);
      continue;
    }
    const pages = await listSpace(api, space, ctx);
    const changed: ConfluencePageSummary[] = [];
    for (const page of pages) {
      const uri = pageUri(options, page);
      if (known.get(uri)?.version === String(page.version)) keep(uri);
      else changed.push(page);
    }
    let done = 0;
    ctx.progress({ phase: `space ${key}: reading changed pages`, done, total: changed.length });
    for (let i = 0; i < changed.length; i += api.bodiesPerRequest) {
      if (ctx.signal?.aborted) throw ctx.signal.reason ?? new Error('aborted');
      const batch = changed.slice(i, i + api.bodiesPerRequest);
      for (const page of await api.getBodies(batch.map((candidate) => candidate.id))) {
        const uri = pageUri(options, page);
        const skip = (why: string) => {
          ctx.warn(`space ${key}: page "${page.title}" (${uri}): skipped, ${why}`);
          // The version indexed before stays (and is read again next time) rather than leaving a hole.
          if (known.has(uri)) keep(uri);
        };
        if (page.storage === undefined) {
          skip('Confluence sent no storage-format body');
          continue;
        }
        let markdown: string;
        try {
          markdown = storageToMarkdown(page.storage);
        } catch (error) {
          skip(`its body could not be converted to markdown (${error instanceof Error ? error.message : String(error)})`);
          continue;
        }
        if (kept.has(uri)) continue;
        await ctx.put({
          uri,
          markdown: `# ${page.title}\n\n${markdown}`,
          title: page.title,
          space: key,
          version: String(page.version),
          updatedAt: page.updatedAt,
          ...(page.author ? { author: page.author } : {}),
        });
      }
      done += batch.length;
      ctx.progress({ phase: `space ${key}: reading changed pages`, done, total: changed.length });
    }
  }
}
