import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { redisOptions, type Config, type Logger, type RedisSettings } from '@faultline/shared';
import { createDiscoveryWorker, type DiscoveryWorker } from './adapters/discovery-worker.js';
import { createOpenAlarmsRedis } from './adapters/open-alarms-redis.js';
import { probeAddress } from './adapters/snmp-discovery.js';
import { createDiscoveryService } from './app/discovery-service.js';
import type { EventSink } from './ports.js';

/**
 * Builds discovery when the config has it: the SNMP probe with its credentials, the service that
 * runs and compares, and the worker of the `discovery` queue. Undefined without `discovery`.
 */
export function startDiscovery(deps: {
  readonly settings: RedisSettings & { readonly prefix: string };
  readonly config: Config;
  readonly sink: EventSink;
  readonly logger: Logger;
}): DiscoveryWorker | undefined {
  const { settings, config, logger } = deps;
  const discovery = config.discovery;
  if (discovery === undefined) return undefined;
  const options = {
    port: discovery.port ?? 161,
    timeoutMs: discovery.timeoutMs,
    retries: discovery.retries,
    credentials: discovery.credentials,
    users: config.snmp.users,
  };
  const worker: DiscoveryWorker = createDiscoveryWorker({
    connection: redisOptions(settings),
    prefix: settings.prefix,
    intervalS: discovery.intervalS,
    logger,
    service: () =>
      createDiscoveryService({
        config,
        probe: (address) => probeAddress(address, options),
        store: worker.store,
        sink: deps.sink,
        openAlarms: createOpenAlarmsRedis({
          connection: redisOptions(settings),
          prefix: settings.prefix,
          logger,
        }),
        clock: Date.now,
        newId: randomUUID,
        sleep: (ms) => sleep(ms),
        logger,
      }),
  });
  return worker;
}
