export { createCollector, type Collector, type CollectorDeps } from './collector.js';
export * from './core/counter-math.js';
export * from './core/event-definitions.js';
export * from './core/interface-points.js';
export * from './core/inventory.js';
export * from './core/line-protocol.js';
export * from './core/rate-limit.js';
export * from './core/telemetry-message.js';
export * from './core/oid.js';
export * from './core/poll-schedule.js';
export * from './core/trap-to-event.js';
export * from './core/varbind.js';
export {
  TELEMETRY_MEASUREMENT,
  INTERFACE_MEASUREMENT,
  createInfluxWriter,
  int64Field,
  toV1WritePath,
  type InfluxWriter,
} from './adapters/influx-writer.js';
export { EVENT_BATCH_DEFAULTS, createEventQueue, type EventQueue } from './adapters/event-queue.js';
export { createSnmpPoller, type SnmpPoller } from './adapters/snmp-poller.js';
export { BULK_MIN_INTERFACES, POLL_OIDS } from './adapters/snmp-interface-reads.js';
export {
  TRAP_RECV_BUFFER_BYTES,
  createTrapReceiver,
  type TrapReceiver,
} from './adapters/trap-receiver.js';
export { READER_NICE, ThreadedUdpSocket } from './adapters/threaded-udp-socket.js';
export { telemetryDeadLetterKey } from './adapters/dead-letter-store.js';
export { subscriptionFilter } from './adapters/mqtt-subscriber.js';
export type { DeadLetter } from './ports.js';
export * from './core/discovery-addresses.js';
export * from './core/lldp-links.js';
export { probeAddress, type ProbeOptions, type ProbeResult } from './adapters/snmp-discovery.js';
export {
  runDiscovery,
  type DiscoveryOutcome,
  type DiscoveryProgress,
} from './app/discovery-run.js';
export { startDiscovery } from './discovery.js';
