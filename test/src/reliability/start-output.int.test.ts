import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { configWithSecrets } from '../support/secret-config.js';
import {
  createInfluxDatabase,
  createTestDatabase,
  testSettings,
  uniqueName,
  type TestDatabase,
} from '../support/services.js';
import { freeTcpPort, freeUdpPort } from '../support/ports.js';

/**
 * What `npm start` prints: the system process (`system/dist/main.js`) started with every kind of
 * secret configured, in its file and its environment, then called with its tokens, polling a
 * device that never answers, and stopped. Its whole output, stdout and stderr, is searched for
 * every secret; it must name the dashboard's address, log no request at info, and report the
 * silent device in one line without a stack trace.
 */

const MAIN = fileURLToPath(new URL('../../../system/dist/main.js', import.meta.url));

const SECRETS = {
  adminToken: 'start-admin-token-4e5f6a7b',
  viewerToken: 'start-viewer-token-8c9d0e1f',
  configToken: 'start-config-token-2a3b4c5d',
  community: 'start-community-6e7f8a',
  authKey: 'start-auth-key-9b0c1d',
  privKey: 'start-priv-key-2e3f4a',
  influxToken: 'start-influx-token-5b6c7d',
  mqttPassword: 'start-mqtt-password-8e9f0a',
  databasePassword: 'start-database-password-1b2c3d',
  webhookKey: 'start-webhook-key-4d5e6f',
  bssKey: 'start-bss-key-7a8b9c',
};

/** A peer that receives SNMP requests and never answers them: every poll of it times out. */
async function silentAgent(): Promise<{ port: number; close(): Promise<void> }> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: socket.address().port,
    close: () =>
      new Promise((resolve) => {
        socket.close(() => {
          resolve();
        });
      }),
  };
}

describe('what the system prints when it starts, works and stops', () => {
  let dir: string;
  let database: TestDatabase;
  let dropInflux: () => Promise<void>;
  let agent: Awaited<ReturnType<typeof silentAgent>>;
  let output = '';
  let baseUrl: string;
  let exited: Promise<number | null>;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faultline-start-'));
    database = await createTestDatabase();
    const influx = await createInfluxDatabase();
    dropInflux = () => influx.drop();
    agent = await silentAgent();
    const configPath = join(dir, 'config.yaml');
    await writeFile(
      configPath,
      configWithSecrets(
        {
          influxDatabase: influx.name,
          community: SECRETS.community,
          authKey: SECRETS.authKey,
          privKey: SECRETS.privKey,
          token: { name: 'ops', role: 'engineer', value: SECRETS.configToken },
          // Nothing listens there: no incident is expected, the URLs are only carried.
          webhookBase: 'http://127.0.0.1:9',
          webhookKey: SECRETS.webhookKey,
          bssKey: SECRETS.bssKey,
        },
        `  - name: silent-1
    address: 127.0.0.1
    pollIntervalS: 5
    snmp: { version: 2c, community: ${SECRETS.community}, port: ${String(agent.port)} }
    interfaces:
      - { ifIndex: 1, name: ge-0/0/1, speedMbps: 1000 }
  - name: silent-3
    address: 127.0.0.1
    pollIntervalS: 5
    snmp: { version: '3', user: alice, port: ${String(await freeUdpPort())} }`,
      ),
    );
    const settings = testSettings();
    const httpPort = await freeTcpPort();
    baseUrl = `http://127.0.0.1:${String(httpPort)}`;
    const databaseUrl = new URL(database.url);
    // PostgreSQL here trusts loopback: the password travels and is not checked.
    databaseUrl.password = SECRETS.databasePassword;
    const child = spawn(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH,
        FAULTLINE_CONFIG: configPath,
        FAULTLINE_SIMULATE: '0',
        FAULTLINE_PREFIX: uniqueName('start'),
        FAULTLINE_HTTP_PORT: String(httpPort),
        FAULTLINE_TRAP_PORT: String(await freeUdpPort()),
        FAULTLINE_ADMIN_TOKEN: SECRETS.adminToken,
        FAULTLINE_VIEWER_TOKEN: SECRETS.viewerToken,
        INFLUX_TOKEN: SECRETS.influxToken,
        INFLUX_URL: settings.influxUrl,
        REDIS_URL: settings.redisUrl,
        // The shared broker lets anyone in; the password still travels through the settings.
        MQTT_URL: `mqtt://faultline:${SECRETS.mqttPassword}@127.0.0.1:1883`,
        DATABASE_URL: databaseUrl.toString(),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    exited = new Promise((resolve) => child.once('exit', resolve));
    stop = async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    };
  });

  afterAll(async () => {
    await stop();
    await agent.close();
    await database.drop();
    await dropInflux();
    await rm(dir, { recursive: true });
  });

  it('names the dashboard without a token, answers quietly, and logs a silent device in one line', async () => {
    await vi.waitFor(
      () => {
        expect(output).toContain('Faultline is running');
      },
      { timeout: 30_000, interval: 100 },
    );
    expect(output).toContain(`Dashboard: ${baseUrl}/ `);
    expect(output).toContain('.services/admin-token');

    const call = async (path: string, token?: string): Promise<number> => {
      const response = await fetch(`${baseUrl}${path}`, {
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      });
      await response.text();
      return response.status;
    };
    expect(await call('/api/devices', SECRETS.adminToken)).toBe(200);
    expect(await call('/api/devices', SECRETS.viewerToken)).toBe(200);
    expect(await call('/api/devices', SECRETS.configToken)).toBe(200);
    expect(await call(`/wall?token=${SECRETS.viewerToken}`)).not.toBe(500);

    // Both devices time out (one never answers, nothing listens for the other).
    await vi.waitFor(
      () => {
        const failed = output.split('\n').filter((line) => line.includes('device poll failed'));
        expect(failed).toHaveLength(2);
      },
      { timeout: 30_000, interval: 200 },
    );
    await stop();

    const lines = output.split('\n');
    for (const line of lines.filter((l) => l.includes('device poll failed'))) {
      expect(JSON.parse(line)).toMatchObject({ level: 40, reason: 'Request timed out' });
    }
    expect(output).not.toContain('"stack"');
    expect(output).not.toContain('Socket forcibly closed');
    expect(output).not.toContain('request completed');
    expect(output).toContain('component stopped');
    for (const [name, secret] of Object.entries(SECRETS)) {
      expect(output.includes(secret), `${name} in the output`).toBe(false);
    }
  });
});
