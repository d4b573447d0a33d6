import { addDays, localDay, type SignalDetector } from '@teamstate/core';
import { columns, nullable, sql, text } from '@teamstate/core/store';

const DAY = 86_400_000;

/** Risks of the register whose review day has passed while they are still open (docs/hub.md#risk-register). */
export const riskReviewDue: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'risk.review_due',
  title: 'Risk due for review',
  description:
    'A risk that is not closed and whose `reviewBy` day (UTC) has passed (critical for a critical risk, or one overdue by `criticalDays` days or more).',
  defaults: { criticalDays: 14 },
  incremental: { reads: ['risks', 'people'], drivenBy: 'time' },
  async detect(db, ctx) {
    const today = localDay(ctx.now.getTime());
    const due = await db.all(
      columns({
        id: text,
        team: text,
        title: text,
        severity: text,
        status: text,
        review_by: text,
        owner: nullable(text),
        owner_name: nullable(text),
      }),
      sql`SELECT r.id, r.team_id AS team, r.title, r.severity, r.status, r.review_by, r.owner_id AS owner, p.name AS owner_name
       FROM risks r LEFT JOIN people p ON p.workspace = r.workspace AND p.id = r.owner_id
       WHERE r.workspace = ${ctx.workspace} AND r.status <> 'closed' AND r.review_by IS NOT NULL AND r.review_by < ${today}
       ORDER BY r.id`,
    );
    return due.map((r) => {
      const days = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${r.review_by}T00:00:00Z`)) / DAY);
      const critical = r.severity === 'critical' || days >= Number(ctx.settings(r.team).criticalDays);
      return {
        severity: critical ? ('critical' as const) : ('warning' as const),
        subject: { type: 'risk' as const, id: r.id },
        team: r.team,
        title: `Risk "${r.title}" (${r.severity}) was due for review on ${r.review_by}${r.owner_name ? `; owner ${r.owner_name}` : ', and it has no owner'}`,
        evidence: {
          risk: r.id,
          severity: r.severity,
          status: r.status,
          reviewBy: r.review_by,
          daysOverdue: days,
          owner: r.owner,
          // When the condition began: the day after the review day.
          since: `${addDays(r.review_by, 1)}T00:00:00.000Z`,
        },
      };
    });
  },
};
