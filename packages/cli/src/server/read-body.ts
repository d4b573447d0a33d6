import type { IncomingMessage } from 'node:http';

/** Largest request body accepted (webhook payloads are far smaller). */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** Why a body was not read whole. */
export type BodyRefusal = 'too_large' | 'timeout' | 'too_slow' | 'server_full' | 'peer_full';

/**
 * The bytes of request bodies the server holds while it reads them, counted as they arrive (a declared
 * `Content-Length` reserves nothing). Unauthenticated bodies (webhooks, whose signature is checked only once the
 * body is read) share the budget less `reserve`, and one remote address holds at most `perPeer` of them; an
 * authenticated body (`/mcp` with a valid bearer token) may use the whole budget, so the reserve is always its.
 */
export interface BodyBudget {
  /** Takes `bytes` for a body from `peer`; `server_full` or `peer_full` when they do not fit (nothing is taken). */
  take(peer: string, authenticated: boolean, bytes: number): 'ok' | 'server_full' | 'peer_full';
  /** Gives back bytes taken for a body from `peer`. */
  give(peer: string, authenticated: boolean, bytes: number): void;
}

export function createBodyBudget(limits: { total: number; reserve: number; perPeer: number }): BodyBudget {
  let held = 0;
  let unauthenticated = 0;
  const byPeer = new Map<string, number>();
  return {
    take(peer, authenticated, bytes) {
      if (held + bytes > limits.total) return 'server_full';
      if (!authenticated) {
        if (unauthenticated + bytes > limits.total - limits.reserve) return 'server_full';
        const mine = byPeer.get(peer) ?? 0;
        if (mine + bytes > limits.perPeer) return 'peer_full';
        byPeer.set(peer, mine + bytes);
        unauthenticated += bytes;
      }
      held += bytes;
      return 'ok';
    },
    give(peer, authenticated, bytes) {
      held -= bytes;
      if (authenticated) return;
      unauthenticated -= bytes;
      const left = (byPeer.get(peer) ?? 0) - bytes;
      if (left > 0) byPeer.set(peer, left);
      else byPeer.delete(peer);
    },
  };
}

/** How a body is read: against which budget, as whom, and how fast it must arrive. */
export interface ReadBodyOptions {
  budget: BodyBudget;
  peer: string;
  authenticated: boolean;
  /** The whole body must have arrived by then. */
  timeoutMs: number;
  /** From the headers, how long a body may arrive at any pace before the minimum rate applies. */
  graceMs: number;
  /** After the grace, the body must have kept arriving at least this fast on average. */
  minBytesPerSecond: number;
}

/**
 * The whole body, its bytes taken from the budget as they arrive and given back once it is read (or refused):
 * `too_large` past {@link MAX_BODY_BYTES}, `timeout` when it has not all arrived in `timeoutMs`, `too_slow` when
 * fewer bytes arrived than `minBytesPerSecond` for the time since the grace, `server_full` / `peer_full` when the
 * next bytes do not fit the budget.
 */
export function readBody(request: IncomingMessage, options: ReadBodyOptions): Promise<Buffer | BodyRefusal> {
  const { budget, peer, authenticated } = options;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // The rate deadline, kept with timers alone: it starts at the grace, and each byte received pushes it later by
    // 1/minBytesPerSecond s. When its timer fires, the time earned since it was set is waited for; none earned is too slow.
    let earnedMs = 0;
    let rateTimer: NodeJS.Timeout | undefined;
    let finished = false;
    const finish = (result: Buffer | BodyRefusal | Error) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      clearTimeout(rateTimer);
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      budget.give(peer, authenticated, size);
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const timer = setTimeout(() => finish('timeout'), options.timeoutMs);
    const checkRate = () => {
      // Data already received by the socket is handled before the verdict (it comes in the poll phase, before setImmediate).
      setImmediate(() => {
        if (finished || request.complete) return;
        if (earnedMs < 1) return finish('too_slow');
        rateTimer = setTimeout(checkRate, earnedMs);
        earnedMs = 0;
      });
    };
    rateTimer = setTimeout(checkRate, options.graceMs);
    const onData = (chunk: Buffer) => {
      if (size + chunk.length > MAX_BODY_BYTES) return finish('too_large');
      const taken = budget.take(peer, authenticated, chunk.length);
      if (taken !== 'ok') return finish(taken);
      size += chunk.length;
      earnedMs += (chunk.length * 1000) / options.minBytesPerSecond;
      chunks.push(chunk);
    };
    const onEnd = () => finish(Buffer.concat(chunks));
    const onError = (error: Error) => finish(error);
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('error', onError);
  });
}
