/**
 * Billing runs and lines in PostgreSQL (tables of migration billing_001), and the outages the
 * correlator records (migration 002).
 */
import type pg from 'pg';
import {
  billingLineFromRow,
  billingPeriodLockKey,
  billingRunFromRow,
  formatMinor,
  formatPriceMinor,
  SELECT_BILLING_LINES,
  SELECT_BILLING_RUN,
} from '@faultline/shared';
import {
  linesHash,
  parseExact,
  type BillLine,
  type PreviousRuns,
  type PreviousUsage,
  type Reconciliation,
} from '../core/index.js';
import type { BillingStore } from '../ports.js';

/**
 * The outages the network saw, then the approved claims (migration billing_004), rated alike; a
 * claim's ticket is its reference.
 */
const OUTAGES = `
  SELECT * FROM (
    SELECT id::text AS id, service_id, ticket_id, incident_id, NULL::text AS claim_id,
      started_at, ended_at, in_maintenance
    FROM outages
    WHERE customer_id = $1 AND started_at < $3 AND (ended_at IS NULL OR ended_at > $2)
    UNION ALL
    SELECT 'claim-' || id, service_id, reference, NULL, id::text, started_at, ended_at, false
    FROM outage_claims
    WHERE customer_id = $1 AND approved_at IS NOT NULL AND started_at < $3 AND ended_at > $2
  ) found
  ORDER BY claim_id IS NOT NULL, id`;

const LATEST_RUN = `
  SELECT id, version, target_hash, reconciliation FROM billing_runs
  WHERE customer_id = $1 AND period = $2 ORDER BY version DESC LIMIT 1`;

/** Billed so far by key: billed lines, and held lines an analyst released (migration billing_002). */
const BILLED_BY_KEY = `
  SELECT line_key, sum(billed)::text AS billed FROM (
    SELECT l.line_key, l.amount_minor AS billed
    FROM billing_lines l JOIN billing_runs r ON r.id = l.run_id
    WHERE r.customer_id = $1 AND r.period = $2 AND l.status = 'billed'
    UNION ALL
    SELECT line_key, amount_minor FROM billing_actions
    WHERE customer_id = $1 AND period = $2 AND kind = 'approval'
  ) billed GROUP BY line_key`;

const RELEASED_KEYS = `
  SELECT line_key FROM billing_actions WHERE customer_id = $1 AND period = $2 AND kind = 'approval'`;

const INSERT_RUN = `
  INSERT INTO billing_runs (id, customer_id, period, period_start, period_end, version, currency,
    content_hash, target_hash, total_billed_minor, total_billed, total_held, line_count,
    held_count, requested_by, reconciliation, created_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16::jsonb, $17)`;

const INSERT_LINE = `
  INSERT INTO billing_lines (run_id, line_no, line_key, customer_id, service_id, kind, status,
    description, quantity, unit_price_minor, unit_price, period_fraction, amount_minor, amount,
    currency, evidence, coverage)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16::jsonb, $17::jsonb)`;

function bigintJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'bigint' ? item.toString() : item,
  );
}

/** The unit price of a stored line in major units ("4.50", "0.0125"). */
function unitPrice(line: BillLine): string {
  const minor = parseExact(line.unitPriceMinor);
  if (minor === null) throw new Error(`unreadable unit price ${line.unitPriceMinor}`);
  return formatPriceMinor(minor, line.currency);
}

/** Creates the store on a pool. */
export function createBillingStore(deps: { pool: pg.Pool; now: () => number }): BillingStore {
  const { pool } = deps;

  async function readRun(runId: string, client: pg.ClientBase | pg.Pool = pool) {
    const runs = await client.query(SELECT_BILLING_RUN, [runId]);
    const row = runs.rows[0] as Record<string, unknown> | undefined;
    if (row === undefined) return null;
    const lines = await client.query(SELECT_BILLING_LINES, [runId]);
    return {
      run: billingRunFromRow(row),
      lines: lines.rows.map((line) => billingLineFromRow(line as Record<string, unknown>)),
      created: false,
    };
  }

  return {
    async readOutages(customerId, fromMs, toMs) {
      const { rows } = await pool.query(OUTAGES, [customerId, new Date(fromMs), new Date(toMs)]);
      return rows.map((row: Record<string, unknown>) => ({
        id: String(row.id),
        serviceId: String(row.service_id),
        ticketId: String(row.ticket_id),
        incidentId: typeof row.incident_id === 'string' ? row.incident_id : null,
        claimId: typeof row.claim_id === 'string' ? row.claim_id : null,
        startMs: (row.started_at as Date).getTime(),
        endMs: row.ended_at === null ? null : (row.ended_at as Date).getTime(),
        inMaintenance: row.in_maintenance === true,
      }));
    },

    async readUsage(customerId, period) {
      const { rows } = await pool.query(LATEST_RUN, [customerId, period]);
      const usage = new Map<string, PreviousUsage>();
      const latest = rows[0] as { id: string; reconciliation: Reconciliation } | undefined;
      if (latest === undefined) return usage;
      for (const service of latest.reconciliation.usage) {
        usage.set(service.serviceId, {
          runId: latest.id,
          period,
          inOctets: service.inOctets,
          outOctets: service.outOctets,
        });
      }
      return usage;
    },

    async commitRun(scope, requestedBy, decide) {
      const client = await pool.connect();
      let failure: Error | undefined;
      try {
        await client.query('BEGIN');
        // One writer per customer and period: concurrent runs see each other's result.
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
          billingPeriodLockKey(scope.customerId, scope.period),
        ]);
        const latest = (await client.query(LATEST_RUN, [scope.customerId, scope.period]))
          .rows[0] as { id: string; version: number; target_hash: string } | undefined;
        let previous: PreviousRuns | null = null;
        if (latest !== undefined) {
          const billed = await client.query(BILLED_BY_KEY, [scope.customerId, scope.period]);
          const released = await client.query<{ line_key: string }>(RELEASED_KEYS, [
            scope.customerId,
            scope.period,
          ]);
          previous = {
            releasedKeys: new Set(released.rows.map((row) => row.line_key)),
            latestTargetHash: latest.target_hash,
            billedByKey: new Map(
              billed.rows.map((row: Record<string, unknown>) => [
                String(row.line_key),
                BigInt(String(row.billed)),
              ]),
            ),
          };
        }
        const { plan, reconciliation } = decide(previous);
        if (plan.kind === 'unchanged' && latest !== undefined) {
          const stored = await readRun(latest.id, client);
          await client.query('COMMIT');
          if (stored === null) throw new Error(`billing run ${latest.id} vanished`);
          return stored;
        }
        const lines = plan.kind === 'unchanged' ? [] : plan.lines;
        const version = (latest?.version ?? 0) + 1;
        const runId = `${scope.customerId}/${scope.period}/v${String(version)}`;
        const billed = lines
          .filter((line) => line.status === 'billed')
          .reduce((total, line) => total + line.amountMinor, 0n);
        const held = lines
          .filter((line) => line.status === 'held')
          .reduce((total, line) => total + line.amountMinor, 0n);
        await client.query(INSERT_RUN, [
          runId,
          scope.customerId,
          scope.period,
          new Date(scope.periodStartMs),
          new Date(scope.periodEndMs),
          version,
          scope.currency,
          linesHash(lines),
          plan.targetHash,
          billed.toString(),
          formatMinor(billed, scope.currency),
          formatMinor(held, scope.currency),
          lines.length,
          lines.filter((line) => line.status === 'held').length,
          requestedBy,
          bigintJson(reconciliation),
          new Date(deps.now()),
        ]);
        for (const [index, line] of lines.entries()) {
          await client.query(INSERT_LINE, [
            runId,
            index + 1,
            line.key,
            scope.customerId,
            line.serviceId,
            line.kind,
            line.status,
            line.description,
            line.quantity,
            line.unitPriceMinor,
            unitPrice(line),
            line.periodFraction,
            line.amountMinor.toString(),
            formatMinor(line.amountMinor, line.currency),
            line.currency,
            bigintJson(line.evidence),
            line.coverage === null ? null : bigintJson(line.coverage),
          ]);
        }
        const stored = await readRun(runId, client);
        await client.query('COMMIT');
        if (stored === null) throw new Error(`billing run ${runId} was not written`);
        return { ...stored, created: true };
      } catch (error) {
        failure = new Error('billing run could not be committed', { cause: error });
        await client.query('ROLLBACK').catch(() => undefined);
        throw failure;
      } finally {
        client.release(failure);
      }
    },

    readRun: (runId) => readRun(runId),

    async hasRuns() {
      const { rows } = await pool.query('SELECT 1 FROM billing_runs LIMIT 1');
      return rows.length > 0;
    },

    async wasPushed(runId) {
      const { rows } = await pool.query('SELECT 1 FROM billing_pushes WHERE run_id = $1', [runId]);
      return rows.length > 0;
    },

    async recordPush(runId, status) {
      await pool.query(
        'INSERT INTO billing_pushes (run_id, status, pushed_at) VALUES ($1, $2, $3) ON CONFLICT (run_id) DO NOTHING',
        [runId, status, new Date(deps.now())],
      );
    },
  };
}
