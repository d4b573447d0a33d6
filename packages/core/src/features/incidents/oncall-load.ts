import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, nullable, text } from '../../kernel/store/row-decoder.js';

const shiftRows = columns({ person: text, start_at: integer, end_at: nullable(integer) });
const pageRows = columns({ person: text, at: integer, time_zone: nullable(text) });

/** A shift as on-call load reads it: whose, and its bounds (`end` null: without end). */
export interface OncallShiftSpan {
  person: string;
  start: number;
  end: number | null;
}

/** A page: an incident opened while `person` was the first-level on-call of its service, with their time zone. */
export interface OncallPage {
  person: string;
  at: number;
  timeZone: string | null;
}

/**
 * The shifts overlapping [from, to) and the pages in it (each incident opened on a service while a person is its
 * first-level on-call, once per person and incident), of the members of `team` when given. From any on-call tool
 * whose shifts and incidents arrive as records (PagerDuty, Opsgenie).
 */
export async function oncallLoad(
  store: Pick<Store, 'execute'>,
  workspace: string,
  window: { from: number; to: number; team?: string },
): Promise<{ shifts: OncallShiftSpan[]; pages: OncallPage[] }> {
  const args = [workspace, window.from, window.to, window.team ?? null];
  const members = 'o.person_id IN (SELECT person_id FROM memberships WHERE workspace = ?1 AND team_id = ?4)';
  const shifts = shiftRows.all(
    (
      await store.execute(
        `SELECT o.person_id AS person, o.start_at, o.end_at FROM oncalls o
         WHERE o.workspace = ?1 AND o.start_at < ?3 AND (o.end_at IS NULL OR o.end_at > ?2) AND (?4 IS NULL OR ${members})`,
        args,
      )
    ).rows,
  );
  const pages = pageRows.all(
    (
      await store.execute(
        `SELECT DISTINCT o.person_id AS person, i.id, i.created_at AS at, p.time_zone FROM incidents i
         JOIN oncalls o ON o.workspace = i.workspace AND o.service = i.service AND o.level = 1
           AND o.start_at <= i.created_at AND (o.end_at IS NULL OR o.end_at > i.created_at)
         JOIN people p ON p.workspace = o.workspace AND p.id = o.person_id
         WHERE i.workspace = ?1 AND i.service IS NOT NULL AND i.created_at >= ?2 AND i.created_at < ?3 AND (?4 IS NULL OR ${members})`,
        args,
      )
    ).rows,
  );
  return {
    shifts: shifts.map((s) => ({ person: s.person, start: s.start_at, end: s.end_at })),
    pages: pages.map((p) => ({ person: p.person, at: p.at, timeZone: p.time_zone })),
  };
}
