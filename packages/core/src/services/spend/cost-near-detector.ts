import { columns, real } from '../../kernel/store/row-decoder.js';
import { sql } from '../../kernel/store/sql.js';
import type { SignalDetector } from '../../spec/signal-detector.js';
import { COST_NEAR_SHARE, spendMonthOf } from './spend-ledger.js';

const total = columns({ usd: real });

/**
 * `limits.cost_near`: the month's spend (the spend ledger, months in UTC) has reached 80 % of the policy's
 * `limits.max_monthly_cost_usd` (`warning`; `critical` once it reached the cap and paid calls stopped). About the
 * workspace, one signal a month.
 */
export function costNearDetector(capUsd: number): SignalDetector {
  return {
    specificationVersion: 'v1',
    kind: 'limits.cost_near',
    title: 'Monthly cost cap nearly reached',
    description: `This month's spend on teamstate's own paid calls has reached ${COST_NEAR_SHARE * 100} % of limits.max_monthly_cost_usd ($${capUsd}).`,
    async detect(db, ctx) {
      const month = spendMonthOf(ctx.now);
      const [row] = await db.all(
        total,
        sql`SELECT coalesce(sum(usd), 0) AS usd FROM spend WHERE workspace = ${ctx.workspace} AND month = ${month}`,
      );
      const usd = Math.round((row?.usd ?? 0) * 100) / 100;
      if (usd < capUsd * COST_NEAR_SHARE) return [];
      const reached = usd >= capUsd;
      return [
        {
          key: month,
          severity: reached ? 'critical' : 'warning',
          subject: { type: 'workspace', id: ctx.workspace },
          title: reached
            ? `${month}'s spend ($${usd.toFixed(2)}) reached the $${capUsd} cap: paid calls stopped (cost_cap_reached)`
            : `${month}'s spend ($${usd.toFixed(2)}) is ${Math.floor((usd / capUsd) * 100)} % of the $${capUsd} cap`,
          evidence: { month, usd, capUsd, share: capUsd === 0 ? 1 : Math.round((usd / capUsd) * 1000) / 1000 },
        },
      ];
    },
  };
}
