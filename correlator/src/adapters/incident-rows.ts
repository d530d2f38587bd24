// The incident write is shared with the demo's backfill of past incidents.
export { UPSERT_INCIDENT, incidentParams } from '@faultline/shared';
