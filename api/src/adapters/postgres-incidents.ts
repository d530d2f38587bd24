import type pg from 'pg';
import {
  ALARM_SELECT_COLUMNS,
  alarmFromRow,
  incidentFromRow,
  type AlarmRow,
  type IncidentRow,
  type Incident,
  type IncidentAlarm,
  type IncidentDetail,
  type TimelineEntry,
} from '@faultline/shared';
import { mergeTimeline } from '../core/page-timeline.js';
import type { IncidentQuery, IncidentReader } from '../ports.js';

/** `%`, `_` and `\` match literally in a LIKE pattern once escaped. */
function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const FIND_ALARMS = `SELECT ${ALARM_SELECT_COLUMNS} FROM alarms WHERE id = ANY($1::uuid[])`;

/**
 * Reads incidents, their alarms, tickets, timelines and outages from PostgreSQL. A search matches
 * the incident's id, title, ticket id, assignee and acknowledger, and the device names it cuts
 * off, case-insensitively.
 */
export function createPostgresIncidentReader(deps: { pool: pg.Pool }): IncidentReader {
  const { pool } = deps;
  return {
    async list(query: IncidentQuery) {
      const params: unknown[] = [query.states, query.limit];
      let where = 'state = ANY($1::text[])';
      if (query.search !== undefined) {
        params.push(likePattern(query.search));
        const p = `$${String(params.length)}`;
        where += ` AND (id ILIKE ${p} OR title ILIKE ${p} OR ticket_id ILIKE ${p}
          OR assignee ILIKE ${p} OR acknowledged_by ILIKE ${p}
          OR EXISTS (SELECT 1 FROM unnest(cut_off_devices) AS d WHERE d ILIKE ${p}))`;
      }
      const result = await pool.query<IncidentRow>(
        `SELECT * FROM incidents WHERE ${where}
         ORDER BY (state = 'resolved'), opened_at DESC, id LIMIT $2`,
        params,
      );
      return result.rows.map(incidentFromRow);
    },

    async detail(id: string) {
      const found = await pool.query<IncidentRow>('SELECT * FROM incidents WHERE id = $1', [id]);
      const row = found.rows[0];
      if (row === undefined) return undefined;
      const incident = incidentFromRow(row);
      const [alarms, ticket, timeline, paging, outages] = await Promise.all([
        pool.query<AlarmRow>(FIND_ALARMS, [incident.alarmIds]),
        pool.query<{
          id: string;
          state: string;
          title: string;
          severity: string;
          assignee: string | null;
          version: number;
          created_at: Date;
          updated_at: Date;
          resolved_at: Date | null;
        }>(
          `SELECT id, state, title, severity, assignee, version, created_at, updated_at, resolved_at
           FROM tickets WHERE incident_id = $1`,
          [id],
        ),
        pool.query<{ at: Date; kind: string; actor: string; body: string }>(
          `SELECT at, kind, actor, body FROM ticket_events WHERE ticket_id = $1 ORDER BY at, id`,
          [incident.ticketId],
        ),
        pool.query<{
          at: Date;
          action: string;
          step: number | null;
          person: string | null;
          channel: string;
          status: string;
          detail: string;
        }>(
          `SELECT at, action, step, person, channel, status, detail FROM pages
           WHERE incident_id = $1 ORDER BY at, id`,
          [id],
        ),
        pool.query<{
          customer_id: string;
          service_id: string;
          root_cause: string;
          started_at: Date;
          ended_at: Date | null;
          in_maintenance: boolean;
        }>(
          `SELECT customer_id, service_id, root_cause, started_at, ended_at, in_maintenance
           FROM outages WHERE incident_id = $1 ORDER BY started_at, id`,
          [id],
        ),
      ]);
      const roots = new Set(incident.rootAlarmIds);
      const order = new Map(incident.alarmIds.map((alarmId, index) => [alarmId, index]));
      const incidentAlarms: IncidentAlarm[] = alarms.rows
        .map(alarmFromRow)
        .sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0))
        .map((alarm) => ({ role: roots.has(alarm.id) ? 'root' : 'symptom', alarm }));
      const ticketRow = ticket.rows[0];
      const entries: TimelineEntry[] = mergeTimeline(
        timeline.rows.map((entry) => ({
          at: entry.at.toISOString(),
          kind: entry.kind,
          actor: entry.actor,
          body: entry.body,
        })),
        paging.rows.map((row) => ({ ...row, at: row.at.toISOString() })),
      );
      const result: Omit<IncidentDetail, 'impactedServices'> = {
        incident,
        alarms: incidentAlarms,
        ticket:
          ticketRow === undefined
            ? null
            : {
                id: ticketRow.id,
                state: ticketRow.state as Incident['state'],
                title: ticketRow.title,
                severity: ticketRow.severity,
                assignee: ticketRow.assignee,
                version: ticketRow.version,
                createdAt: ticketRow.created_at.toISOString(),
                updatedAt: ticketRow.updated_at.toISOString(),
                resolvedAt: ticketRow.resolved_at?.toISOString() ?? null,
              },
        timeline: entries,
        outages: outages.rows.map((outage) => ({
          customerId: outage.customer_id,
          serviceId: outage.service_id,
          rootCause: outage.root_cause,
          startedAt: outage.started_at.toISOString(),
          endedAt: outage.ended_at?.toISOString() ?? null,
          inMaintenance: outage.in_maintenance,
        })),
      };
      return result;
    },
  };
}
