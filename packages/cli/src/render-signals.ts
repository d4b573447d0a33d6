import type { StoredSignal } from '@teamstate/core';
import type { colors } from './runtime.js';
import { shortIds } from './signal-ids.js';
import { renderTable } from './table.js';

/**
 * Signals as an aligned table, most severe first, severities coloured on a terminal, each with its short id (what
 * `signals ack|snooze` take) and, in front of its sentence, whether it is acknowledged or snoozed (at `now`). `team`:
 * the list is of that team alone (`signals --team`), so the Team column, the same on every row, is left out and its
 * room goes to the sentence.
 */
export function renderSignals(
  signals: readonly StoredSignal[],
  c: ReturnType<typeof colors>,
  options: { team?: string; now?: Date } = {},
): string {
  if (signals.length === 0) return 'No open signals.\n';
  const paint = { critical: c.red, warning: c.yellow, info: c.dim } as const;
  const ids = shortIds(signals.map((s) => s.fingerprint));
  const rows = signals.map((s, n) => [
    ids[n]!,
    paint[s.severity](s.severity),
    s.kind,
    s.team ?? '',
    `${mark(s, options.now)}${s.title}`,
    since(s).slice(0, 16).replace('T', ' '),
  ]);
  if (options.team !== undefined) {
    return `${renderTable(
      ['ID', 'Severity', 'Kind', 'Signal', 'Since'],
      rows.map(([id, severity, kind, , title, at]) => [id!, severity!, kind!, title!, at!]),
      // On a narrow terminal, Since goes before the signal's sentence is cut short; the id and the sentence always stay.
      { styled: [1], drop: [4], keep: [3] },
    )}\n`;
  }
  return `${renderTable(
    ['ID', 'Severity', 'Kind', 'Team', 'Signal', 'Since'],
    rows,
    // On a narrow terminal, Since and Team go before the signal's sentence is cut short; the id and the sentence always stay.
    { styled: [1], drop: [5, 3], keep: [4] },
  )}\n`;
}

/** `[acked by ana] ` or `[snoozed until 2026-03-14 10:00] ` in front of an acknowledged or snoozed signal's sentence. */
function mark(signal: StoredSignal, now: Date | undefined): string {
  if (signal.ack) return `[acked by ${signal.ack.by}] `;
  const until = signal.snoozedUntil;
  if (until !== undefined && (now === undefined || Date.parse(until) > now.getTime()))
    return `[snoozed until ${until.slice(0, 16).replace('T', ' ')}] `;
  return '';
}

/** When the condition began (the evidence's `since`), else when it was first seen. */
function since(signal: StoredSignal): string {
  return typeof signal.evidence.since === 'string' ? signal.evidence.since : signal.firstSeenAt;
}
