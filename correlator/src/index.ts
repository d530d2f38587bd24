export * from './correlator.js';
export * from './core/alarm-reducer.js';
export * from './core/alarm-writes.js';
export * from './core/batch-keys.js';
export * from './core/decision-counts.js';
export type * from './ports.js';
// The PostgreSQL adapters, for integration tests; other services must not import them (services
// never depend on each other) and should query the same tables themselves.
export { createAlarmStorePg } from './adapters/alarm-store-pg.js';
export { createPostgresPool, migrateWithPool } from './adapters/postgres.js';
export { pruneAppliedBatches } from './adapters/housekeeping-pg.js';
export { createTimelineSignal, type TimelineSignal } from './adapters/timeline-signal.js';
export * from './core/topology.js';
export * from './core/incidents.js';
export * from './core/jobs.js';
export * from './core/maintenance.js';
export * from './core/reminders.js';
export * from './core/auto-clean.js';
// Incident actions for the api: functions taking a pg pool.
export * from './incident-actions.js';
export * from './core/incident-naming.js';
export { publishIncidentChanges } from './adapters/incident-publisher.js';
export { createApprovedTopologySource } from './adapters/approved-topology-pg.js';
export { createEventRouter } from './adapters/event-router.js';
// The correlation loop and the steps' pace it shares through Redis, for integration tests.
export { createCorrelationLoop } from './app/correlation-loop.js';
export { createStepPaceRedis, stepPaceKeys } from './adapters/step-pace-redis.js';
export { createPartitionLeases } from './adapters/partition-leases.js';
