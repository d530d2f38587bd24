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
    version: row.version,
  };
}
