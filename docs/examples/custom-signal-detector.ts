/**
 * A custom signal detector: pull requests merged recently without an approval by anyone but their author.
 * docs/extending.md walks through it; docs/examples/examples.test.ts runs it through `ts.signals`.
 *
 * The condition is evaluated in SQL; JavaScript only shapes the few rows found. Each signal is about one
 * pull request (`subject`), so its fingerprint `pr.merged_without_approval:work_item:<id>` is the same on
 * every refresh: refreshing again updates the signal instead of adding a second one, and resolves it
 * once the condition no longer holds (an approval arrives, or the merge leaves the window).
 */
import type { DetectedSignal, SignalContext, SignalDetector, StoreReader } from '@teamstate/core';
import { sql } from '@teamstate/core/store';

const DAY_MS = 86_400_000;

/**
 * `pr.merged_without_approval`: a pull request merged in the last `days` days (default 14) without an
 * approving review by someone other than its author; critical when it changed more than `lines` lines.
 *
 * @example const ts = await createTeamState({ signals: [...builtinSignals, mergedWithoutApproval] })
 */
export const mergedWithoutApproval: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'pr.merged_without_approval',
  title: 'Merged without approval',
  description:
    'A pull request merged in the last `days` days without an approving review by someone other than its author; critical above `lines` changed lines.',
  defaults: { days: 14, lines: 400 },
  async detect(db, ctx) {
    const now = ctx.now.getTime();
    // Thresholds may differ per team (`signals.teams.<team>`): select with the widest window, then
    // apply each team's own setting to the few rows found.
    const since = now - (await widestDays(db, ctx)) * DAY_MS;
    const rows = await db.all<{
      id: string;
      key: string;
      title: string;
      author: string | null;
      merged_at: number;
      lines: number;
      team: string | null;
    }>(
      sql`SELECT w.id, w.key, w.title, w.author_id AS author, w.merged_at AS merged_at,
              coalesce(w.additions, 0) + coalesce(w.deletions, 0) AS lines,
              (SELECT r.team_id FROM repositories r WHERE r.workspace = w.workspace AND r.id = w.repository_id) AS team
       FROM work_items w
       WHERE w.workspace = ${ctx.workspace} AND w.kind = 'pull_request' AND w.merged_at IS NOT NULL AND w.merged_at <= ${now}
         AND NOT EXISTS (SELECT 1 FROM reviews v WHERE v.workspace = w.workspace AND v.work_item_id = w.id
                           AND v.state = 'approved' AND v.reviewer_id IS NOT w.author_id)
         AND w.merged_at > ${since}`,
    );
    return rows.flatMap((row): DetectedSignal[] => {
      const team = row.team ?? undefined;
      const settings = ctx.settings(team);
      const mergedAt = row.merged_at;
      if (now - mergedAt > Number(settings.days) * DAY_MS) return [];
      const lines = row.lines;
      return [
        {
          severity: lines > Number(settings.lines) ? 'critical' : 'warning',
          subject: { type: 'work_item', id: row.id },
          team,
          title: `${row.key} was merged without an approval by anyone but its author`,
          evidence: {
            key: row.key,
            title: row.title,
            author: row.author,
            mergedAt: new Date(mergedAt).toISOString(),
            lines,
          },
        },
      ];
    });
  },
};

/** The widest `days` of the workspace's setting and every team's override: how far back to look at all. */
async function widestDays(db: StoreReader, ctx: SignalContext): Promise<number> {
  const teams = await db.all<{ id: string }>(sql`SELECT id FROM teams WHERE workspace = ${ctx.workspace}`);
  return Math.max(Number(ctx.settings().days), ...teams.map((team) => Number(ctx.settings(team.id).days)));
}
