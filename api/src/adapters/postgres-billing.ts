import type pg from 'pg';
import {
  billingLineFromRow,
  billingRunFromRow,
  formatMinor,
  type BillingReviewSummary,
  SELECT_BILLING_LINES,
  SELECT_BILLING_RUN,
} from '@faultline/shared';
import type { BillingRunDetailLine, BillingRunReader, BillingRunSummary } from '../ports.js';

/** The columns of `SELECT_BILLING_RUN` plus what a list shows. */
const RUN_COLUMNS = `id, customer_id, period, period_start, period_end, version, currency,
  content_hash, total_billed::text AS total_billed, total_held::text AS total_held, created_at,
  line_count, held_count, requested_by,
  (SELECT coalesce(sum(l.amount_minor), 0)::text FROM billing_lines_reviewed l
   WHERE l.run_id = billing_runs_reviewed.id AND l.status = 'billed'
     AND l.line_key LIKE '%/credit/%') AS total_credits_minor`;

function summaryFromRow(row: Readonly<Record<string, unknown>>): BillingRunSummary {
  const run = billingRunFromRow(row);
  return {
    ...run,
    lineCount: Number(row.line_count),
    heldCount: Number(row.held_count),
    requestedBy: String(row.requested_by),
    totalCredits: formatMinor(BigInt(String(row.total_credits_minor)), run.currency),
  };
}

/**
 * Reads billing runs with the shared row mappers, through the views that add the analysts'
 * approvals and adjustments (migration `billing_002`) to the lines and totals. The `billing_runs`
 * table belongs to the billing bridge (migration `billing_001`); until it has run, the list
 * answers undefined.
 */
export function createPostgresBillingRunReader(deps: { pool: pg.Pool }): BillingRunReader {
  const { pool } = deps;
  const tableExists = async (): Promise<boolean> => {
    const exists = await pool.query<{ found: string | null }>(
      "SELECT to_regclass('billing_runs')::text AS found",
    );
    return exists.rows[0]?.found != null;
  };
  /**
   * The analysts' part of a run's reconciliation: what the bridge computed, what approvals
   * released and adjustments added, and the totals after them (exact, from minor units).
   */
  const reviewOf = async (runId: string, currency: string): Promise<BillingReviewSummary> => {
    const { rows } = await pool.query<Record<string, string>>(
      `SELECT r.total_billed_minor::text AS computed_billed,
         coalesce(sum(a.amount_minor) FILTER (WHERE a.kind = 'approval'), 0)::text AS released,
         coalesce(sum(a.amount_minor) FILTER (WHERE a.kind = 'adjustment'), 0)::text AS adjusted,
         count(a.*) FILTER (WHERE a.kind = 'approval')::text AS approvals,
         count(a.*) FILTER (WHERE a.kind = 'adjustment')::text AS adjustments
       FROM billing_runs r LEFT JOIN billing_actions a ON a.run_id = r.id
       WHERE r.id = $1 GROUP BY r.id`,
      [runId],
    );
    const sums = rows[0] ?? {};
    const minor = (key: string): bigint => BigInt(sums[key] ?? '0');
    return {
      computedBilled: formatMinor(minor('computed_billed'), currency),
      released: formatMinor(minor('released'), currency),
      adjusted: formatMinor(minor('adjusted'), currency),
      billed: formatMinor(
        minor('computed_billed') + minor('released') + minor('adjusted'),
        currency,
      ),
      approvals: Number(sums.approvals ?? 0),
      adjustments: Number(sums.adjustments ?? 0),
    };
  };
  return {
    async list(filter) {
      if (!(await tableExists())) return undefined;
      const result = await pool.query(
        `SELECT ${RUN_COLUMNS} FROM billing_runs_reviewed
         WHERE ($1::text IS NULL OR period = $1) AND ($2::text IS NULL OR customer_id = $2)
         ORDER BY created_at DESC, id DESC LIMIT $3`,
        [filter.period ?? null, filter.customerId ?? null, filter.limit],
      );
      return result.rows.map((row) => summaryFromRow(row as Record<string, unknown>));
    },
    async get(runId) {
      if (!(await tableExists())) return undefined;
      const run = await pool.query(
        `SELECT ${RUN_COLUMNS}, reconciliation FROM billing_runs_reviewed WHERE id = $1`,
        [runId],
      );
      const row = run.rows[0] as Record<string, unknown> | undefined;
      if (row === undefined) return undefined;
      const lines = await pool.query(SELECT_BILLING_LINES, [runId]);
      const extras = await pool.query<{ line_no: unknown; evidence: unknown; coverage: unknown }>(
        'SELECT line_no, evidence, coverage FROM billing_lines_reviewed WHERE run_id = $1',
        [runId],
      );
      const byLine = new Map(extras.rows.map((extra) => [Number(extra.line_no), extra]));
      const detailed: BillingRunDetailLine[] = lines.rows.map((line) => {
        const exported = billingLineFromRow(line as Record<string, unknown>);
        const extra = byLine.get(exported.lineNo);
        return {
          ...exported,
          evidence: extra?.evidence ?? null,
          coverage: extra?.coverage ?? null,
        };
      });
      return {
        run: summaryFromRow(row),
        lines: detailed,
        reconciliation: {
          ...(row.reconciliation as object),
          review: await reviewOf(runId, String(row.currency)),
        },
      };
    },
    async exportOf(runId) {
      if (!(await tableExists())) return undefined;
      const run = await pool.query(SELECT_BILLING_RUN, [runId]);
      const row = run.rows[0] as Record<string, unknown> | undefined;
      if (row === undefined) return undefined;
      const lines = await pool.query(SELECT_BILLING_LINES, [runId]);
      return {
        run: billingRunFromRow(row),
        lines: lines.rows.map((line) => billingLineFromRow(line as Record<string, unknown>)),
      };
    },
  };
}
