import http from 'node:http';
import { Writable } from 'node:stream';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger, parseConfig, startAll, type Runtime } from '@faultline/shared';
import { createSystem } from '@faultline/system';
import { authPrivArgs, snmptrap } from '../collector/snmp-tools.js';
import { configWithSecrets } from '../support/secret-config.js';
import {
  createInfluxDatabase,
  createTestDatabase,
  testSettings,
  type TestDatabase,
  EVENTUALLY,
} from '../support/services.js';
import { freeTcpPort, freeUdpPort } from '../support/ports.js';

/**
 * The whole system runs with every kind of secret configured (SNMP community, v3 keys, api
 * tokens, the admin token, an InfluxDB token, an MQTT password, webhook URLs with a key) and is fed the traffic that
 * makes it log: good and refused traps, good and refused tokens, a token in a URL, an incident
 * pushed to a webhook. Everything it logged at trace level, every api answer and every webhook
 * body is then searched for each secret, and for the wrong ones that were tried.
 */

const SECRETS = {
  community: 'leak-community-7f3a9c',
  authKey: 'leak-auth-key-9c1d2e',
  privKey: 'leak-priv-key-2b8e4f',
  viewerToken: 'leak-viewer-token-5d6e7f80',
  adminToken: 'leak-admin-token-1a2b3c4d',
  influxToken: 'leak-influx-token-0e9d8c',
  webhookKey: 'leak-webhook-key-3c4d5e',
  bssKey: 'leak-bss-key-6f7a8b',
  mqttPassword: 'leak-mqtt-password-9a0b1c',
  // Wrong credentials tried by a sender or a caller: no less secret (often a near miss).
  triedCommunity: 'leak-tried-community-11aa',
  triedAuthKey: 'leak-tried-auth-key-22bb',
  triedToken: 'leak-tried-token-33cc44dd',
};

const LINK_DOWN = '1.3.6.1.6.3.1.1.5.3';
const IF_INDEX = '1.3.6.1.2.1.2.2.1.1';

/** A webhook target on loopback that keeps every request it gets. */
async function webhookTarget(): Promise<{
  port: number;
  requests: { url: string; body: string }[];
  close(): Promise<void>;
}> {
  const requests: { url: string; body: string }[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      requests.push({ url: request.url ?? '', body });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no webhook port');
  return {
    port: address.port,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

describe('secrets never leave the system', () => {
  const logged: string[] = [];
  const answers: string[] = [];
  let database: TestDatabase;
  let dropInflux: () => Promise<void>;
  let hooks: Awaited<ReturnType<typeof webhookTarget>>;
  let stopAll: () => Promise<boolean>;
  let trapTarget: string;
  let baseUrl: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const influx = await createInfluxDatabase();
    dropInflux = () => influx.drop();
    hooks = await webhookTarget();
    const config = parseConfig(
      configWithSecrets(
        {
          influxDatabase: influx.name,
          community: SECRETS.community,
          authKey: SECRETS.authKey,
          privKey: SECRETS.privKey,
          token: { name: 'wall', role: 'viewer', value: SECRETS.viewerToken },
          webhookBase: `http://127.0.0.1:${String(hooks.port)}`,
          webhookKey: SECRETS.webhookKey,
          bssKey: SECRETS.bssKey,
        },
        `  - name: edge-1
    address: 127.0.0.5
    snmp: { version: 2c, community: ${SECRETS.community}, port: ${String(await freeUdpPort())} }
    interfaces:
      - { ifIndex: 3, name: ge-0/0/3, speedMbps: 1000 }
  - name: edge-2
    address: 127.0.0.6
    snmp: { version: '3', user: alice, port: ${String(await freeUdpPort())} }`,
      ),
    );
    if (!config.ok) throw new Error(JSON.stringify(config.problems));
    const trapPort = await freeUdpPort();
    const httpPort = await freeTcpPort();
    trapTarget = `127.0.0.1:${String(trapPort)}`;
    baseUrl = `http://127.0.0.1:${String(httpPort)}`;
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged.push(chunk.toString());
        done();
      },
    });
    const runtime: Runtime = {
      settings: testSettings({
        databaseUrl: database.url,
        trapPort,
        httpPort,
        adminToken: SECRETS.adminToken,
        influxToken: SECRETS.influxToken,
        // The shared broker lets anyone in; the password still travels through the settings.
        mqttUrl: `mqtt://faultline:${SECRETS.mqttPassword}@127.0.0.1:1883`,
        logLevel: 'trace',
      }),
      config: config.value,
      logger: createLogger({ level: 'trace', destination }),
    };
    stopAll = await startAll(
      createSystem(runtime, { simulate: false, faultIntervalMs: 0 }),
      runtime.logger,
    );
  });

  afterAll(async () => {
    await stopAll();
    await hooks.close();
    await database.drop();
    await dropInflux();
  });

  /** Calls the api and keeps the answer, headers and body, for the search. */
  async function call(path: string, token?: string): Promise<number> {
    const response = await fetch(`${baseUrl}${path}`, {
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });
    answers.push(JSON.stringify([...response.headers]), await response.text());
    return response.status;
  }

  it('logs, answers and pushes no secret while it works and refuses', async () => {
    const v2c = (community: string, from: string) =>
      snmptrap([
        '-v',
        '2c',
        '-c',
        community,
        `--clientaddr=${from}`,
        trapTarget,
        '',
        LINK_DOWN,
        `${IF_INDEX}.3`,
        'i',
        '3',
      ]);
    const v3 = (authKey: string) =>
      snmptrap([
        ...authPrivArgs('alice', authKey, SECRETS.privKey),
        '--clientaddr=127.0.0.6',
        trapTarget,
        '',
        LINK_DOWN,
      ]);
    await v2c(SECRETS.community, '127.0.0.5');
    await v2c(SECRETS.triedCommunity, '127.0.0.7');
    await v3(SECRETS.authKey);
    await v3(SECRETS.triedAuthKey);

    expect(await call('/api/devices', SECRETS.viewerToken)).toBe(200);
    expect(await call('/api/alarms?state=all', SECRETS.adminToken)).toBe(200);
    expect(await call('/api/openapi.json', SECRETS.adminToken)).toBe(200);
    expect(await call('/api/session', SECRETS.adminToken)).toBe(200);
    expect(await call('/api/alarms', SECRETS.triedToken)).toBe(401);
    // A wall display signs in this way; the page is the dashboard when it is built, else a 404.
    await call(`/?token=${SECRETS.adminToken}`);
    expect(await call(`/api/alarms?token=${SECRETS.viewerToken}`)).toBe(401);
    expect(await call('/metrics')).toBe(401);
    expect(await call('/metrics', SECRETS.adminToken)).toBe(200);

    for (const token of [SECRETS.adminToken, SECRETS.triedToken]) {
      const socket = io(baseUrl, {
        auth: { token },
        transports: ['websocket'],
        reconnection: false,
      });
      await new Promise<void>((resolve) => {
        socket.once('connect', resolve);
        socket.once('connect_error', () => {
          resolve();
        });
      });
      socket.disconnect();
    }

    // The incident of the accepted linkDown reached the webhook: pushes ran through the logs too.
    await vi.waitFor(
      () => {
        expect(hooks.requests.filter((r) => r.url.startsWith('/hook?'))).not.toHaveLength(0);
      },
      { timeout: 30_000, interval: 100 },
    );
    await vi.waitFor(() => {
      const text = logged.join('');
      expect(text).toContain('"reason":"unknown community"');
      expect(text).toContain('"reason":"wrong authentication key"');
    }, EVENTUALLY);

    const searched = {
      logs: logged.join(''),
      answers: answers.join('\n'),
      pushes: hooks.requests.map((r) => r.body).join('\n'),
    };
    for (const [where, text] of Object.entries(searched)) {
      for (const [name, secret] of Object.entries(SECRETS)) {
        expect(text.includes(secret), `${name} in ${where}`).toBe(false);
      }
    }
  });
});
