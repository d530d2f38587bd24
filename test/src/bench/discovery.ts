// Discovery: a simulated network of 1,000 devices (a tree: each device's uplink to a port of
// its parent, three downlinks each), every device a real net-snmp agent of the simulator in its
// own process, discovered from one seed range by the collector's discovery (its probe and run:
// system group, ifTable/ifXTable and LLDP-MIB walks) in this process. Both share the 2 cores.
import * as dgram from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { probeAddress, runDiscovery } from '@faultline/collector';
import { startSimulatorProcess, waitUntil, type NodeProcess } from './bench-support.js';
import { checkedConfig, machineLoadNote } from './bench-system.js';
import { smallScale, writeResult } from './result.js';
import { freeUdpPort } from '../support/ports.js';

const DEVICES = smallScale ? 20 : 1_000;
const TARGET_S = 60;
const PER_BLOCK = 250;
const machineLoad = machineLoadNote();
// Below the kernel's ephemeral range: no client socket of anything running beside can hold it
// on the agents' addresses (a random port in 20000–40000 once left agents unbound).
const agentPort = await freeUdpPort();
const addressOf = (n: number): string =>
  `127.89.${String(Math.floor(n / PER_BLOCK))}.${String((n % PER_BLOCK) + 1)}`;
const devices = Array.from({ length: DEVICES }, (_, n) => ({
  name: `disc-${String(n)}`,
  address: addressOf(n),
  kind: 'access',
  snmp: { version: '2c', community: 'public', port: agentPort },
  pollIntervalS: 3600,
  interfaces: Array.from({ length: 4 }, (_, i) => ({
    ifIndex: i + 1,
    name: `ge-0/0/${String(i)}`,
    speedMbps: 1000,
  })),
}));
// Device n > 0 hangs off port 1 + (n - 1) % 3 of device floor((n - 1) / 3) by its port 0.
const links = devices.slice(1).map((device, i) => ({
  a: { device: `disc-${String(Math.floor(i / 3))}`, interface: `ge-0/0/${String(1 + (i % 3))}` },
  b: { device: device.name, interface: 'ge-0/0/0' },
}));
const network = { telemetry: { sessionExpiryS: 0 }, devices, links };
checkedConfig(network);
const configDir = await mkdtemp(join(tmpdir(), 'faultline-bench-discovery-'));
const configPath = join(configDir, 'network.json');
await writeFile(configPath, JSON.stringify(network));

// The simulator sends a coldStart per device once every agent is bound: counted here.
const traps = dgram.createSocket('udp4');
let coldStarts = 0;
traps.on('message', () => (coldStarts += 1));
await new Promise<void>((resolve) => traps.bind(0, '127.0.0.1', resolve));

const blocks = Math.ceil(DEVICES / PER_BLOCK);
const range = `127.89.0.0-127.89.${String(blocks - 1)}.255`;
const discovery = {
  ranges: [{ range, exclude: [] }],
  concurrency: 64,
  ratePerS: 2_000,
};
const options = {
  port: agentPort,
  timeoutMs: 2_000,
  retries: 2,
  credentials: [{ version: '2c' as const, community: 'public' }],
  users: [],
};

let simulator: NodeProcess | undefined;
try {
  simulator = startSimulatorProcess(configPath, traps.address().port);
  await waitUntil('the simulated agents to start', () => coldStarts >= DEVICES, {
    timeoutMs: 300_000,
    intervalMs: 200,
  });
  const cpuBefore = { discovery: process.cpuUsage(), simulator: await simulator.cpuSeconds() };
  const started = performance.now();
  const outcome = await runDiscovery({
    discovery,
    probe: (address) => probeAddress(address, options),
    now: () => performance.now(),
    sleep: (ms) => sleep(ms),
  });
  const elapsedS = (performance.now() - started) / 1000;
  const discoveryCpu = process.cpuUsage(cpuBefore.discovery);
  const simulatorCpuS = (await simulator.cpuSeconds()) - cpuBefore.simulator;
  const found = outcome.topology.devices.length;
  const confirmed = outcome.topology.links.filter((l) => l.confirmed).length;
  if (found !== DEVICES || confirmed !== links.length) {
    throw new Error(
      `found ${String(found)} of ${String(DEVICES)} devices and ${String(confirmed)} of ${String(links.length)} links`,
    );
  }
  const addresses = blocks * 256;
  await writeResult({
    name: 'discovery',
    title: 'Discovery',
    figures: [
      {
        label: `${DEVICES.toLocaleString('en-US')} devices and their links discovered from one seed range`,
        value: elapsedS,
        unit: 's',
        target: `≤ ${String(TARGET_S)} s on two cores`,
        met: elapsedS <= TARGET_S,
      },
      { label: 'addresses probed', value: addresses, unit: 'addresses' },
      { label: 'links found, confirmed from both ends', value: confirmed, unit: 'links' },
      {
        label: 'discovery CPU (this process)',
        value: (discoveryCpu.user + discoveryCpu.system) / 1e6,
        unit: 's',
      },
      { label: 'simulated agents CPU', value: simulatorCpuS, unit: 's' },
    ],
    notes: [
      machineLoad,
      `${DEVICES.toLocaleString('en-US')} simulated devices × 4 interfaces in a tree (${links.length.toLocaleString('en-US')} links), each a net-snmp agent of the simulator (one process) on its own loopback address, serving LLDP-MIB for its cables. Discovery probes ${range} (${addresses.toLocaleString('en-US')} addresses, the others silent) with one v2c community, ${String(discovery.concurrency)} addresses at once, at most ${String(discovery.ratePerS)} started per second, timeout ${String(options.timeoutMs)} ms × ${String(options.retries + 1)} tries; each device costs a GET of the system group, 12 column walks (ifTable, ifXTable, lldpLocPortTable, lldpRemTable) and a GET of lldpLocChassisId.`,
      'Counted from the first probe until every device and link was found and joined; the addresses with no agent (.0 and .251–.255 of each /24) wait out their timeouts inside that time.',
    ],
  });
} finally {
  await simulator?.stop();
  traps.close();
  await rm(configDir, { recursive: true, force: true });
}
