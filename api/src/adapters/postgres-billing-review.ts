import type pg from 'pg';
import { billingPeriodLockKey, type BillingAction } from '@faultline/shared';
import {
  decideAdjustment,
  decideApproval,
  type ReviewContext,
  type ReviewDecision,
  type ReviewRun,
} from '../core/billing-review.js';
import type { BillingActionOutcome, BillingReview } from '../ports.js';

const ACTION_COLUMNS = `action_no, kind, line_no, line_key, service_id, description,
  amount::text AS amount, currency, reason, actor, created_at`;

const INSERT_ACTION = `
  INSERT INTO billing_actions (run_id, action_no, kind, customer_id, period, line_no, line_key,
    service_id, description, amount_minor, amount, currency, reason, actor, created_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
  RETURNING ${ACTION_COLUMNS}`;

function actionFromRow(row: Readonly<Record<string, unknown>>): BillingAction {
  return {
    actionNo: Number(row.action_no),
    kind: row.kind === 'approval' ? 'approval' : 'adjustment',
    lineNo: row.line_no === null ? null : Number(row.line_no),
    lineKey: String(row.line_key),
    serviceId: String(row.service_id),
    description: String(row.description),
    amount: String(row.amount),
    currency: String(row.currency),
    reason: String(row.reason),
    actor: String(row.actor),
    at: (row.created_at as Date).toISOString(),
  };
}

/**
 * Analysts' actions in `billing_actions` (migration billing_002). Each is decided and written in
 * one transaction under the period's advisory lock, the one billing runs take, so an action never
 * races a re-run of the same period.
 */
export function createPostgresBillingReview(deps: { pool: pg.Pool }): BillingReview {
  const { pool } = deps;

  /**
   * Runs `decide` on the run's state under its period's lock and writes the action it returns.
   */
  async function act(
    runId: string,
    request: { readonly reason: string; readonly actor: string },
    decide: (client: pg.PoolClient, context: ReviewContext) => Promise<ReviewDecision>,
  ): Promise<BillingActionOutcome> {
    const client = await pool.connect();
    let failure: Error | undefined;
    try {
      await client.query('BEGIN');
      const found = await client.query<ReviewRun>(
        `SELECT id, customer_id AS "customerId", period, version, currency
         FROM billing_runs WHERE id = $1`,
        [runId],
      );
      const run = found.rows[0];
      if (run === undefined) {
        await client.query('ROLLBACK');
        return { kind: 'no-run' };
      }
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        billingPeriodLockKey(run.customerId, run.period),
      ]);
      const state = await client.query<{ latest: number; next: number; at: Date }>(
        `SELECT (SELECT max(version) FROM billing_runs WHERE customer_id = $2 AND period = $3) AS latest,
           (SELECT coalesce(max(action_no), 0) + 1 FROM billing_actions WHERE run_id = $1) AS next,
           now() AS at`,
        [runId, run.customerId, run.period],
      );
      const row = state.rows[0];
      if (row === undefined) throw new Error('the run state query returned no row');
      const at = row.at.toISOString();
      const decision = await decide(client, {
        run,
        latestVersion: row.latest,
        actionNo: row.next,
        reason: request.reason,
        actor: request.actor,
        at,
      });
      if (!decision.ok) {
        await client.query('ROLLBACK');
        return { kind: 'refused', message: decision.message };
      }
      const { action } = decision;
      const written = await client.query(INSERT_ACTION, [
        runId,
        row.next,
        action.kind,
        run.customerId,
        run.period,
        action.lineNo,
        action.lineKey,
        action.serviceId,
        action.description,
        action.amountMinor.toString(),
        action.amount,
        run.currency,
        request.reason,
        request.actor,
        row.at,
      ]);
      await client.query('COMMIT');
      return { kind: 'done', action: actionFromRow(written.rows[0] as Record<string, unknown>) };
    } catch (error) {
      failure = new Error('billing action could not be written', { cause: error });
      await client.query('ROLLBACK').catch(() => undefined);
      throw failure;
    } finally {
      client.release(failure);
    }
  }

  return {
    async actions(runId) {
      const exists = await pool.query('SELECT 1 FROM billing_runs WHERE id = $1', [runId]);
      if (exists.rows.length === 0) return undefined;
      const { rows } = await pool.query(
        `SELECT ${ACTION_COLUMNS} FROM billing_actions WHERE run_id = $1 ORDER BY action_no`,
        [runId],
      );
      return rows.map((row) => actionFromRow(row as Record<string, unknown>));
    },

    approve(runId, request) {
      return act(runId, request, async (client, context) => {
        const lines = await client.query<{
          line_key: string;
          service_id: string;
          status: 'billed' | 'held';
          description: string;
          amount_minor: string;
        }>(
          `SELECT line_key, service_id, status, description, amount_minor::text AS amount_minor
           FROM billing_lines WHERE run_id = $1 AND line_no = $2`,
          [runId, request.lineNo],
        );
        const line = lines.rows[0];
        const prior =
          line === undefined
            ? undefined
            : (
                await client.query<{ run_id: string; line_no: number; actor: string; at: Date }>(
                  `SELECT run_id, line_no, actor, created_at AS at FROM billing_actions
                   WHERE customer_id = $1 AND period = $2 AND line_key = $3 AND kind = 'approval'`,
                  [context.run.customerId, context.run.period, line.line_key],
                )
              ).rows[0];
        return decideApproval(
          context,
          request.lineNo,
          line && {
            lineNo: request.lineNo,
            lineKey: line.line_key,
            serviceId: line.service_id,
            status: line.status,
            description: line.description,
            amountMinor: BigInt(line.amount_minor),
          },
          prior && {
            runId: prior.run_id,
            lineNo: prior.line_no,
            actor: prior.actor,
            at: prior.at.toISOString(),
          },
        );
      });
    },

    adjust(runId, request) {
      return act(runId, request, async (client, context) => {
        const services = await client.query<{ service_id: string }>(
          `SELECT DISTINCT l.service_id FROM billing_lines l JOIN billing_runs r ON r.id = l.run_id
           WHERE r.customer_id = $1 AND r.period = $2`,
          [context.run.customerId, context.run.period],
        );
        return decideAdjustment(
          context,
          request,
          new Set(services.rows.map((row) => row.service_id)),
        );
      });
    },
  };
}
