import { Queue } from 'bullmq';
import { vi } from 'vitest';
import { createCollector, type Collector } from '@faultline/collector';
import {
  EVENT_BATCH_JOB,
  eventsPartitionQueue,
  createLogger,
  parseConfig,
  type EventBatch,
  type FaultEvent,
} from '@faultline/shared';
import { testSettings } from '../support/services.js';

/** A running collector listening for traps on a free port of 127.0.0.1, and its events queues. */
export interface TrapCollector {
  readonly collector: Collector;
  /** The trap receiver's port. */
  readonly port: number;
  /** `127.0.0.1:<port>`, as snmptrap takes it. */
  readonly target: string;
  /** Every event queued so far. */
  readonly events: () => Promise<FaultEvent[]>;
  /** The first queued event that matches, waited for up to 10 s. */
  readonly eventWhere: (predicate: (event: FaultEvent) => boolean) => Promise<FaultEvent>;
  /** A collector metric by its name without `faultline_collector_` (NaN when there is none). */
  readonly counter: (name: string) => number;
  /** Stops the collector and removes its queues. */
  stop(): Promise<void>;
}

/** Starts a collector with the given YAML config, a unique prefix and no scheduled polls. */
export async function startTrapCollector(configYaml: string): Promise<TrapCollector> {
  const settings = testSettings({ trapHost: '127.0.0.1', trapPort: 0 });
  const config = parseConfig(configYaml);
  if (!config.ok) throw new Error(`invalid test config: ${JSON.stringify(config.problems)}`);
  const collector = createCollector({
    runtime: { settings, config: config.value, logger: createLogger({ level: 'silent' }) },
    schedulePolls: false,
  });
  await collector.start();
  const address = collector.trapAddress();
  if (address === undefined) throw new Error('trap receiver has no address');
  // The collector routes each event to its partition's queue.
  const queues = Array.from(
    { length: config.value.correlation.partitions },
    (_, partition) =>
      new Queue<EventBatch>(eventsPartitionQueue(partition), {
        connection: { url: settings.redisUrl },
        prefix: settings.prefix,
      }),
  );
  const events = async (): Promise<FaultEvent[]> => {
    const found: FaultEvent[] = [];
    for (const queue of queues) {
      const jobs = await queue.getJobs(['waiting', 'prioritized', 'delayed']);
      const other = jobs.find((job) => job.name !== EVENT_BATCH_JOB);
      if (other !== undefined) throw new Error(`unexpected job ${other.name} in an events queue`);
      found.push(...jobs.flatMap((job) => job.data.events));
    }
    return found;
  };
  return {
    collector,
    port: address.port,
    target: `127.0.0.1:${String(address.port)}`,
    events,
    eventWhere: (predicate) =>
      vi.waitFor(
        async () => {
          const found = (await events()).find(predicate);
          if (!found) throw new Error('event not queued yet');
          return found;
        },
        { timeout: 10_000, interval: 50 },
      ),
    counter: (name) =>
      collector.metrics().find((m) => m.name === `faultline_collector_${name}`)?.value ?? NaN,
    async stop() {
      await collector.stop();
      for (const queue of queues) {
        await queue.obliterate({ force: true });
        await queue.close();
      }
    },
  };
}
