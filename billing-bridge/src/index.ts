export * from './core/index.js';
export { createBillingBridge } from './billing-bridge.js';
export type { BillingBridge, BillingBridgeDeps } from './billing-bridge.js';
export { createBillingRuns } from './app/billing-runs.js';
export type { BillingRuns, BillingRunsDeps, RunOutcome } from './app/billing-runs.js';
export { createBillingStore } from './adapters/billing-store-pg.js';
export type { BillingStore, InterfaceReadings, RunScope, StoredRun } from './ports.js';
export {
  createInfluxReadings,
  interfaceQuery,
  parseAnswer,
  readingsFromAnswer,
} from './adapters/influx-readings.js';
