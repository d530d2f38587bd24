import type pg from 'pg';
import type { BudgetWarning } from '../core/index.js';
import type { BudgetWarningLog } from '../ports.js';

/** The budget warnings sent, in `budget_warnings` (migration billing_005_status_links). */
export function createBudgetWarningLog(pool: pg.Pool): BudgetWarningLog {
  const key = (warning: BudgetWarning, channel: string) => [
    warning.customerId,
    warning.serviceId,
    warning.period,
    warning.tierBelowPercent,
    channel,
  ];
  return {
    async claim(warning, channel) {
      // The primary key makes the claim once-only, however many bridges compute the same view.
      const result = await pool.query(
        `INSERT INTO budget_warnings
           (customer_id, service_id, period, tier_below_percent, channel, used_percent)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING 1`,
        [...key(warning, channel), warning.usedPercent],
      );
      return result.rowCount === 1;
    },
    async release(warning, channel) {
      await pool.query(
        `DELETE FROM budget_warnings WHERE customer_id = $1 AND service_id = $2 AND period = $3
           AND tier_below_percent = $4 AND channel = $5`,
        key(warning, channel),
      );
    },
  };
}
