import type pg from 'pg';
import type { BillingRunSummary, BillingRunReader } from '../ports.js';

/** The first of `names` the row has, as text, or null: the billing tables are still being built. */
function field(row: Record<string, unknown>, ...names: string[]): string | null {
  for (const name of names) {
    const value = row[name];
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  }
  return null;
}

/**
 * Lists billing runs for the placeholder billing page. The `billing_runs` table belongs to the
 * billing bridge and may not exist yet (or change shape), so the reader checks for it and picks
 * the few fields it shows by name instead of binding to its columns.
 */
export function createPostgresBillingRunReader(deps: { pool: pg.Pool }): BillingRunReader {
  return {
    async list(limit) {
      const exists = await deps.pool.query<{ found: string | null }>(
        "SELECT to_regclass('billing_runs')::text AS found",
      );
      if (exists.rows[0]?.found == null) return undefined;
      const result = await deps.pool.query<{ run: Record<string, unknown> }>(
        'SELECT to_jsonb(r) AS run FROM billing_runs AS r LIMIT $1',
        [limit],
      );
      const runs: BillingRunSummary[] = result.rows.map(({ run }) => ({
        id: field(run, 'id') ?? '?',
        customerId: field(run, 'customer_id', 'customer'),
        periodStart: field(run, 'period_start', 'start', 'from'),
        periodEnd: field(run, 'period_end', 'end', 'to'),
        state: field(run, 'state', 'status'),
      }));
      return runs;
    },
  };
}
