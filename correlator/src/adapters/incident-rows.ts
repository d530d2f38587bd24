import type { Incident } from '@faultline/shared';

/** Writes an incident, never over a newer version of it. */
export const UPSERT_INCIDENT = `
  INSERT INTO incidents (id, state, title, severity, primary_alarm_id, root_alarm_ids, alarm_ids,
    cut_off_devices, impacted_services, ticket_id, opened_at, updated_at, resolved_at, resolution,
    acknowledged_by, assignee, in_maintenance, announced, version)
  VALUES ($1, $2, $3, $4, $5, $6::uuid[], $7::uuid[], $8::text[], $9::jsonb, $10, $11, $12, $13,
    $14, $15, $16, $17, $18, $19)
  ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, title = EXCLUDED.title,
    severity = EXCLUDED.severity, primary_alarm_id = EXCLUDED.primary_alarm_id,
    root_alarm_ids = EXCLUDED.root_alarm_ids, alarm_ids = EXCLUDED.alarm_ids,
    cut_off_devices = EXCLUDED.cut_off_devices, impacted_services = EXCLUDED.impacted_services,
    updated_at = EXCLUDED.updated_at, resolved_at = EXCLUDED.resolved_at,
    resolution = EXCLUDED.resolution, acknowledged_by = EXCLUDED.acknowledged_by,
    assignee = EXCLUDED.assignee, in_maintenance = EXCLUDED.in_maintenance,
    announced = EXCLUDED.announced, version = EXCLUDED.version
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
  ];
}
