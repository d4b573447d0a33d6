import { randomUUID } from 'node:crypto';
import type { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import type { McpServer } from '@modelcontextprotocol/server';
import type { Admitted } from './http-callers.js';

/** The SDK's Node adapter, loaded with the first HTTP request: a stdio server never loads it (nor its HTTP server). */
let nodeAdapter: Promise<typeof import('@modelcontextprotocol/node')> | undefined;
export const loadNodeAdapter = () => (nodeAdapter ??= import('@modelcontextprotocol/node'));

export interface Session {
  transport: NodeStreamableHTTPServerTransport;
  server: McpServer;
  lastUsed: number;
  /** Who opened it: requests on the session must authenticate as the same caller. */
  caller: string;
}

/** The open sessions of clients before 2026-07-28, by session id, at most `maxSessions` of them. */
export interface SessionPool {
  sessions: Map<string, Session>;
  maxSessions: number;
  serverFor(caller: Admitted): McpServer;
}

/** Evicts once a new session exists, so a request that never initializes cannot push a live session out. */
async function evictBeyondLimit(pool: SessionPool): Promise<void> {
  const { sessions } = pool;
  const byAge = [...sessions.entries()].sort(([, a], [, b]) => a.lastUsed - b.lastUsed);
  for (const [id, session] of byAge.slice(0, Math.max(0, sessions.size - pool.maxSessions))) {
    sessions.delete(id);
    await session.server.close();
  }
}

/** A new session for `caller`: a server of its own over a transport, kept in the pool once it initializes. */
export async function openSession(pool: SessionPool, caller: Admitted): Promise<Session> {
  const { sessions } = pool;
  const server = pool.serverFor(caller);
  // The callbacks run once the initialize request is handled, after `session` exists.
  const { NodeStreamableHTTPServerTransport } = await loadNodeAdapter();
  const transport = new NodeStreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: async (id) => {
      sessions.set(id, session);
      await evictBeyondLimit(pool);
    },
    onsessionclosed: (id) => {
      sessions.delete(id);
    },
  });
  const session: Session = { server, transport, lastUsed: Date.now(), caller: caller.key };
  transport.onclose = () => {
    if (transport.sessionId) sessions.delete(transport.sessionId);
  };
  await server.connect(transport);
  return session;
}
