import type pg from 'pg';
import { incidentFromRow, type IncidentRow, type Override } from '@faultline/shared';
import { destinationKey, type Destination } from '../core/paging/destinations.js';
import type { PageRecord, PagingStore } from '../ports.js';

const INSERT_PAGES = `
  INSERT INTO pages (incident_id, dedup_key, job_id, action, step, person, channel, destination,
    destination_key, status, detail)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[],
    $7::text[], $8::jsonb[], $9::text[], $10::text[], $11::text[])
  ON CONFLICT (dedup_key) DO NOTHING`;

/** Paging's records in PostgreSQL, plus whether a destination's page has settled. */
export interface PagingStorePg extends PagingStore {
  /** No page to this destination is still being delivered (delivered, failed or gone). */
  pageSettled(incidentId: string, destination: Destination): Promise<boolean>;
  /** Forgets a Web Push subscription the push service no longer knows. */
  removeSubscription(id: string): Promise<void>;
  /** A Web Push subscription's endpoint and keys, or undefined once removed. */
  subscription(id: string): Promise<{ endpoint: string; p256dh: string; auth: string } | undefined>;
}

/** Paging's store on a pool. */
export function createPagingStorePg(pool: pg.Pool): PagingStorePg {
  return {
    async incident(id) {
      const rows = await pool.query<IncidentRow>('SELECT * FROM incidents WHERE id = $1', [id]);
      const row = rows.rows[0];
      return row === undefined ? undefined : incidentFromRow(row);
    },
    async rootDevices(incident) {
      const rows = await pool.query<{ device: string }>(
        'SELECT DISTINCT device FROM alarms WHERE id = ANY($1::uuid[]) ORDER BY device',
        [incident.rootAlarmIds],
      );
      return rows.rows.map((r) => r.device);
    },
    async overrides(nowMs) {
      const rows = await pool.query<{
        rotation: string;
        person: string;
        covers: string | null;
        starts_at: Date;
        ends_at: Date;
      }>(
        'SELECT rotation, person, covers, starts_at, ends_at FROM oncall_overrides WHERE ends_at > $1 ORDER BY id',
        [new Date(nowMs).toISOString()],
      );
      return rows.rows.map((r): Override => ({
        rotation: r.rotation,
        person: r.person,
        start: r.starts_at.toISOString(),
        end: r.ends_at.toISOString(),
        ...(r.covers === null ? {} : { covers: r.covers }),
      }));
    },
    async subscriptions(person) {
      const rows = await pool.query<{ id: string }>(
        'SELECT id FROM push_subscriptions WHERE person = $1 ORDER BY created_at, id',
        [person],
      );
      return rows.rows.map((r) => r.id);
    },
    async pagedDestinations(incidentId) {
      const rows = await pool.query<{ destination: Destination }>(
        `SELECT DISTINCT ON (destination_key) destination FROM pages
         WHERE incident_id = $1 AND action = 'page' AND status = 'queued'
         ORDER BY destination_key, id`,
        [incidentId],
      );
      return rows.rows.map((r) => r.destination);
    },
    async record(entries: readonly PageRecord[]) {
      if (entries.length === 0) return;
      await pool.query(INSERT_PAGES, [
        entries.map((e) => e.incidentId),
        entries.map((e) => e.dedupKey),
        entries.map((e) => e.jobId),
        entries.map((e) => e.action),
        entries.map((e) => e.step),
        entries.map((e) => e.person),
        entries.map((e) => e.channel),
        entries.map((e) => (e.destination === null ? null : JSON.stringify(e.destination))),
        entries.map((e) => (e.destination === null ? null : destinationKey(e.destination))),
        entries.map((e) => e.status),
        entries.map((e) => e.detail),
      ]);
    },
    async pageSettled(incidentId, destination) {
      const rows = await pool.query(
        `SELECT 1 FROM pages q
         WHERE q.incident_id = $1 AND q.destination_key = $2 AND q.action = 'page'
           AND q.status = 'queued'
           AND NOT EXISTS (SELECT 1 FROM pages d WHERE d.job_id = q.job_id
                           AND d.status IN ('delivered', 'failed', 'gone'))
         LIMIT 1`,
        [incidentId, destinationKey(destination)],
      );
      return rows.rowCount === 0;
    },
    async removeSubscription(id) {
      await pool.query('DELETE FROM push_subscriptions WHERE id = $1', [id]);
    },
    async subscription(id) {
      const rows = await pool.query<{ endpoint: string; p256dh: string; auth: string }>(
        'SELECT endpoint, p256dh, auth FROM push_subscriptions WHERE id = $1',
        [id],
      );
      return rows.rows[0];
    },
  };
}
