// Polling: interfaces polled per second by the real collector (its SNMP poller, counter math and
// InfluxDB writer) against the simulator's real net-snmp agents, which run in their own process
// (`simulator/dist/cli.js run`), one agent per device on its own loopback address. Every device is
// due every 5 s (the shortest poll interval the config allows), more than the poller can serve, so
// what is counted is the poller's ceiling. Its peer in the same run: Net-SNMP's `snmpbulkwalk`
// walking the same columns of the same agents, 16 devices at a time, for a window as long.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCollector, POLL_OIDS } from '@faultline/collector';
import { createLogger, type ComponentMetric } from '@faultline/shared';
import { createInfluxDatabase, influxQuery, testSettings } from '../support/services.js';
import { startSimulatorProcess, waitUntil, type NodeProcess } from './bench-support.js';
import { checkedConfig, machineLoadNote } from './bench-system.js';
import { smallScale, writeResult } from './result.js';
import { walkWithSnmpbulkwalk } from './snmpbulkwalk-peer.js';

const DEVICES = smallScale ? 4 : 1_000;
const INTERFACES_PER_DEVICE = smallScale ? 40 : 100;
const POLL_INTERVAL_S = 5;
/** Steady state is measured after every device has been polled twice (rates need two polls). */
const WARM_UP_MS = 2 * POLL_INTERVAL_S * 1000 + 1000;
const WINDOW_MS = smallScale ? 3_000 : 30_000;
const TARGET_INTERFACES_PER_S = 5_000;
/** The collector's poller: device polls at once, and GetBulk max-repetitions. */
const POLLER_CONCURRENCY = 16;
const BULK_REPETITIONS = 40;

const machineLoad = machineLoadNote();
const influx = await createInfluxDatabase();
// Agents on 127.88.x.y, on a port no other test uses, so parallel runs elsewhere never answer.
const agentPort = 20_000 + Math.floor(Math.random() * 20_000);
const devices = Array.from({ length: DEVICES }, (_, index) => ({
  name: `poll-${String(index)}`,
  address: `127.88.${String(Math.floor(index / 250))}.${String((index % 250) + 1)}`,
  kind: 'access',
  snmp: { version: '2c', community: 'public', port: agentPort },
  pollIntervalS: POLL_INTERVAL_S,
  interfaces: Array.from({ length: INTERFACES_PER_DEVICE }, (_, i) => ({
    ifIndex: i + 1,
    name: `ge-0/0/${String(i)}`,
    speedMbps: 10_000,
  })),
}));
const network = {
  influx: { api: 'v1', database: influx.name },
  // No MQTT session is left on the broker: this run has no telemetry.
  telemetry: { sessionExpiryS: 0 },
  devices,
};
const config = checkedConfig(network);
const configDir = await mkdtemp(join(tmpdir(), 'faultline-bench-polling-'));
const configPath = join(configDir, 'network.json');
// JSON is YAML: the simulator reads the same network from a file.
await writeFile(configPath, JSON.stringify(network));

const collector = createCollector({
  runtime: {
    settings: testSettings({ trapHost: '127.0.0.1', trapPort: 0 }),
    config,
    logger: createLogger({ level: 'warn' }),
  },
});
const metric = (metrics: readonly ComponentMetric[], name: string): number =>
  metrics.find((m) => m.name === `faultline_collector_${name}`)?.value ?? 0;

let simulator: NodeProcess | undefined;
try {
  await collector.start();
  // The simulator's coldStart traps go to this collector, not to another one on the machine.
  const trapPort = collector.trapAddress()?.port ?? 0;
  simulator = startSimulatorProcess(configPath, trapPort);
  // The simulator sends its coldStart traps once every agent is bound: with 1,000 devices that
  // takes several seconds, which must be neither in the window nor in the agents' CPU.
  await waitUntil(
    'the simulated agents to start',
    () => metric(collector.metrics(), 'traps_received_total') > 0,
    { timeoutMs: 300_000, intervalMs: 200 },
  );
  await new Promise((resolve) => setTimeout(resolve, WARM_UP_MS));
  const before = collector.metrics();
  const cpuBefore = {
    collector: process.cpuUsage(),
    simulator: await simulator.cpuSeconds(),
  };
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
  const after = collector.metrics();
  const elapsedS = (performance.now() - started) / 1000;
  const collectorCpuS = process.cpuUsage(cpuBefore.collector);
  const simulatorCpuS = (await simulator.cpuSeconds()) - cpuBefore.simulator;
  const delta = (name: string): number => metric(after, name) - metric(before, name);
  const polls = delta('polls_succeeded_total');
  const interfacesPerS = (polls * INTERFACES_PER_DEVICE) / elapsedS;
  const failed = delta('polls_failed_total');
  const skipped = delta('polls_skipped_total');
  const written = metric(after, 'influx_points_written_total');
  // Stopping flushes what is still buffered.
  await collector.stop();

  // The peer, on the same agents, once the collector has stopped polling them.
  const peer = await walkWithSnmpbulkwalk({
    agents: devices.map((d) => `${d.address}:${String(agentPort)}`),
    community: 'public',
    columns: [
      POLL_OIDS.ifHCInOctets,
      POLL_OIDS.ifHCOutOctets,
      POLL_OIDS.ifHighSpeed,
      POLL_OIDS.ifOperStatus,
      POLL_OIDS.ifInErrors,
      POLL_OIDS.ifOutErrors,
      POLL_OIDS.ifInDiscards,
      POLL_OIDS.ifOutDiscards,
    ],
    interfacesPerDevice: INTERFACES_PER_DEVICE,
    concurrency: POLLER_CONCURRENCY,
    repetitions: BULK_REPETITIONS,
    windowMs: WINDOW_MS,
  });
  const peerPerS = (peer.polls * INTERFACES_PER_DEVICE) / peer.elapsedS;
  const peerMsPer1000 = ((peer.cpuS * 1000) / (peer.polledForCpu * INTERFACES_PER_DEVICE)) * 1000;

  // Every point InfluxDB had accepted by the end of the window is there to read.
  const answer = (await influxQuery('SELECT count(in_octets) FROM interface', influx.name)) as {
    results: { series?: { values: [string, number][] }[] }[];
  };
  const stored = answer.results[0]?.series?.[0]?.values[0]?.[1] ?? 0;
  if (stored === 0 || stored < written) {
    throw new Error(`InfluxDB holds ${String(stored)} points; it had accepted ${String(written)}`);
  }

  const demand = (DEVICES * INTERFACES_PER_DEVICE) / POLL_INTERVAL_S;
  const collectorMsPer1000 =
    ((collectorCpuS.user + collectorCpuS.system) / 1000 / (polls * INTERFACES_PER_DEVICE)) * 1000;
  const simulatorMsPer1000 = ((simulatorCpuS * 1000) / (polls * INTERFACES_PER_DEVICE)) * 1000;
  // One core's second (1,000 ms) over the collector's CPU per interface.
  const collectorCeilingPerS = 1_000_000 / collectorMsPer1000;
  await writeResult({
    name: 'polling',
    title: 'Polling',
    figures: [
      {
        label: 'interfaces polled, counted and written',
        value: Math.round(interfacesPerS),
        unit: 'interfaces/s',
        target: '≥ 5,000 interfaces/s',
        met: interfacesPerS >= TARGET_INTERFACES_PER_S,
      },
      {
        label: 'Net-SNMP snmpbulkwalk reading the same columns of the same agents',
        value: Math.round(peerPerS),
        unit: 'interfaces/s',
      },
      {
        label: 'Faultline / snmpbulkwalk',
        value: peerPerS > 0 ? interfacesPerS / peerPerS : 0,
        unit: '×',
      },
      { label: 'interfaces due (demand)', value: demand, unit: 'interfaces/s' },
      { label: 'device polls failed in the window', value: failed, unit: 'polls' },
      { label: 'device polls skipped (previous one still running)', value: skipped, unit: 'polls' },
      {
        label: 'collector CPU per 1,000 interfaces',
        value: collectorMsPer1000,
        unit: 'ms',
      },
      {
        label: "collector's own ceiling on one core (from its CPU per interface)",
        value: Math.round(collectorCeilingPerS),
        unit: 'interfaces/s',
      },
      {
        label: 'simulator (agents) CPU per 1,000 interfaces',
        value: simulatorMsPer1000,
        unit: 'ms',
      },
      { label: 'points in InfluxDB at the end', value: stored, unit: 'points' },
      { label: 'snmpbulkwalk device polls failed or short', value: peer.failed, unit: 'polls' },
      {
        label: 'snmpbulkwalk CPU per 1,000 interfaces',
        value: Number.isFinite(peerMsPer1000) ? peerMsPer1000 : 0,
        unit: 'ms',
      },
    ],
    notes: [
      machineLoad,
      `${String(DEVICES)} simulated devices × ${String(INTERFACES_PER_DEVICE)} interfaces, each device a net-snmp agent of the simulator (one process) on its own loopback address; the collector (this process, the real component with its poller at the default 16 device polls at once) polls each every ${String(POLL_INTERVAL_S)} s (${demand.toLocaleString('en-US')} interfaces/s due), GetBulk walks of the 64-bit columns, counter math, and points batched to InfluxDB 1.6 at 8086.`,
      `Counted over ${String(WINDOW_MS / 1000)} s after a ${String(WARM_UP_MS / 1000)} s warm-up that begins once every agent is up: answered device polls × interfaces per device. ${written.toLocaleString('en-US')} points were accepted by InfluxDB by the end of the window and ${stored.toLocaleString('en-US')} were read back after the collector stopped.`,
      `Peer, in the same run on the same agents once the collector has stopped: Net-SNMP's \`snmpbulkwalk -v2c -Cr${String(BULK_REPETITIONS)} -On -Oq -m '' -M /dev/null\` (no MIBs, numeric output: its cheapest), one process per column, the collector's eight columns (ifHCInOctets, ifHCOutOctets, ifHighSpeed, ifOperStatus, ifInErrors, ifOutErrors, ifInDiscards, ifOutDiscards) one after the other per device, ${String(POLLER_CONCURRENCY)} devices at a time as the poller, round-robin as fast as it goes for ${String(WINDOW_MS / 1000)} s. A device counts when every column returned all ${String(INTERFACES_PER_DEVICE)} rows within the window. It only reads (no sysUpTime, no rates, nothing stored), so it is the peer's best case; its processes (one started per walk, as pollers built on the Net-SNMP tools do) used ${peerMsPer1000.toFixed(0)} ms of CPU per 1,000 interfaces.`,
      ...(skipped === 0
        ? [
            `No poll was skipped: the collector kept up with all that was due (${demand.toLocaleString('en-US')} interfaces/s), so its figure is the demand, not its ceiling, and the ratio understates it (a small run is a smoke test).`,
          ]
        : []),
      `The simulated agents (net-snmp's agent for the protocol, answering from the simulator's MIB view) used ${simulatorMsPer1000.toFixed(0)} ms of CPU per 1,000 interfaces, the collector ${collectorMsPer1000.toFixed(0)} ms; agents, collector and InfluxDB share the 2 cores. The collector's own CPU per interface would carry about ${Math.round(collectorCeilingPerS).toLocaleString('en-US')} interfaces/s on one core.`,
    ],
  });
} finally {
  await collector.stop();
  await simulator?.stop();
  await rm(configDir, { recursive: true, force: true });
  await influx.drop();
}
