import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createPrivateInfluxd,
  createPrivateMosquitto,
  createPrivatePostgres,
  createPrivateRedis,
  type PrivateService,
} from '../support/private-services.js';
import { uniqueName } from '../support/services.js';
import { EXAMPLE_CONFIG, startPart, type LogLine, type PartProcess } from './fault-world.js';
import { freeTcpPort, freeUdpPort } from '../support/ports.js';

/** Each part's own process entry, as a scaled-out deployment runs them. */
const PARTS = ['correlator', 'collector', 'billing-bridge', 'api'] as const;
type Part = (typeof PARTS)[number];

describe('every part started as its own process before its servers', () => {
  const servers: PrivateService[] = [];
  const children = new Map<Part, PartProcess>();

  beforeAll(async () => {
    const [redis, mosquitto, postgres, influxd] = [
      await createPrivateRedis({ appendOnly: false }),
      await createPrivateMosquitto(),
      await createPrivatePostgres(),
      await createPrivateInfluxd(),
    ];
    servers.push(postgres, redis, mosquitto, influxd);
    const httpPort = await freeTcpPort();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      FAULTLINE_CONFIG: EXAMPLE_CONFIG,
      FAULTLINE_PREFIX: uniqueName('order'),
      FAULTLINE_HTTP_PORT: String(httpPort),
      FAULTLINE_TRAP_HOST: '127.0.0.1',
      FAULTLINE_TRAP_PORT: String(await freeUdpPort()),
      REDIS_URL: redis.url,
      MQTT_URL: mosquitto.url,
      INFLUX_URL: influxd.url,
      DATABASE_URL: postgres.url,
      LOG_LEVEL: 'info',
    };
    for (const part of PARTS) children.set(part, await startPart(part, env));
  }, 60_000);

  afterAll(async () => {
    for (const running of children.values()) await running.stop();
    for (const server of servers) await server.destroy();
  });

  /** Waits until every given part logged a line matching, none having exited. */
  async function allLogged(parts: readonly Part[], match: (line: LogLine) => boolean) {
    await vi.waitFor(
      () => {
        for (const part of parts) {
          const running = children.get(part);
          expect(running?.running(), `${part} exited`).toBe(true);
          expect(running?.logs.some(match), `${part} has not logged it`).toBe(true);
        }
      },
      { timeout: 40_000, interval: 100 },
    );
  }

  it('each waits for its servers, connects once they are up, and none exits', async () => {
    const [postgres, redis, mosquitto, influxd] = servers;
    if (postgres === undefined || redis === undefined || mosquitto === undefined) {
      throw new Error('servers not created');
    }
    await allLogged(
      ['correlator', 'billing-bridge', 'api'],
      (line) => line.server === 'PostgreSQL',
    );
    await postgres.start();
    // The api now waits for Redis.
    await allLogged(['api'], (line) => line.server === 'Redis');
    await redis.start();
    await mosquitto.start();
    await influxd?.start();
    await allLogged(PARTS, (line) => line.msg === 'component started');
  });
});
