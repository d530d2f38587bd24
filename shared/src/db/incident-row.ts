import type { ImpactedService, Incident, IncidentState } from '../incident.js';
import { SEVERITIES, type Severity } from '../severity.js';

/** One row of `incidents`. */
export interface IncidentRow {
  id: string;
  state: string;
  title: string;
  severity: string;
  primary_alarm_id: string;
  root_alarm_ids: string[];
  alarm_ids: string[];
  cut_off_devices: string[];
  impacted_services: unknown;
  ticket_id: string;
  opened_at: Date;
  updated_at: Date;
  resolved_at: Date | null;
  resolution: string | null;
  acknowledged_by: string | null;
  assignee: string | null;
  in_maintenance: boolean;
  announced: boolean;
  version: number;
  flap_count: number;
}

const STATES: readonly IncidentState[] = ['open', 'acknowledged', 'resolved'];

/** A stored severity, `indeterminate` if unknown. */
export function severityOf(value: string): Severity {
  return SEVERITIES.find((s) => s === value) ?? 'indeterminate';
}

function servicesOf(value: unknown): ImpactedService[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) return [];
    const { customerId, serviceId } = item as Record<string, unknown>;
    return typeof customerId === 'string' && typeof serviceId === 'string'
      ? [{ customerId, serviceId }]
      : [];
  });
}

/**
 * Maps an `incidents` row to the incident the correlator publishes and the api serves, so both
 * show the same record.
 */
export function incidentFromRow(row: IncidentRow): Incident {
  return {
    id: row.id,
    state: STATES.find((s) => s === row.state) ?? 'open',
    title: row.title,
    severity: severityOf(row.severity),
    primaryAlarmId: row.primary_alarm_id,
    rootAlarmIds: row.root_alarm_ids,
    alarmIds: row.alarm_ids,
    cutOffDevices: row.cut_off_devices,
    impactedServices: servicesOf(row.impacted_services),
    ticketId: row.ticket_id,
    openedAt: row.opened_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    resolvedAt: row.resolved_at === null ? null : row.resolved_at.toISOString(),
    resolution: row.resolution,
    acknowledgedBy: row.acknowledged_by,
    assignee: row.assignee,
    inMaintenance: row.in_maintenance,
    announced: row.announced,
    ...(row.flap_count > 1 ? { flapCount: row.flap_count } : {}),
    version: row.version,
  };
}

/**
 * Writes an incident, never over a newer version of it: the correlator's write, and the demo's
 * backfill of past incidents.
 */
export const UPSERT_INCIDENT = `
  INSERT INTO incidents (id, state, title, severity, primary_alarm_id, root_alarm_ids, alarm_ids,
    cut_off_devices, impacted_services, ticket_id, opened_at, updated_at, resolved_at, resolution,
    acknowledged_by, assignee, in_maintenance, announced, version, flap_count)
  VALUES ($1, $2, $3, $4, $5, $6::uuid[], $7::uuid[], $8::text[], $9::jsonb, $10, $11, $12, $13,
    $14, $15, $16, $17, $18, $19, $20)
  ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, title = EXCLUDED.title,
    severity = EXCLUDED.severity, primary_alarm_id = EXCLUDED.primary_alarm_id,
    root_alarm_ids = EXCLUDED.root_alarm_ids, alarm_ids = EXCLUDED.alarm_ids,
    cut_off_devices = EXCLUDED.cut_off_devices, impacted_services = EXCLUDED.impacted_services,
    updated_at = EXCLUDED.updated_at, resolved_at = EXCLUDED.resolved_at,
    resolution = EXCLUDED.resolution, acknowledged_by = EXCLUDED.acknowledged_by,
    assignee = EXCLUDED.assignee, in_maintenance = EXCLUDED.in_maintenance,
    announced = EXCLUDED.announced, version = EXCLUDED.version,
    flap_count = EXCLUDED.flap_count
  WHERE incidents.version < EXCLUDED.version`;

/** Parameters of `UPSERT_INCIDENT`. */
export function incidentParams(incident: Incident): unknown[] {
  return [
    incident.id,
    incident.state,
    incident.title,
    incident.severity,
    incident.primaryAlarmId,
    incident.rootAlarmIds,
    incident.alarmIds,
    incident.cutOffDevices,
    JSON.stringify(incident.impactedServices),
    incident.ticketId,
    incident.openedAt,
    incident.updatedAt,
    incident.resolvedAt,
    incident.resolution,
    incident.acknowledgedBy,
    incident.assignee,
    incident.inMaintenance,
    incident.announced,
    incident.version,
    incident.flapCount ?? 0,
  ];
}

/** Writes an incident's ticket, never over a newer version of it (the tickets worker's write). */
export const UPSERT_TICKET = `
  INSERT INTO tickets (id, incident_id, state, title, severity, impacted_services, version,
    created_at, updated_at, resolved_at, assignee)
  VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11)
  ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, title = EXCLUDED.title,
    assignee = EXCLUDED.assignee,
    severity = EXCLUDED.severity, impacted_services = EXCLUDED.impacted_services,
    version = EXCLUDED.version, updated_at = EXCLUDED.updated_at,
    resolved_at = EXCLUDED.resolved_at
  WHERE tickets.version < EXCLUDED.version`;

/** Parameters of `UPSERT_TICKET`: the ticket follows its incident. */
export function ticketParams(incident: Incident): unknown[] {
  return [
    incident.ticketId,
    incident.id,
    incident.state,
    incident.title,
    incident.severity,
    JSON.stringify(incident.impactedServices),
    incident.version,
    incident.openedAt,
    incident.updatedAt,
    incident.resolvedAt,
    incident.assignee,
  ];
}

/** Adds one entry to a ticket's timeline, once per `dedup_key` (the job or request that wrote it). */
export const ADD_TICKET_EVENT = `
  INSERT INTO ticket_events (ticket_id, dedup_key, at, kind, actor, body)
  VALUES ($1, $2, $3, $4, $5, $6)
  ON CONFLICT (dedup_key) DO NOTHING`;
