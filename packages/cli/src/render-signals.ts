import type { StoredSignal } from '@teamstate/core';
import type { colors } from './runtime.js';
import { renderTable } from './table.js';

/**
 * Signals as an aligned table, most severe first, severities coloured on a terminal. `team`: the list is of that
 * team alone (`signals --team`), so the Team column, the same on every row, is left out and its room goes to the
 * sentence.
 */
export function renderSignals(signals: readonly StoredSignal[], c: ReturnType<typeof colors>, options: { team?: string } = {}): string {
  if (signals.length === 0) return 'No open signals.\n';
  const paint = { critical: c.red, warning: c.yellow, info: c.dim } as const;
  const rows = signals.map((s) => [paint[s.severity](s.severity), s.kind, s.team ?? '', s.title, since(s).slice(0, 16).replace('T', ' ')]);
  if (options.team !== undefined) {
    return `${renderTable(
      ['Severity', 'Kind', 'Signal', 'Since'],
      rows.map(([severity, kind, , title, at]) => [severity!, kind!, title!, at!]),
      // On a narrow terminal, Since goes before the signal's sentence is cut short; the sentence always stays.
      { align: ['left', 'left', 'left', 'left'], styled: [0], drop: [3], keep: [2] },
    )}\n`;
  }
  return `${renderTable(
    ['Severity', 'Kind', 'Team', 'Signal', 'Since'],
    rows,
    // On a narrow terminal, Since and Team go before the signal's sentence is cut short; the sentence always stays.
    { align: ['left', 'left', 'left', 'left', 'left'], styled: [0], drop: [4, 2], keep: [3] },
  )}\n`;
}

/** When the condition began (the evidence's `since`), else when it was first seen. */
function since(signal: StoredSignal): string {
  return typeof signal.evidence.since === 'string' ? signal.evidence.since : signal.firstSeenAt;
}
