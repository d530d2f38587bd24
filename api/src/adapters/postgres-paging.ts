import { createHash } from 'node:crypto';
import type pg from 'pg';
import { loadPagingKeys, type PagingKeys } from '@faultline/shared';
import type { PagingRecords, StoredOverride } from '../ports.js';

/** A subscription's id: a short hash of its endpoint (the endpoint itself is a capability URL). */
export function subscriptionId(endpoint: string): string {
  return createHash('sha256').update(endpoint).digest('hex').slice(0, 24);
}

interface OverrideRow {
  id: string;
  rotation: string;
  person: string;
  covers: string | null;
  starts_at: Date;
  ends_at: Date;
  created_by: string;
  created_at: Date;
}

function overrideFromRow(row: OverrideRow): StoredOverride {
  return {
    id: row.id,
    rotation: row.rotation,
    person: row.person,
    ...(row.covers === null ? {} : { covers: row.covers }),
    start: row.starts_at.toISOString(),
    end: row.ends_at.toISOString(),
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
  };
}

const OVERRIDE_COLUMNS =
  'id::text, rotation, person, covers, starts_at, ends_at, created_by, created_at';

/** Paging's records in PostgreSQL; the keys are read once and kept. */
export function createPostgresPaging(deps: { readonly pool: pg.Pool }): PagingRecords {
  const { pool } = deps;
  let keys: Promise<PagingKeys> | undefined;
  return {
    keys() {
      keys ??= loadPagingKeys(pool).catch((error: unknown) => {
        keys = undefined;
        throw new Error('loading the paging keys failed', { cause: error });
      });
      return keys;
    },
    async saveSubscription(person, subscription) {
      await pool.query(
        `INSERT INTO push_subscriptions (id, endpoint, person, p256dh, auth) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (endpoint) DO UPDATE SET person = EXCLUDED.person, p256dh = EXCLUDED.p256dh,
           auth = EXCLUDED.auth, created_at = now()`,
        [
          subscriptionId(subscription.endpoint),
          subscription.endpoint,
          person,
          subscription.keys.p256dh,
          subscription.keys.auth,
        ],
      );
    },
    async deleteSubscription(person, endpoint) {
      const result = await pool.query(
        'DELETE FROM push_subscriptions WHERE endpoint = $1 AND person = $2',
        [endpoint, person],
      );
      return (result.rowCount ?? 0) > 0;
    },
    async subscriptionCount(person) {
      const result = await pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM push_subscriptions WHERE person = $1',
        [person],
      );
      return result.rows[0]?.n ?? 0;
    },
    async overrides(nowMs) {
      const result = await pool.query<OverrideRow>(
        `SELECT ${OVERRIDE_COLUMNS} FROM oncall_overrides WHERE ends_at > $1 ORDER BY starts_at, id`,
        [new Date(nowMs).toISOString()],
      );
      return result.rows.map(overrideFromRow);
    },
    async addOverride(override, createdBy) {
      const result = await pool.query<OverrideRow>(
        `INSERT INTO oncall_overrides (rotation, person, covers, starts_at, ends_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${OVERRIDE_COLUMNS}`,
        [
          override.rotation,
          override.person,
          override.covers ?? null,
          override.start,
          override.end,
          createdBy,
        ],
      );
      const row = result.rows[0];
      if (row === undefined) throw new Error('INSERT … RETURNING returned no row');
      return overrideFromRow(row);
    },
    async deleteOverride(id) {
      if (!/^[0-9]{1,18}$/.test(id)) return false;
      const result = await pool.query('DELETE FROM oncall_overrides WHERE id = $1', [id]);
      return (result.rowCount ?? 0) > 0;
    },
    async recordAcknowledgement(incidentId, person, via) {
      await pool.query(
        `INSERT INTO pages (incident_id, dedup_key, action, person, channel, status)
         VALUES ($1, $2, 'acknowledged', $3, $4, 'acknowledged') ON CONFLICT (dedup_key) DO NOTHING`,
        [incidentId, `ack-${incidentId}-${person}-${via}`, person, via],
      );
    },
  };
}
