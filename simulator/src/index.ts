export * from './core/counters.js';
export * from './core/device-state.js';
export * from './core/flaps.js';
export * from './core/hash.js';
export * from './core/traffic.js';
export * from './core/trap-community.js';
export { createSimulator, type Simulator, type SimulatorDeps } from './simulator.js';
