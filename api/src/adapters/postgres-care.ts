import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import {
  incidentFromRow,
  type CarePeriodCredits,
  type IncidentRow,
  type StatusLink,
  type TimelineEntry,
} from '@faultline/shared';
import { STATUS_LINK_TOKEN_PREFIX, couldBeLinkToken } from '../core/care.js';
import type { CareStore, CustomerIncident } from '../ports.js';

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

interface LinkRow {
  id: string;
  customer_id: string;
  label: string;
  created_by: string;
  created_at: Date;
  revoked_at: Date | null;
  revoked_by: string | null;
}

const LINK_COLUMNS = 'id, customer_id, label, created_by, created_at, revoked_at, revoked_by';

function linkFromRow(row: LinkRow): StatusLink {
  return {
    id: row.id,
    customerId: row.customer_id,
    label: row.label,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
    revokedBy: row.revoked_by,
  };
}

/**
 * Reads one customer's records for the care desk and status pages (outages, incidents with their
 * timelines, the credits of closed periods) and keeps the status links. Every query is filtered
 * by the customer: nothing of another customer is read.
 */
export function createPostgresCare(deps: { pool: pg.Pool }): CareStore {
  const { pool } = deps;
  return {
    async openOutages(customerId) {
      const result = await pool.query<{ service_id: string; in_maintenance: boolean }>(
        `SELECT service_id, in_maintenance FROM outages
         WHERE customer_id = $1 AND ended_at IS NULL`,
        [customerId],
      );
      return result.rows.map((row) => ({
        serviceId: row.service_id,
        inMaintenance: row.in_maintenance,
      }));
    },

    async incidents(customerId, resolvedSinceMs, limit) {
      const found = await pool.query<IncidentRow>(
        `SELECT * FROM incidents
         WHERE impacted_services @> $1::jsonb AND (state <> 'resolved' OR resolved_at >= $2)
         ORDER BY (state = 'resolved'), opened_at DESC, id LIMIT $3`,
        [JSON.stringify([{ customerId }]), new Date(resolvedSinceMs), limit],
      );
      const incidents = found.rows.map(incidentFromRow);
      const events = await pool.query<{
        ticket_id: string;
        at: Date;
        kind: string;
        actor: string;
        body: string;
      }>(
        `SELECT ticket_id, at, kind, actor, body FROM ticket_events
         WHERE ticket_id = ANY($1::text[]) ORDER BY at, id`,
        [incidents.map((incident) => incident.ticketId)],
      );
      const timelines = new Map<string, TimelineEntry[]>();
      for (const row of events.rows) {
        const entries = timelines.get(row.ticket_id) ?? [];
        entries.push({
          at: row.at.toISOString(),
          kind: row.kind,
          actor: row.actor,
          body: row.body,
        });
        timelines.set(row.ticket_id, entries);
      }
      return incidents.map((incident): CustomerIncident => ({
        incident,
        timeline: timelines.get(incident.ticketId) ?? [],
      }));
    },

    async closedPeriods(customerId, limit) {
      const runs = await pool.query<{ id: string; period: string; currency: string }>(
        `SELECT id, period, currency FROM (
           SELECT DISTINCT ON (period) id, period, currency, period_start FROM billing_runs
           WHERE customer_id = $1 ORDER BY period, version DESC
         ) latest ORDER BY period_start DESC LIMIT $2`,
        [customerId, limit],
      );
      const lines = await pool.query<{
        run_id: string;
        service_id: string;
        amount: string;
        description: string;
      }>(
        `SELECT run_id, service_id, amount::text AS amount, description FROM billing_lines_reviewed
         WHERE run_id = ANY($1::text[]) AND kind = 'credit' ORDER BY run_id, line_no`,
        [runs.rows.map((run) => run.id)],
      );
      return runs.rows.map((run): CarePeriodCredits => ({
        period: run.period,
        runId: run.id,
        currency: run.currency,
        credits: lines.rows
          .filter((line) => line.run_id === run.id)
          .map((line) => ({
            serviceId: line.service_id,
            amount: line.amount,
            description: line.description,
          })),
      }));
    },

    async createLink(customerId, label, createdBy) {
      const token = STATUS_LINK_TOKEN_PREFIX + randomBytes(32).toString('base64url');
      const id = `sl-${randomBytes(9).toString('base64url')}`;
      const result = await pool.query<LinkRow>(
        `INSERT INTO status_links (id, customer_id, token_sha256, label, created_by)
         VALUES ($1, $2, $3, $4, $5) RETURNING ${LINK_COLUMNS}`,
        [id, customerId, sha256(token), label, createdBy],
      );
      const row = result.rows[0];
      if (row === undefined) throw new Error('inserting a status link returned no row');
      return { link: linkFromRow(row), token };
    },

    async links(customerId) {
      const result = await pool.query<LinkRow>(
        `SELECT ${LINK_COLUMNS} FROM status_links WHERE customer_id = $1 ORDER BY created_at, id`,
        [customerId],
      );
      return result.rows.map(linkFromRow);
    },

    async revokeLink(id, revokedBy) {
      // Revoking twice keeps the first revocation.
      const result = await pool.query<LinkRow>(
        `UPDATE status_links SET revoked_at = coalesce(revoked_at, now()),
           revoked_by = coalesce(revoked_by, $2)
         WHERE id = $1 RETURNING ${LINK_COLUMNS}`,
        [id, revokedBy],
      );
      const row = result.rows[0];
      return row === undefined ? undefined : linkFromRow(row);
    },

    async customerOfToken(token) {
      if (!couldBeLinkToken(token)) return undefined;
      const result = await pool.query<{ customer_id: string }>(
        `SELECT customer_id FROM status_links WHERE token_sha256 = $1 AND revoked_at IS NULL`,
        [sha256(token)],
      );
      return result.rows[0]?.customer_id;
    },
  };
}
