import {
  diffTopology,
  effectiveTopology,
  type Config,
  type DiscoveryProgressRecord,
  type DiscoveryRunRecord,
  type Logger,
  type PlainTopology,
} from '@faultline/shared';
import {
  linkedPorts,
  topologyChangeEvents,
  topologyChangedKey,
} from '../core/topology-change-events.js';
import type { ProbeResult } from '../adapters/snmp-discovery.js';
import type { EventSink, OpenAlarmReader } from '../ports.js';
import { runDiscovery } from './discovery-run.js';

/** Where runs, their progress and the approved topology are kept (Redis). */
export interface DiscoveryStore {
  saveProgress(progress: DiscoveryProgressRecord): Promise<void>;
  saveRun(run: DiscoveryRunRecord): Promise<void>;
  /** The topology approved last, if any. */
  approved(): Promise<PlainTopology | undefined>;
}

export interface DiscoveryServiceDeps {
  readonly config: Pick<Config, 'discovery' | 'devices' | 'links'>;
  readonly probe: (address: string) => Promise<ProbeResult>;
  readonly store: DiscoveryStore;
  readonly sink: EventSink;
  readonly openAlarms: OpenAlarmReader;
  readonly clock: () => number;
  readonly newId: () => string;
  readonly sleep: (ms: number) => Promise<void>;
  readonly logger: Logger;
}

/** Runs discovery and turns what moved into alarms. */
export interface DiscoveryService {
  run(runId: string, trigger: DiscoveryProgressRecord['trigger']): Promise<DiscoveryRunRecord>;
}

/** Progress is saved at most this often while a run goes (and always at its end). */
const PROGRESS_EVERY_MS = 500;

/**
 * One run: probe the configured ranges (saving progress as it goes), keep the run, then compare
 * what was found with the topology in use (the approved one beside the YAML) and raise a
 * "topology changed" alarm on every port whose cable moved, clearing those that are back.
 */
export function createDiscoveryService(deps: DiscoveryServiceDeps): DiscoveryService {
  const { config, store, clock, logger } = deps;
  const discovery = config.discovery;
  const knownDevices = new Set(config.devices.map((d) => d.name));
  return {
    async run(runId, trigger) {
      if (discovery === undefined) throw new Error('discovery is not configured');
      const startedAt = new Date(clock()).toISOString();
      let latest: DiscoveryProgressRecord = {
        runId,
        trigger,
        startedAt,
        finishedAt: null,
        total: 0,
        probed: 0,
        found: 0,
        failed: 0,
      };
      let savedAtMs = 0;
      const save = (): void => {
        savedAtMs = clock();
        store.saveProgress(latest).catch((error: unknown) => {
          logger.warn({ err: error }, 'discovery progress not saved');
        });
      };
      logger.info({ runId, trigger }, 'discovery run started');
      const outcome = await runDiscovery({
        discovery,
        probe: deps.probe,
        now: clock,
        sleep: deps.sleep,
        onProgress: (progress) => {
          latest = { ...latest, ...progress };
          if (clock() - savedAtMs >= PROGRESS_EVERY_MS) save();
        },
      });
      latest = { ...latest, finishedAt: new Date(clock()).toISOString() };
      const record: DiscoveryRunRecord = {
        progress: latest,
        devices: outcome.topology.devices.map(({ chassisId, interfaces, ...device }) => ({
          ...device,
          interfaces: [...interfaces],
          ...(chassisId === undefined ? {} : { chassisId }),
        })),
        links: [...outcome.topology.links],
        unresolved: [...outcome.unresolved],
        failures: [...outcome.failures],
      };
      await store.saveProgress(latest);
      await store.saveRun(record);
      const inUse = effectiveTopology(
        { devices: [...knownDevices], links: config.links },
        await store.approved(),
      );
      const changes = diffTopology(inUse, outcome.topology);
      const open = await deps.openAlarms.read(linkedPorts(inUse).map(topologyChangedKey));
      const events = topologyChangeEvents({
        changes,
        inUse,
        openKeys: new Set(open.keys()),
        deviceKnown: (device) => knownDevices.has(device),
        timeMs: clock(),
        newId: deps.newId,
      });
      for (const event of events) {
        if (!deps.sink.enqueue(event)) logger.warn({ key: event.reductionKey }, 'event dropped');
      }
      logger.info(
        {
          runId,
          devices: record.devices.length,
          links: record.links.length,
          changes: changes.length,
          events: events.length,
        },
        'discovery run finished',
      );
      return record;
    },
  };
}
