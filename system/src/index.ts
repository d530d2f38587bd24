export * from './system.js';
export { createDemoHistory } from './demo-history.js';
