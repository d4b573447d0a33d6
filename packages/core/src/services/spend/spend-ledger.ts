import { randomBytes } from 'node:crypto';
import { TeamStateError } from '../../kernel/errors.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, real } from '../../kernel/store/row-decoder.js';

/** The month's spend, as `teamstate status --json` shows it: `{ month, usd, capUsd }` (`capUsd` null without a cap). */
export interface SpendMonth {
  /** `YYYY-MM`, the month of the injected clock's now in UTC. */
  month: string;
  /** What teamstate's own paid calls cost this month, US dollars. */
  usd: number;
  /** The policy's `limits.max_monthly_cost_usd`, or null when it sets none. */
  capUsd: number | null;
}

/** One paid call, as the ledger records it. */
export interface SpendEntry {
  kind: 'embedding' | 'action';
  /** The embedder's id or the action type. */
  source: string;
  usd: number;
  /** Tokens of an embedding call. */
  units?: number;
  approvalId?: string;
}

/** The spend ledger of one workspace (`ts.spend`). */
export interface SpendLedger {
  /** The month's spend and cap. @example const { month, usd, capUsd } = await ts.spend.month() */
  month(): Promise<SpendMonth>;
  /** True when a cap is set and the month's spend has reached it. */
  capReached(): Promise<boolean>;
  /** Throws `cost_cap_reached` (naming `what`, the spend and the cap) when the month's spend has reached the cap. */
  checkCap(what: string): Promise<void>;
  /**
   * Records a paid call at the clock's now; an action's cost once per approval (`approvalId`), however many times a
   * run is settled (a run recovered after a crash may have recorded it before the crash).
   */
  record(entry: SpendEntry): Promise<void>;
}

/** The share of the cap at which the `limits.cost_near` signal opens. */
export const COST_NEAR_SHARE = 0.8;

const total = columns({ usd: real });

/** `YYYY-MM` of a moment, in UTC: the month spend is counted in. */
export const spendMonthOf = (at: Date): string => at.toISOString().slice(0, 7);

/** The month's total for `workspace`: one indexed sum. */
export async function monthSpend(execute: Store['execute'], workspace: string, month: string): Promise<number> {
  const { rows } = await execute('SELECT coalesce(sum(usd), 0) AS usd FROM spend WHERE workspace = ? AND month = ?', [workspace, month]);
  return Math.round((total.first(rows)?.usd ?? 0) * 1e6) / 1e6;
}

/**
 * The spend ledger over a store: months by the injected clock in UTC, the cap from the policy's
 * `limits.max_monthly_cost_usd` (none: paid calls are metered, never stopped).
 */
export function createSpendLedger(deps: { store: Store; workspace: string; clock: () => Date; capUsd?: number }): SpendLedger {
  const { store, workspace, clock } = deps;
  const capUsd = deps.capUsd ?? null;
  const month = async (): Promise<SpendMonth> => {
    const current = spendMonthOf(clock());
    return { month: current, usd: await monthSpend((sql, args) => store.execute(sql, args), workspace, current), capUsd };
  };
  const ledger: SpendLedger = {
    month,
    async capReached() {
      if (capUsd === null) return false;
      return (await month()).usd >= capUsd;
    },
    async checkCap(what) {
      if (capUsd === null) return;
      const now = await month();
      if (now.usd >= capUsd)
        throw new TeamStateError(
          'cost_cap_reached',
          `${what}: cost_cap_reached: ${now.month}'s spend ($${now.usd.toFixed(2)}) reached the policy's limits.max_monthly_cost_usd ($${capUsd}); paid calls resume next month, or raise the cap`,
        );
    },
    async record(entry) {
      if (!(entry.usd > 0)) return;
      const at = clock();
      await store.write((tx) =>
        tx.execute({
          sql: `INSERT INTO spend (workspace, id, month, at, kind, source, units, usd, approval_id)
            SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9
            WHERE ?9 IS NULL OR NOT EXISTS (SELECT 1 FROM spend WHERE workspace = ?1 AND approval_id = ?9 AND kind = ?5)`,
          args: [
            workspace,
            `spd_${randomBytes(8).toString('hex')}`,
            spendMonthOf(at),
            at.getTime(),
            entry.kind,
            entry.source,
            entry.units ?? null,
            entry.usd,
            entry.approvalId ?? null,
          ],
        }),
      );
    },
  };
  return ledger;
}
