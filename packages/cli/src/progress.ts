import type { SyncProgress } from '@teamstate/core';
import type { Io } from './runtime.js';
import { colors } from './runtime.js';

interface Line {
  phase?: string;
  items: number;
  pages: number;
  total?: number;
  waitingUntil?: number;
  waitReason?: string;
  started: number;
  done?: string;
}

const seconds = (ms: number) =>
  ms >= 60_000 ? `${Math.floor(ms / 60_000)}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s` : `${Math.ceil(ms / 1000)}s`;

/**
 * Shows sync progress on stderr: one redrawn line per connector on a terminal (items, pages,
 * rate-limit waits, ETA), plain log lines otherwise (phase changes and waits only).
 */
export async function createProgressDisplay(io: Io, now: () => number = () => performance.now()) {
  const c = colors(io);
  const lines = new Map<string, Line>();
  // Redraw only on a terminal whose size is known; a 0-row pseudo-terminal gets plain lines. log-update is
  // loaded only then: every other command (the MCP server above all) starts without it.
  const update = io.isTTY && (process.stderr.rows ?? 0) > 0 ? (await import('log-update')).createLogUpdate(process.stderr) : undefined;
  const render = () => {
    if (!update) return;
    const t = now();
    update(
      [...lines.entries()]
        .map(([connector, l]) => {
          const parts = [`${l.items.toLocaleString('en-US')} items`];
          if (l.pages) parts.push(`${l.pages} pages`);
          if (l.waitingUntil && l.waitingUntil > t)
            parts.push(c.yellow(`waiting ${seconds(l.waitingUntil - t)} (${l.waitReason ?? 'rate limit'})`));
          else if (l.total && l.items > 0 && l.items < l.total)
            parts.push(`ETA ${seconds(((t - l.started) / l.items) * (l.total - l.items))}`);
          const status = l.done ?? c.cyan(l.phase ?? 'starting');
          return `${c.bold(connector.padEnd(8))} ${status.padEnd(28)} ${c.dim(parts.join(' · '))}`;
        })
        .join('\n'),
    );
  };
  return {
    onProgress(p: SyncProgress) {
      const line = lines.get(p.connector) ?? { items: 0, pages: 0, started: now() };
      lines.set(p.connector, line);
      const phaseChanged = p.phase !== undefined && p.phase !== line.phase;
      if (p.phase !== undefined) line.phase = p.phase;
      if (p.items !== undefined) line.items = p.items;
      if (p.pages !== undefined) line.pages = p.pages;
      if (p.total !== undefined) line.total = p.total;
      if (p.waitingMs) {
        line.waitingUntil = now() + p.waitingMs;
        line.waitReason = p.message;
      }
      if (update) render();
      else if (p.waitingMs) io.stderr(`${p.connector}: waiting ${seconds(p.waitingMs)} (${p.message ?? 'rate limit'})\n`);
      else if (phaseChanged) io.stderr(`${p.connector}: ${p.phase}${line.items ? ` (${line.items} records so far)` : ''}\n`);
    },
    finish(results: { connector: string; status: string; records: number }[]) {
      if (!update) return;
      for (const r of results) {
        const line = lines.get(r.connector) ?? { items: r.records, pages: 0, started: now() };
        line.items = r.records;
        line.waitingUntil = undefined;
        line.done = r.status === 'succeeded' ? c.green('done') : r.status === 'aborted' ? c.yellow('stopped') : c.red('failed');
        lines.set(r.connector, line);
      }
      render();
      update.done();
    },
  };
}
