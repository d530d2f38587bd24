export * from './core/index.js';
export { createBillingBridge } from './billing-bridge.js';
export type { BillingBridge, BillingBridgeDeps } from './billing-bridge.js';
export { createBillingRuns } from './app/billing-runs.js';
export type { BillingRuns, BillingRunsDeps, RunOutcome } from './app/billing-runs.js';
export { createBillingStore } from './adapters/billing-store-pg.js';
export type {
  BillingStore,
  InterfaceReadings,
  ReadingsFeed,
  RunScope,
  SeriesId,
  SeriesReadings,
  StoredRun,
  UsageLedgerStore,
} from './ports.js';
export { createUsageLedgerStore } from './adapters/usage-ledger-pg.js';
export { createUsageFollower } from './app/usage-follower.js';
export { createUsageSource } from './app/service-usage.js';
export type { UsageOrigin, UsageSource } from './app/service-usage.js';
export type { CatchUp, UsageFollower, UsageFollowerDeps } from './app/usage-follower.js';
export {
  createInfluxFeed,
  createInfluxReadings,
  interfaceQuery,
  parseAnswer,
  readingsFromAnswer,
} from './adapters/influx-readings.js';
