// Trap ingest: the highest rate at which real v2c trap packets (captured from Net-SNMP's
// `snmptrap`) go into the BullMQ events queues (`events-p<n>`) with zero loss, the loss at twice
// that rate, and Net-SNMP's `snmptrapd` logging the same packets in the same run.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { EVENT_BATCH_DEFAULTS, createCollector } from '@faultline/collector';
import { eventsPartitionQueue, type ComponentMetric } from '@faultline/shared';
import type { TrapPacket, TrapStormResult } from '@faultline/simulator';
import { createBenchRuntime, exampleConfig, machineLoadNote } from './bench-system.js';
import { waitUntil } from './bench-support.js';
import { captureLinkDownTrap } from './captured-trap.js';
import { smallScale, writeResult } from './result.js';
import { sendStorms } from './storm-sender.js';
import { freeUdpPort } from '../support/ports.js';

const TARGET_RATE = 50_000;
/** How long each rate is held. */
const STEP_S = smallScale ? 0.5 : 5;
const FAULTLINE_RATES = smallScale
  ? [5_000, 10_000]
  : [
      5_000, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000, 70_000, 80_000, 100_000, 120_000,
      140_000,
    ];
const SNMPTRAPD_RATES = smallScale
  ? [5_000]
  : [2_000, 5_000, 10_000, 15_000, 20_000, 25_000, 30_000, 40_000, 50_000];
/** access-1 in the example network: its linkDown of ge-0/0/1 (ifIndex 1). */
const SOURCE = '127.0.1.21';
const IF_INDEX = 1;

/** One rate held for a while: what was sent, what the sender achieved, what arrived. */
interface Step {
  readonly ratePerS: number;
  readonly sent: number;
  readonly achievedPerS: number;
  readonly taken: number;
  readonly behindMs: number;
}

const lost = (step: Step): number => step.sent - step.taken;

async function send(
  target: number,
  packet: TrapPacket,
  ratePerS: number,
): Promise<TrapStormResult> {
  const [result] = await sendStorms({
    target: { host: '127.0.0.1', port: target },
    storms: [
      {
        sourceAddress: SOURCE,
        packetHex: Buffer.from(packet.bytes).toString('hex'),
        requestIdOffset: packet.requestIdOffset,
        ratePerS,
        count: Math.round(ratePerS * STEP_S),
        sockets: 4,
      },
    ],
  });
  if (result === undefined) throw new Error('the storm sender returned no result');
  return result;
}

/** Waits until `count` stops moving for half a second; returns its last value. */
async function settled(
  count: () => Promise<number>,
): Promise<{ count: number; lastChangeMs: number }> {
  let last = -1;
  let sinceMs = performance.now();
  await waitUntil('the count to settle', async () => {
    const now = await count();
    if (now === last) return performance.now() - sinceMs >= 500;
    last = now;
    sinceMs = performance.now();
    return false;
  });
  return { count: last, lastChangeMs: sinceMs };
}

/** How far behind the sender the receiver may finish and still be keeping up with the rate. */
const KEPT_UP_MS = 1000;

/**
 * Steps up through the rates, `STEP_S` each, until one loses traps; returns every step run.
 * `taken` counts what the receiver took in during one step; `behindMs` is how long after the
 * last send it took its last one (a backlog it had to work off).
 */
async function ladder(
  rates: readonly number[],
  sendAt: (ratePerS: number) => Promise<TrapStormResult>,
  taken: () => Promise<number>,
  afterStep: () => Promise<void> = () => Promise.resolve(),
): Promise<Step[]> {
  const steps: Step[] = [];
  for (const ratePerS of rates) {
    const before = await taken();
    const result = await sendAt(ratePerS);
    const sentAtMs = performance.now();
    const after = await settled(taken);
    const step: Step = {
      ratePerS,
      sent: result.sent,
      achievedPerS: Math.round((result.sent * 1000) / Math.max(1, result.elapsedMs)),
      taken: after.count - before,
      behindMs: Math.max(0, Math.round(after.lastChangeMs - sentAtMs)),
    };
    steps.push(step);
    process.stdout.write(`  ${JSON.stringify(step)}\n`);
    await afterStep();
    if (lost(step) > 0) break;
  }
  return steps;
}

/** The largest zero-loss burst: every trap of a `STEP_S` step taken, however long it took. */
function largestBurst(steps: readonly Step[]): Step | undefined {
  return steps.filter((step) => lost(step) === 0).at(-1);
}

/** The highest sustained rate: zero loss, and done within KEPT_UP_MS of the last send. */
function sustained(steps: readonly Step[]): Step | undefined {
  return steps.filter((step) => lost(step) === 0 && step.behindMs <= KEPT_UP_MS).at(-1);
}

const metricOf = (metrics: readonly ComponentMetric[], name: string): number =>
  metrics.find((m) => m.name === `faultline_collector_${name}`)?.value ?? 0;

/** Net-SNMP's trap daemon logging every trap to a file (two lines per v2c trap). */
async function startSnmptrapd(): Promise<{
  port: number;
  logged: () => Promise<number>;
  stop(): Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'faultline-snmptrapd-'));
  const conf = join(dir, 'snmptrapd.conf');
  const log = join(dir, 'traps.log');
  await writeFile(conf, 'disableAuthorization yes\n');
  const port = await freeUdpPort();
  const child = spawn(
    'snmptrapd',
    ['-f', '-n', '-C', '-c', conf, '-Lf', log, '-m', '', '-M', '/dev/null'].concat(
      `udp:127.0.0.1:${String(port)}`,
    ),
    { env: { ...process.env, SNMP_PERSISTENT_DIR: dir }, stdio: 'ignore' },
  );
  const text = () => readFile(log, 'utf8').catch(() => '');
  await waitUntil('snmptrapd to start', async () => (await text()).includes('NET-SNMP version'), {
    timeoutMs: 10_000,
  });
  return {
    port,
    // Each trap starts with a line "YYYY-MM-DD hh:mm:ss <transport>…"; its varbinds follow on one line.
    logged: async () => (await text()).match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d /gm)?.length ?? 0,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const machineLoad = machineLoadNote();
const packet = await captureLinkDownTrap('public', IF_INDEX);
const { runtime, drop } = await createBenchRuntime(await exampleConfig(), { trapPort: 0 });
const collector = createCollector({ runtime, schedulePolls: false });
// The collector writes each event to its partition's queue.
const queues = Array.from(
  { length: runtime.config.correlation.partitions },
  (_, partition) =>
    new Queue(eventsPartitionQueue(partition), {
      connection: { url: runtime.settings.redisUrl },
      prefix: runtime.settings.prefix,
    }),
);
const trapd = await startSnmptrapd();
try {
  await collector.start();
  const port = collector.trapAddress()?.port;
  if (port === undefined) throw new Error('the collector does not listen for traps');
  const enqueued = () => Promise.resolve(metricOf(collector.metrics(), 'events_enqueued_total'));
  const sendToCollector = (ratePerS: number) => send(port, packet, ratePerS);
  // Each step's jobs are checked against Redis, then removed so the queue does not grow for ever.
  const jobsMatch: boolean[] = [];
  let batchesBefore = 0;
  const checkAndEmptyQueue = async (): Promise<void> => {
    const batches = metricOf(collector.metrics(), 'event_batches_total');
    const waiting = await Promise.all(queues.map((queue) => queue.getWaitingCount()));
    jobsMatch.push(waiting.reduce((sum, n) => sum + n, 0) === batches - batchesBefore);
    batchesBefore = batches;
    for (const queue of queues) await queue.obliterate({ force: true });
  };
  process.stdout.write('faultline collector:\n');
  const steps = await ladder(FAULTLINE_RATES, sendToCollector, enqueued, checkAndEmptyQueue);
  const best = sustained(steps);
  const burst = largestBurst(steps);
  const doubleRate = 2 * (best?.ratePerS ?? FAULTLINE_RATES[0] ?? TARGET_RATE);
  const [double] = await ladder([doubleRate], sendToCollector, enqueued, checkAndEmptyQueue);
  const received = metricOf(collector.metrics(), 'traps_received_total');
  const decoded = metricOf(collector.metrics(), 'traps_decoded_total');
  const dropped = metricOf(collector.metrics(), 'traps_dropped_total');

  process.stdout.write('snmptrapd:\n');
  const trapdSteps = await ladder(
    SNMPTRAPD_RATES,
    (ratePerS) => send(trapd.port, packet, ratePerS),
    trapd.logged,
  );
  const trapdBest = sustained(trapdSteps);
  const faultlineRate = best?.achievedPerS ?? 0;
  const trapdRate = trapdBest?.achievedPerS ?? 0;
  const lossAtDouble = double === undefined ? 0 : lost(double) / Math.max(1, double.sent);

  await writeResult({
    name: 'trap-ingest',
    title: 'Trap ingest',
    figures: [
      {
        label: `sustained rate into the events queue with zero loss (done within ${String(KEPT_UP_MS / 1000)} s of the last send)`,
        value: faultlineRate,
        unit: 'traps/s',
        target: '≥ 50,000 traps/s',
        met: faultlineRate >= TARGET_RATE,
      },
      {
        label: `largest ${String(STEP_S)} s burst taken with zero loss (worked off within ${((burst?.behindMs ?? 0) / 1000).toFixed(1)} s)`,
        value: burst?.achievedPerS ?? 0,
        unit: 'traps/s',
      },
      {
        label: `loss at twice that rate (${String(double?.achievedPerS ?? doubleRate)} traps/s sent)`,
        value: 100 * lossAtDouble,
        unit: '%',
      },
      {
        label: 'Net-SNMP snmptrapd logging the same packets, zero loss',
        value: trapdRate,
        unit: 'traps/s',
      },
      {
        label: 'Faultline / snmptrapd',
        value: trapdRate === 0 ? 0 : faultlineRate / trapdRate,
        unit: '×',
      },
    ],
    notes: [
      `Packets: one linkDown with the three IF-MIB varbinds, captured from Debian's \`snmptrap\` (${String(packet.bytes.length)} bytes), its request-id varied per send; sent from ${SOURCE} (access-1 of the example network) over loopback by the simulator's storm sender in a child process (4 sockets), ${String(STEP_S)} s per rate, rates stepped up until one lost traps.`,
      `Counted: traps sent versus events the collector wrote to the partitions' queues (its own \`events_enqueued_total\`, in jobs of up to ${EVENT_BATCH_DEFAULTS.maxBatchEvents.toLocaleString('en-US')} events); after each step the number of jobs waiting in Redis was checked against the collector's batch count (${jobsMatch.every(Boolean) ? 'equal at every step' : '**not equal at some step**'}) and the queue emptied. Over the run the receiver counted ${String(received)} datagrams, ${String(decoded)} decoded, ${String(dropped)} dropped because more than ${EVENT_BATCH_DEFAULTS.maxPendingEvents.toLocaleString('en-US')} events were already waiting for Redis.`,
      `The rate shown is what the sender achieved (sent / elapsed), not what it was asked for. snmptrapd ran as \`snmptrapd -f -n -C -c <disableAuthorization yes> -Lf <file> -m '' -M /dev/null\` (no MIBs to translate, its best case); its count is the trap header lines in the log.`,
      `Sender, receiver, Redis and snmptrapd share the 2 cores. A thread of the collector's does nothing but read the trap socket and hand datagrams over, so the kernel's buffer does not overflow while the main loop decodes; what it has handed over waits in memory (at most 200,000 datagrams, past which it drops and counts them). Decoding is one event loop: per trap (profiled with --cpu-prof) net-snmp BER decoding is about a fifth of its CPU, building the event (MIB names, templates), serializing it into its batch job and garbage collection the rest; Redis is reached once per 2,000 events. A step is sustained when every trap is taken and the last within ${String(KEPT_UP_MS / 1000)} s of the last send; a larger step that loses nothing was absorbed by the backlog and worked off afterwards.`,
      machineLoad,
    ],
  });
} finally {
  await trapd.stop();
  await collector.stop();
  await Promise.all(queues.map((queue) => queue.close()));
  await drop();
}
