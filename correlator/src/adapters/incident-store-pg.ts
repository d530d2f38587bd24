import type pg from 'pg';
import { incidentFromRow, type Incident, type IncidentRow } from '@faultline/shared';
import type { IncidentStore, IncidentTx } from '../ports.js';
import { CORRELATION_LOCK } from './correlation-pg.js';
import { UPSERT_INCIDENT, incidentParams } from './incident-rows.js';
import { addToOutbox } from './outbox.js';

const END_OUTAGES = `
  UPDATE outages SET ended_at = greatest($2::timestamptz, started_at)
  WHERE incident_id = $1 AND ended_at IS NULL`;

async function oneIncident(
  client: Pick<pg.PoolClient, 'query'>,
  sql: string,
  id: string,
): Promise<Incident | undefined> {
  const rows = await client.query<IncidentRow>(sql, [id]);
  const row = rows.rows[0];
  return row === undefined ? undefined : incidentFromRow(row);
}

/**
 * Incidents on PostgreSQL. `inLock` runs one transaction under the correlation step's advisory
 * lock, with PostgreSQL's clock, so a command never races a step.
 */
export function createIncidentStorePg(pool: pg.Pool): IncidentStore {
  return {
    async inLock(work) {
      const client = await pool.connect();
      let failure: Error | undefined;
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock($1)', [CORRELATION_LOCK]);
        const clock = await client.query<{ now: Date }>('SELECT now() AS now');
        const now = (clock.rows[0]?.now ?? new Date()).toISOString();
        const tx: IncidentTx = {
          lockIncident: (id) =>
            oneIncident(client, 'SELECT * FROM incidents WHERE id = $1 FOR UPDATE', id),
          readIncident: (id) => oneIncident(client, 'SELECT * FROM incidents WHERE id = $1', id),
          async saveIncident(incident) {
            await client.query(UPSERT_INCIDENT, incidentParams(incident));
          },
          async endOutages(incidentId, nowIso) {
            await client.query(END_OUTAGES, [incidentId, nowIso]);
          },
          addJobs: (jobs) => addToOutbox(client, jobs),
        };
        const result = await work(tx, now);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        failure = new Error('incident action failed', { cause: error });
        await client.query('ROLLBACK').catch(() => undefined);
        throw failure;
      } finally {
        client.release(failure);
      }
    },
    getIncident: (id) => oneIncident(pool, 'SELECT * FROM incidents WHERE id = $1', id),
    async listIncidents(filter) {
      const rows = await pool.query<IncidentRow>(
        `SELECT * FROM incidents WHERE ($1 = 'all' OR state <> 'resolved')
         ORDER BY (state = 'resolved'), opened_at DESC, id LIMIT $2`,
        [filter.state, filter.limit],
      );
      return rows.rows.map(incidentFromRow);
    },
  };
}
