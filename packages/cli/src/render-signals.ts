import type { StoredSignal } from '@teamstate/core';
import type { colors } from './runtime.js';
import { renderTable } from './table.js';

/** Signals as an aligned table, most severe first, severities coloured on a terminal. */
export function renderSignals(signals: readonly StoredSignal[], c: ReturnType<typeof colors>): string {
  if (signals.length === 0) return 'No open signals.\n';
  const paint = { critical: c.red, warning: c.yellow, info: c.dim } as const;
  return `${renderTable(
    ['Severity', 'Kind', 'Team', 'Signal', 'Since'],
    signals.map((s) => [paint[s.severity](s.severity), s.kind, s.team ?? '', s.title, since(s).slice(0, 16).replace('T', ' ')]),
    // On a narrow terminal, Since and Team go before the signal's sentence is cut short; the sentence always stays.
    { align: ['left', 'left', 'left', 'left', 'left'], styled: [0], drop: [4, 2], keep: [3] },
  )}\n`;
}

/** When the condition began (the evidence's `since`), else when it was first seen. */
function since(signal: StoredSignal): string {
  return typeof signal.evidence.since === 'string' ? signal.evidence.since : signal.firstSeenAt;
}
