import type pg from 'pg';
import type { OutageClaim, OutageClaims } from '../ports.js';

const COLUMNS = `id::text AS id, customer_id, service_id, started_at, ended_at, reference, evidence,
  claimed_by, claimed_at, approved_by, approved_at, approval_reason`;

function iso(value: unknown): string {
  return (value as Date).toISOString();
}

function textOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function claimFromRow(row: Readonly<Record<string, unknown>>): OutageClaim {
  return {
    id: String(row.id),
    customerId: String(row.customer_id),
    serviceId: String(row.service_id),
    start: iso(row.started_at),
    end: iso(row.ended_at),
    reference: String(row.reference),
    evidence: String(row.evidence),
    claimedBy: String(row.claimed_by),
    claimedAt: iso(row.claimed_at),
    approvedBy: textOrNull(row.approved_by),
    approvedAt: row.approved_at === null ? null : iso(row.approved_at),
    approvalReason: textOrNull(row.approval_reason),
  };
}

/**
 * Claimed outages in `outage_claims` (migration billing_004). An approval is one conditional
 * update, so two analysts approving at once approve it once.
 */
export function createPostgresOutageClaims(deps: { pool: pg.Pool }): OutageClaims {
  const { pool } = deps;
  return {
    async list(filter) {
      const { rows } = await pool.query(
        `SELECT ${COLUMNS} FROM outage_claims WHERE ($1::text IS NULL OR customer_id = $1)
         ORDER BY started_at DESC, id DESC LIMIT 500`,
        [filter.customerId ?? null],
      );
      return rows.map((row: Record<string, unknown>) => claimFromRow(row));
    },
    async record(claim) {
      const { rows } = await pool.query(
        `INSERT INTO outage_claims
           (customer_id, service_id, started_at, ended_at, reference, evidence, claimed_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
        [
          claim.customerId,
          claim.serviceId,
          new Date(claim.startMs),
          new Date(claim.endMs),
          claim.reference,
          claim.evidence,
          claim.actor,
        ],
      );
      return claimFromRow(rows[0] as Record<string, unknown>);
    },
    async approve(id, approval) {
      if (!/^\d{1,18}$/.test(id)) return undefined;
      const updated = await pool.query(
        `UPDATE outage_claims SET approved_by = $2, approved_at = now(), approval_reason = $3
         WHERE id = $1 AND approved_at IS NULL RETURNING ${COLUMNS}`,
        [id, approval.actor, approval.reason],
      );
      const done = updated.rows[0] as Record<string, unknown> | undefined;
      if (done !== undefined) return { kind: 'done', claim: claimFromRow(done) };
      const found = await pool.query(`SELECT ${COLUMNS} FROM outage_claims WHERE id = $1`, [id]);
      const row = found.rows[0] as Record<string, unknown> | undefined;
      return row === undefined ? undefined : { kind: 'already-approved', claim: claimFromRow(row) };
    },
  };
}
