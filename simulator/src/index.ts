export * from './core/backfill-lines.js';
export * from './core/counters.js';
export * from './core/device-state.js';
export * from './core/duration.js';
export * from './core/flaps.js';
export * from './core/hash.js';
export * from './core/past-incidents.js';
export * from './core/reachability.js';
export * from './core/scenario.js';
export * from './core/schedule.js';
export * from './core/sold-traffic.js';
export * from './core/storm.js';
export * from './core/storm-traps.js';
export * from './core/telemetry.js';
export * from './core/traffic.js';
export * from './core/trap-community.js';
export * from './core/trap-packet.js';
export {
  sendControlCommand,
  type ControlClientOptions,
  type ControlCommand,
} from './adapters/control-client.js';
export {
  backfillUsage,
  hasUsageHistory,
  type BackfillOptions,
  type BackfillResult,
} from './adapters/influx-backfill.js';
export {
  backfillIncidents,
  type IncidentBackfillOptions,
  type IncidentBackfillResult,
} from './adapters/pg-incidents.js';
export {
  DEFAULT_SCENARIOS_DIR,
  isScenarioPath,
  listScenarioFiles,
  loadScenarioFile,
  readScenarioByName,
  readScenarioPath,
  scenarioFolders,
  type ScenarioSource,
} from './adapters/scenario-files.js';
export {
  sendTrapStorm,
  type TrapStormOptions,
  type TrapStormResult,
} from './adapters/trap-storm.js';
export type { ScenarioRun } from './scenario-runner.js';
export {
  createSimulator,
  type RunScenarioOptions,
  type Simulator,
  type SimulatorDeps,
} from './simulator.js';
