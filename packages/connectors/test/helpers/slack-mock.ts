import { readFileSync } from 'node:fs';
import { HttpResponse, http, passthrough } from 'msw';
import { type SetupServer, setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';

/** The Web API base URL the tests configure (`apiUrl`), so nothing can reach the real Slack. */
export const SLACK_API = 'https://slack.test/api/';
/** Where interaction `response_url`s point in the fixtures. */
export const RESPONSE_URL_PREFIX = 'https://hooks.slack.com/actions/';

/** A recorded, schema-valid Slack payload from `__fixtures__/slack/<name>.json`. */
export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../__fixtures__/slack/${name}.json`, import.meta.url), 'utf8')) as T;
}

/** One Web API call as the mock received it; JSON-encoded arguments (blocks, metadata, view) are decoded. */
export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  authorization: string | null;
}

/** Answers a call; `index` counts earlier calls of the same method (0 for the first). */
export type SlackReply = (call: SlackCall, index: number) => Response | Promise<Response>;

/** A mock Slack at the network boundary (msw), answering from the fixtures unless told otherwise. */
export interface SlackMock {
  server: SetupServer;
  /** Starts intercepting; any request to another host is an error, except to local servers (the test's own HTTP server). */
  listen(): void;
  /** Every Web API call, in order. */
  calls: SlackCall[];
  /** Every post to a `response_url` (ephemeral answers to a click). */
  responses: Record<string, unknown>[];
  /** The calls of one method. */
  callsOf(method: string): SlackCall[];
  /** Replaces the answer of `method` until `reset()`. */
  on(method: string, reply: SlackReply): void;
  /**
   * Holds every post to a `response_url` (they arrive, but are neither recorded nor answered) until the returned
   * function is called: to prove what happens before an answer is delivered.
   */
  holdResponses(): () => void;
  /** Forgets calls and replacements. */
  reset(): void;
}

/** A Web API success answer. */
export function slackJson(body: Record<string, unknown>, init?: { status?: number; headers?: Record<string, string> }): Response {
  return HttpResponse.json(body, init);
}

/** A 429 with Retry-After, as Slack sends it. */
export function rateLimited(retryAfterSeconds: number): Response {
  return HttpResponse.json(fixture('error.ratelimited'), { status: 429, headers: { 'Retry-After': String(retryAfterSeconds) } });
}

function decode(value: string): unknown {
  if (/^[[{]/.test(value)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

/** Creates the mock; call `listen()` in `beforeAll` and `server.close()` in `afterAll`. */
export function createSlackMock(apiUrl = SLACK_API): SlackMock {
  const calls: SlackCall[] = [];
  const responses: Record<string, unknown>[] = [];
  const replies = new Map<string, SlackReply>();
  let held: Promise<void> = Promise.resolve();
  let ts = 0;
  const nextTs = () => `1772442000.${String(++ts).padStart(6, '0')}`;
  const defaults: Record<string, SlackReply> = {
    'users.list': (call) => slackJson(fixture(call.args.cursor ? 'users.list.page-2' : 'users.list.page-1')),
    'chat.postMessage': (call) => {
      const at = nextTs();
      const posted = fixture<{ message: object }>('chat.postMessage');
      return slackJson({ ...posted, channel: call.args.channel, ts: at, message: { ...posted.message, ts: at } });
    },
    'chat.update': (call) => slackJson({ ...fixture('chat.update'), channel: call.args.channel, ts: call.args.ts }),
    'chat.postEphemeral': () => slackJson(fixture('chat.postEphemeral')),
    'conversations.info': () => slackJson(fixture('conversations.info')),
    'conversations.history': () => slackJson(fixture('conversations.history')),
    'conversations.open': (call) => {
      const opened = fixture<{ channel: Record<string, unknown> }>('conversations.open');
      const user = String(call.args.users);
      return slackJson({ ...opened, channel: { ...opened.channel, id: `D${user.slice(1)}`, user } });
    },
    'views.open': () => slackJson(fixture('views.open')),
  };
  const server = setupServer(
    http.post(`${apiUrl}:method`, async ({ request, params }) => {
      const method = String(params.method);
      const form = new URLSearchParams(await request.text());
      const call: SlackCall = {
        method,
        args: Object.fromEntries([...form].map(([key, value]) => [key, decode(value)])),
        authorization: request.headers.get('authorization'),
      };
      const index = calls.filter((c) => c.method === method).length;
      calls.push(call);
      const reply = replies.get(method) ?? defaults[method];
      return reply ? reply(call, index) : slackJson({ ok: false, error: 'unknown_method' });
    }),
    http.post(/^https:\/\/hooks\.slack\.com\/(actions|commands)\//, async ({ request }) => {
      await held;
      responses.push((await request.json()) as Record<string, unknown>);
      return new HttpResponse('ok');
    }),
    http.all('http://127.0.0.1:*', () => passthrough()),
  );
  return {
    server,
    listen: () => server.listen({ onUnhandledFrame: 'error' }),
    calls,
    responses,
    callsOf: (method) => calls.filter((c) => c.method === method),
    on: (method, reply) => void replies.set(method, reply),
    holdResponses() {
      let release!: () => void;
      held = new Promise((resolve) => {
        release = resolve;
      });
      return release;
    },
    reset() {
      held = Promise.resolve();
      calls.length = 0;
      responses.length = 0;
      replies.clear();
    },
  };
}

/**
 * A mock Slack for one test file: listening before the first test, reset after each one (closing what was
 * handed to `keep`, such as the test's `TeamState`), closed after the last.
 */
export function useSlackMock(apiUrl = SLACK_API): SlackMock & { keep<T extends { close(): Promise<void> }>(opened: T): T } {
  const mock = createSlackMock(apiUrl);
  const opened: { close(): Promise<void> }[] = [];
  beforeAll(() => mock.listen());
  afterEach(async () => {
    mock.reset();
    for (const item of opened.splice(0)) await item.close();
  });
  afterAll(() => mock.server.close());
  return {
    ...mock,
    keep(item) {
      opened.push(item);
      return item;
    },
  };
}
