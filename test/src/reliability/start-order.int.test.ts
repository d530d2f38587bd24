import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freeUdpPort } from '../collector/snmp-tools.js';
import {
  createPrivateInfluxd,
  createPrivateMosquitto,
  createPrivatePostgres,
  createPrivateRedis,
  freeTcpPort,
  type PrivateService,
} from '../support/private-services.js';
import { uniqueName } from '../support/services.js';
import { EXAMPLE_CONFIG } from './fault-world.js';

/** Each part's own process entry, as a scaled-out deployment runs them. */
const PARTS = ['correlator', 'collector', 'billing-bridge', 'api'] as const;
type Part = (typeof PARTS)[number];

/** One JSON log line, as far as this test reads it. */
interface LogLine {
  readonly msg: string;
  readonly server?: string;
  readonly component?: string;
}

describe('every part started as its own process before its servers', () => {
  const servers: PrivateService[] = [];
  const children = new Map<Part, { child: ChildProcess; logs: LogLine[] }>();

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
    for (const part of PARTS) {
      const main = fileURLToPath(new URL(`../../../${part}/dist/main.js`, import.meta.url));
      const child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'ignore'] });
      const logs: LogLine[] = [];
      let rest = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) {
          try {
            logs.push(JSON.parse(line) as LogLine);
          } catch {
            logs.push({ msg: line });
          }
        }
      });
      children.set(part, { child, logs });
    }
  }, 60_000);

  afterAll(async () => {
    for (const { child } of children.values()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    for (const server of servers) await server.destroy();
  });

  /** Waits until every given part logged a line matching, none having exited. */
  async function allLogged(parts: readonly Part[], match: (line: LogLine) => boolean) {
    await vi.waitFor(
      () => {
        for (const part of parts) {
          const running = children.get(part);
          expect(running?.child.exitCode, `${part} exited`).toBe(null);
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
