import { TeamStateError, UpstreamError } from '../../kernel/errors.js';
import { redactSecrets } from '../../kernel/text/redact-secrets.js';
import type { Embedder } from '../../spec/embedder.js';

/** Options of {@link httpEmbedder}. */
export interface HttpEmbedderOptions {
  /**
   * The API's base URL (`https://api.openai.com/v1`, Ollama's `http://127.0.0.1:11434/v1`, a llama.cpp or vLLM
   * server's `http://127.0.0.1:8080/v1`), or its full `…/embeddings` endpoint.
   */
  url: string;
  /** The model the server embeds with (`text-embedding-3-small`, `nomic-embed-text`, …). */
  model: string;
  /** Sent as `Authorization: Bearer <apiKey>`; never logged or shown in errors. Local servers need none. */
  apiKey?: string;
  /** The length of the model's vectors (1536 for text-embedding-3-small, 768 for nomic-embed-text, 384 for all-minilm). */
  dimensions: number;
  /** The embedder's id, stored with the vectors (default: the model): another id makes the index embed everything again. */
  id?: string;
  /** How long one request may take (default 60,000 ms). */
  timeoutMs?: number;
  /** How many times a 429, a 5xx or a connection failure is tried again (default 2), after `Retry-After` or 1 s, 2 s. */
  retries?: number;
  /**
   * US dollars per 1,000 tokens (`knowledge.embedder.costPer1kTokensUsd`, e.g. 0.00002 for text-embedding-3-small):
   * each call's `usage.total_tokens` is metered on the spend ledger and stops at `limits.max_monthly_cost_usd`.
   * Leave it out for a local model server: its calls cost nothing.
   */
  costPer1kTokensUsd?: number;
}

/** `Retry-After` waits longer than this are not waited for: the sync fails and the next one resumes. */
const MAX_RETRY_WAIT_MS = 30_000;

/** An error answer, with how long the server asked to wait before trying again. */
class EmbeddingsAnswerError extends UpstreamError {
  constructor(
    message: string,
    details: ConstructorParameters<typeof UpstreamError>[1],
    readonly retryAfterMs: number | undefined,
  ) {
    super(message, details);
  }
}

interface EmbeddingsResponse {
  data?: { index?: number; embedding?: unknown }[];
  usage?: { total_tokens?: unknown };
}

function checkOptions(options: HttpEmbedderOptions): URL {
  if (typeof options !== 'object' || options === null)
    throw new TeamStateError('invalid_config', 'knowledge.embedder: expected { url, model, apiKey?, dimensions }');
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new TeamStateError(
      'invalid_config',
      `knowledge.embedder.url: expected the API's URL (e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1), got ${JSON.stringify(redactSecrets(String(options.url)))}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TeamStateError('invalid_config', `knowledge.embedder.url: expected an http:// or https:// URL, got ${url.protocol}//…`);
  if (typeof options.model !== 'string' || options.model.trim() === '')
    throw new TeamStateError(
      'invalid_config',
      'knowledge.embedder.model: required (the model the server embeds with, e.g. nomic-embed-text)',
    );
  if (!Number.isInteger(options.dimensions) || options.dimensions <= 0)
    throw new TeamStateError(
      'invalid_config',
      `knowledge.embedder.dimensions: expected the length of the model's vectors (a positive integer, e.g. 768), got ${JSON.stringify(options.dimensions)}`,
    );
  if (options.apiKey !== undefined && (typeof options.apiKey !== 'string' || options.apiKey === ''))
    throw new TeamStateError(
      'invalid_config',
      'knowledge.embedder.apiKey: expected the API key as a string (keep it in an environment variable and name that variable in the config)',
    );
  const cost = options.costPer1kTokensUsd;
  if (cost !== undefined && !(typeof cost === 'number' && Number.isFinite(cost) && cost >= 0))
    throw new TeamStateError(
      'invalid_config',
      `knowledge.embedder.costPer1kTokensUsd: expected US dollars per 1,000 tokens, 0 or more (e.g. 0.00002), got ${JSON.stringify(cost)}`,
    );
  if (!/\/embeddings\/?$/.test(url.pathname)) url.pathname = `${url.pathname.replace(/\/+$/, '')}/embeddings`;
  return url;
}

const sleep = (ms: number, signal: AbortSignal | undefined) =>
  new Promise<void>((resolve, reject) => {
    signal?.throwIfAborted();
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * An {@link Embedder} for OpenAI-compatible embedding APIs: `POST <url>/embeddings` with `{ model, input }`, which
 * OpenAI and the local model servers (Ollama, llama.cpp's server, vLLM, LM Studio, text-embeddings-inference) all
 * answer. Nothing is downloaded: the model runs where the server runs.
 *
 * @example
 * const embedder = httpEmbedder({ url: 'http://127.0.0.1:11434/v1', model: 'nomic-embed-text', dimensions: 768 })
 * const ts = await createTeamState({ knowledge: { sources: [localKnowledge({ paths: ['./docs'] })], embedder } })
 */
export function httpEmbedder(options: HttpEmbedderOptions): Embedder {
  const endpoint = checkOptions(options);
  const { model, apiKey, dimensions } = options;
  const id = options.id ?? model;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const retries = options.retries ?? 2;
  const where = `embedder "${id}"`;
  const request = { method: 'POST', path: endpoint.pathname };
  const shown = `POST ${redactSecrets(endpoint.href)}`;
  const clean = (text: string) => redactSecrets(text, [apiKey]);

  async function post(
    texts: readonly string[],
    signal: AbortSignal | undefined,
    onUsage: ((usage: { totalTokens: number }) => void) | undefined,
  ): Promise<number[][]> {
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
        body: JSON.stringify({ model, input: texts, encoding_format: 'float' }),
        signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      const reason =
        (error as Error)?.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : clean(String((error as Error)?.cause ?? error));
      throw new UpstreamError(`${where}: ${shown} failed: ${reason}`, { isRetryable: true, request, cause: error });
    }
    if (!response.ok) {
      const body = await response.text().catch(() => '');
      let detail = body.slice(0, 300);
      try {
        const parsed = JSON.parse(body) as { error?: { message?: unknown } | string };
        const message = typeof parsed.error === 'string' ? parsed.error : parsed.error?.message;
        if (typeof message === 'string') detail = message;
      } catch {}
      const status = response.status;
      const header = response.headers.get('retry-after');
      const wait = header === null ? Number.NaN : Number(header);
      throw new EmbeddingsAnswerError(
        `${where}: ${shown} answered ${status}${detail ? `: ${clean(detail)}` : ''}`,
        { statusCode: status, isRetryable: status === 429 || status >= 500, request },
        Number.isFinite(wait) && wait >= 0 ? wait * 1000 : undefined,
      );
    }
    const payload = (await response.json().catch(() => undefined)) as EmbeddingsResponse | undefined;
    if (!Array.isArray(payload?.data))
      throw new UpstreamError(
        `${where}: ${shown} answered without a "data" list of embeddings (is this an OpenAI-compatible /embeddings endpoint?)`,
        {
          statusCode: response.status,
          isRetryable: false,
          request,
        },
      );
    const tokens = payload.usage?.total_tokens;
    if (typeof tokens === 'number' && Number.isFinite(tokens) && tokens >= 0) onUsage?.({ totalTokens: tokens });
    // Each item carries its input's index; servers may answer in any order.
    const items = [...payload.data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    return items.map((item, i) => {
      if (!Array.isArray(item.embedding))
        throw new UpstreamError(`${where}: embedding ${item.index ?? i} is not a list of numbers (send encoding_format float)`, {
          statusCode: response.status,
          isRetryable: false,
          request,
        });
      return item.embedding as number[];
    });
  }

  return {
    specificationVersion: 'v1',
    id,
    dimensions,
    ...(options.costPer1kTokensUsd === undefined ? {} : { costPer1kTokensUsd: options.costPer1kTokensUsd }),
    async embed(texts, { signal, onUsage } = {}) {
      for (let attempt = 0; ; attempt++) {
        try {
          return await post(texts, signal, onUsage);
        } catch (error) {
          const upstream = UpstreamError.isInstance(error) ? error : undefined;
          const wait = (error instanceof EmbeddingsAnswerError ? error.retryAfterMs : undefined) ?? 1000 * (attempt + 1);
          if (!upstream?.isRetryable || attempt >= retries || wait > MAX_RETRY_WAIT_MS) throw error;
          await sleep(wait, signal);
        }
      }
    },
  };
}
