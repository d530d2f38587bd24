import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import {
  instanceTelemetryFilter,
  redisOptions,
  type Component,
  type Runtime,
} from '@faultline/shared';
import { createDeadLetterStore, telemetryDeadLetterKey } from './adapters/dead-letter-store.js';
import { createEventQueue, type EventQueue } from './adapters/event-queue.js';
import { createOpenAlarmsRedis } from './adapters/open-alarms-redis.js';
import { createInfluxWriter, type InfluxWriter } from './adapters/influx-writer.js';
import { createSnmpPoller, type SnmpPoller } from './adapters/snmp-poller.js';
import { loadMibs, type LoadedMibs } from './adapters/mib-loader.js';
import { usersWithoutCipher } from './adapters/snmp-users.js';
import { createTrapReceiver, type TrapReceiver } from './adapters/trap-receiver.js';
import {
  createMqttSubscriber,
  subscriptionFilter,
  type MqttSubscriber,
} from './adapters/mqtt-subscriber.js';
import type { ComponentMetric } from '@faultline/shared';
import { collectorMetrics } from './collector-metrics.js';
import type { DiscoveryWorker } from './adapters/discovery-worker.js';
import { startDiscovery } from './discovery.js';
import { createPollPipeline, type PollPipeline } from './app/poll-pipeline.js';
import { createTelemetryPipeline, type TelemetryPipeline } from './app/telemetry-pipeline.js';
import {
  createAuthFailurePipeline,
  type AuthFailurePipeline,
} from './app/auth-failure-pipeline.js';
import {
  createReachabilityPipeline,
  type ReachabilityPipeline,
} from './app/reachability-pipeline.js';
import { createThresholdPipeline, type ThresholdPipeline } from './app/threshold-pipeline.js';
import { createTrapPipeline } from './app/trap-pipeline.js';
import { createPollSharing, type PollSharing } from './app/poll-sharing.js';
import { createPollOwnersRedis } from './adapters/poll-owners-redis.js';
import { createInfluxLossReporter, type InfluxLossReporter } from './app/influx-loss-reporter.js';
import { createLinkReconciliation, type LinkReconciliation } from './app/link-reconciliation.js';
import { mergeEventDefinitions } from './core/event-definitions.js';
import type { DevicePoll } from './core/interface-points.js';
import { createInventory } from './core/inventory.js';
import { utilizationSamples } from './core/thresholds.js';
import type { DeadLetterStore, PollOwners } from './ports.js';

/**
 * The collector component: traps to the events queue, polled counters and MQTT telemetry to
 * InfluxDB.
 */
export interface Collector extends Component {
  /**
   * The collector's counters as metrics (all zero before start): traps received, decoded,
   * malformed, unauthorized and dropped; events queued, dropped and pending; polls; counter-math
   * outcomes; InfluxDB points written and dropped.
   */
  metrics(): ComponentMetric[];
  /** Where the trap receiver listens, once started. */
  trapAddress(): AddressInfo | undefined;
  /** Polls one device now, outside its schedule, and writes its points like a scheduled poll. */
  pollNow(device: string): Promise<DevicePoll>;
}

export interface CollectorDeps {
  readonly runtime: Runtime;
  /**
   * Poll devices on their intervals (default true). With false, devices are polled only through
   * `pollNow`: tests drive polls on their own timeline that way.
   */
  readonly schedulePolls?: boolean;
  /**
   * The MQTT client id, over `telemetry.clientId` in the config (default: the collector's
   * instance id, `collectorInstanceId`). Each collector needs its own, stable across its
   * restarts: the broker keeps the session under it.
   */
  readonly telemetryClientId?: string;
}

/**
 * The id of one collector: `faultline-collector-<prefix>-<hostname>-<trap port>`. Two collectors
 * on one host cannot share a trap port, so it is unique among running collectors, and the same
 * across a collector's restarts: its MQTT session and its share of the polling are kept under it.
 */
export function collectorInstanceId(prefix: string, host: string, trapPort: number): string {
  return `faultline-collector-${prefix}-${host}-${String(trapPort)}`;
}

interface Running {
  readonly discovery?: DiscoveryWorker | undefined;
  readonly queue: EventQueue;
  readonly writer: InfluxWriter;
  readonly receiver: TrapReceiver;
  readonly poller: SnmpPoller;
  readonly pipeline: PollPipeline;
  readonly deadLetters: DeadLetterStore;
  readonly telemetry: TelemetryPipeline;
  readonly subscriber: MqttSubscriber;
  readonly thresholds: ThresholdPipeline;
  readonly reachability: ReachabilityPipeline;
  readonly authFailures: AuthFailurePipeline;
  readonly mibs: LoadedMibs;
  readonly influxLoss: InfluxLossReporter;
  readonly linkReconciliation: LinkReconciliation;
  readonly pollOwners: PollOwners;
  readonly pollSharing: PollSharing | undefined;
}

/**
 * Builds the collector. Nothing connects until `start`: it opens the events queue and the
 * InfluxDB writer, binds the trap socket (failing start when it cannot), reads the link alarms left
 * open (verified by the first polls), then schedules the polls.
 * `stop` undoes it in reverse: polls stop, the socket closes, the batcher and the writer flush.
 */
export function createCollector(deps: CollectorDeps): Collector {
  const { settings, config } = deps.runtime;
  const logger = deps.runtime.logger.child({ component: 'collector' });
  const inventory = createInventory(config);
  const definitions = mergeEventDefinitions(config.events);
  const speedOf = new Map(
    config.devices.flatMap((device) =>
      device.interfaces.map((i) => [`${device.name}\u0000${i.name}`, i.speedMbps] as const),
    ),
  );
  let running: Running | undefined;

  const stopAll = async (parts: Partial<Running>): Promise<void> => {
    // Inputs first, so nothing arrives at a closed writer; unacknowledged telemetry is redelivered.
    await parts.subscriber?.stop();
    parts.linkReconciliation?.stop();
    await parts.poller?.stop();
    // Given up once this collector polls no more, for the others to take at once.
    await parts.pollSharing?.stop();
    await parts.pollOwners?.close();
    await parts.receiver?.stop();
    // Losses known so far go out while the queue is still open.
    parts.influxLoss?.stop();
    await parts.discovery?.close();
    await parts.queue?.close();
    await parts.writer?.close();
    await parts.deadLetters?.close();
  };

  return {
    name: 'collector',
    async start() {
      if (running) throw new Error('collector already started');
      const noCipher = usersWithoutCipher(config.snmp.users);
      if (noCipher.length > 0) {
        throw new Error(
          `SNMPv3 users ${noCipher.join(', ')} use DES, which this Node.js cannot run without --openssl-legacy-provider`,
        );
      }
      // Before anything connects: an unreadable MIB folder is a start error.
      const mibs = await loadMibs(config.snmp.mibDirs, logger.child({ part: 'mibs' }));
      const queue = createEventQueue({
        connection: redisOptions(settings),
        // Each event straight to its partition's queue, as the correlators partition them.
        partitions: config.correlation.partitions,
        waitReplicas: settings.redisWaitReplicas,
        prefix: settings.prefix,
        logger: logger.child({ part: 'event-queue' }),
      });
      const influxLoss = createInfluxLossReporter({
        sink: queue,
        clock: Date.now,
        newId: randomUUID,
        server: new URL(settings.influxUrl).host,
        database:
          config.influx.api === 'v1' ? config.influx.database : (config.influx.bucket ?? ''),
        logger: logger.child({ part: 'influx-loss' }),
      });
      const writer = createInfluxWriter({
        url: settings.influxUrl,
        token: settings.influxToken,
        influx: config.influx,
        logger: logger.child({ part: 'influx' }),
        onLoss: (lines, reason) => {
          influxLoss.lost(lines, reason);
        },
      });
      await writer.ensureDatabase();
      const thresholds = createThresholdPipeline({
        rules: config.thresholds,
        sink: queue,
        newId: randomUUID,
        logger: logger.child({ part: 'thresholds' }),
      });
      const reachability = createReachabilityPipeline({
        inventory,
        sink: queue,
        failuresToDown: config.snmp.pollFailuresToDown,
        newId: randomUUID,
        logger: logger.child({ part: 'reachability' }),
      });
      const pipeline = createPollPipeline({
        inventory,
        writer,
        logger: logger.child({ part: 'poll' }),
        onPoints: (points) => {
          thresholds.observe(
            utilizationSamples(points, (device, name) => speedOf.get(`${device}\u0000${name}`)),
          );
        },
      });
      const traps = createTrapPipeline({
        inventory,
        definitions,
        names: mibs.names,
        sink: queue,
        logger: logger.child({ part: 'traps' }),
      });
      const authFailures = createAuthFailurePipeline({
        inventory,
        sink: queue,
        clock: Date.now,
        newId: randomUUID,
        logger: logger.child({ part: 'trap-auth' }),
      });
      const receiver = createTrapReceiver({
        host: settings.trapHost,
        port: settings.trapPort,
        communities: config.snmp.communities,
        users: config.snmp.users,
        onUnauthorized: (source, reason) => {
          authFailures.handle(source, reason);
        },
        onNotification: (notification) => traps.handle(notification),
        logger: logger.child({ part: 'trap-receiver' }),
      });
      const instanceId = collectorInstanceId(settings.prefix, hostname(), settings.trapPort);
      const pollOwners = createPollOwnersRedis({
        connection: redisOptions(settings),
        prefix: settings.prefix,
        leaseMs: config.snmp.pollShareLeaseS * 1000,
        devices: config.devices.map((device) => device.name),
        onError: () => undefined,
      });
      const poller = createSnmpPoller({
        devices: config.devices,
        users: config.snmp.users,
        onPollStart: (device, timeMs) => {
          pollOwners.polled(device, timeMs).catch((error: unknown) => {
            logger.debug({ err: error, device }, 'last poll not recorded');
          });
        },
        onPoll: (poll) => {
          try {
            reachability.handle(poll.device, { kind: 'answered', poll });
            pipeline.handle(poll);
          } catch (error) {
            logger.error({ err: error, device: poll.device }, 'poll handling failed');
          }
        },
        onPollFailed: (device, timeMs, reason) => {
          try {
            reachability.handle(device, { kind: 'failed', timeMs, reason });
          } catch (error) {
            logger.error({ err: error, device }, 'poll failure handling failed');
          }
        },
        logger: logger.child({ part: 'poller' }),
      });
      try {
        await receiver.start();
      } catch (error) {
        await stopAll({ queue, writer, influxLoss, pollOwners });
        throw error;
      }
      const deadLetters = createDeadLetterStore({
        connection: redisOptions(settings),
        key: telemetryDeadLetterKey(settings.prefix),
        maxEntries: config.telemetry.deadLetterMax,
        logger: logger.child({ part: 'dead-letters' }),
      });
      const telemetry = createTelemetryPipeline({
        inventory,
        writer,
        deadLetters,
        maxPayloadBytes: config.telemetry.maxPayloadBytes,
        logger: logger.child({ part: 'telemetry' }),
        clock: Date.now,
        onPoints: (points) => {
          thresholds.observe(points.map((point) => ({ ...point, source: 'telemetry' as const })));
        },
      });
      const subscriber = createMqttSubscriber({
        url: settings.mqttUrl,
        clientId: deps.telemetryClientId ?? config.telemetry.clientId ?? instanceId,
        // The configured filters, and this instance's own topics (its simulator publishes there).
        topics: [
          ...new Set([...config.telemetry.topics, instanceTelemetryFilter(settings.prefix)]),
        ].map((topic) => subscriptionFilter(topic, config.telemetry.group)),
        qos: config.telemetry.qos,
        sessionExpiryS: config.telemetry.sessionExpiryS,
        onMessage: (topic, payload) => telemetry.handle(topic, payload),
        logger: logger.child({ part: 'mqtt' }),
      });
      await subscriber.start();
      const linkReconciliation = createLinkReconciliation({
        devices: config.devices,
        reader: createOpenAlarmsRedis({
          connection: redisOptions(settings),
          prefix: settings.prefix,
          logger: logger.child({ part: 'open-alarms' }),
        }),
        reachability,
        logger: logger.child({ part: 'link-reconciliation' }),
      });
      // Before the first poll, which verifies what it finds.
      await linkReconciliation.start();
      let pollSharing: PollSharing | undefined;
      if (deps.schedulePolls ?? true) {
        pollSharing = createPollSharing({
          owners: pollOwners,
          member: instanceId,
          poller,
          tickMs: Math.floor((config.snmp.pollShareLeaseS * 1000) / 3),
          logger: logger.child({ part: 'poll-sharing' }),
        });
        await pollSharing.start();
      }
      const discovery = startDiscovery({
        settings,
        config,
        sink: queue,
        logger: logger.child({ part: 'discovery' }),
      });
      running = {
        discovery,
        queue,
        writer,
        receiver,
        poller,
        pipeline,
        deadLetters,
        telemetry,
        subscriber,
        thresholds,
        reachability,
        authFailures,
        mibs,
        influxLoss,
        linkReconciliation,
        pollOwners,
        pollSharing,
      };
    },
    async stop() {
      const parts = running;
      running = undefined;
      if (parts) await stopAll(parts);
    },
    trapAddress: () => running?.receiver.address(),
    async pollNow(device) {
      if (!running) throw new Error('collector is not running');
      const parts = running;
      let poll: DevicePoll;
      try {
        poll = await parts.poller.pollNow(device);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (inventory.deviceByName(device) !== undefined) {
          parts.reachability.handle(device, { kind: 'failed', timeMs: Date.now(), reason });
        }
        throw error;
      }
      parts.reachability.handle(device, { kind: 'answered', poll });
      parts.pipeline.handle(poll);
      return poll;
    },
    metrics: () => collectorMetrics(running),
  };
}
