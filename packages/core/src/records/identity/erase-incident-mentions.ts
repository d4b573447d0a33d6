import type { Transaction } from '../../kernel/store/driver.js';
import { columns, nullable, text } from '../../kernel/store/row-decoder.js';

// An erased person leaves an incident's responders and timeline: PagerDuty names them there by their user's name (or
// its id), a bundle by their person id. Each mention becomes their pseudonym, so the incident keeps how many responded
// and when, and no longer who.

const incidentRow = columns({ id: text, responders: nullable(text), timeline: nullable(text) });
type Event = { at: number; kind: string; actor?: string; text?: string };

/**
 * `value` with every case-insensitive occurrence of the words in `words` (as whole words: "ana" in "banana" is not
 * one) replaced by `pseudonym`, the longest first ("Ana Garcia" before "ana").
 */
function scrubText(value: string, words: readonly string[], pseudonym: string): string {
  let out = value;
  for (const word of [...words].sort((x, y) => y.length - x.length)) {
    const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'giu'), pseudonym);
  }
  return out;
}

/**
 * Replaces an erased person in every incident's `responders` and timeline (`actor`, and their name, email or id in an
 * entry's text) with `pseudonym`. `names` are the strings that named them: their id, name, email, accounts' ids and
 * logins. Returns how many incidents changed.
 */
export async function eraseFromIncidents(tx: Transaction, workspace: string, names: readonly string[], pseudonym: string): Promise<number> {
  const needles = [...new Set(names.filter((n) => n.length > 0).map((n) => n.toLowerCase()))];
  if (needles.length === 0) return 0;
  const { rows } = await tx.execute({
    sql: `SELECT id, responders, timeline FROM incidents WHERE workspace = ? AND (responders IS NOT NULL OR timeline IS NOT NULL)
          AND EXISTS (SELECT 1 FROM json_each(?) n WHERE instr(lower(coalesce(responders, '')), n.value) > 0
            OR instr(lower(coalesce(timeline, '')), n.value) > 0)`,
    args: [workspace, JSON.stringify(needles)],
  });
  const named = new Set(needles);
  const isThem = (value: string) => named.has(value.toLowerCase());
  // Free text is scrubbed of what names them as words (id, name, email), never of short account ids that may be anything.
  const words = names.filter((n) => n.length >= 3);
  let changed = 0;
  for (const row of incidentRow.all(rows)) {
    const responders = row.responders === null ? null : (JSON.parse(row.responders) as string[]);
    const timeline = row.timeline === null ? null : (JSON.parse(row.timeline) as Event[]);
    const nextResponders = responders === null ? null : [...new Set(responders.map((r) => (isThem(r) ? pseudonym : r)))];
    const nextTimeline =
      timeline === null
        ? null
        : timeline.map((event) => ({
            ...event,
            ...(event.actor !== undefined && isThem(event.actor) ? { actor: pseudonym } : {}),
            ...(event.text === undefined ? {} : { text: scrubText(event.text, words, pseudonym) }),
          }));
    const responderText = nextResponders === null ? null : JSON.stringify(nextResponders);
    const timelineText = nextTimeline === null ? null : JSON.stringify(nextTimeline);
    if (responderText === row.responders && timelineText === row.timeline) continue;
    await tx.execute({
      sql: 'UPDATE incidents SET responders = ?, timeline = ? WHERE workspace = ? AND id = ?',
      args: [responderText, timelineText, workspace, row.id],
    });
    changed++;
  }
  return changed;
}
