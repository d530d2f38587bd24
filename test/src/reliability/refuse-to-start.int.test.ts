import { execFile } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testSettings, type TestDatabase } from '../support/services.js';
import { freeTcpPort } from '../support/ports.js';

/**
 * The whole system (`system/dist/main.js`, as `npm start` runs it) refuses to start on bad
 * settings or config, naming every problem by its path, before it connects to anything; and when
 * a component cannot start, it stops those already started and exits instead of running half.
 */

const MAIN = fileURLToPath(new URL('../../../system/dist/main.js', import.meta.url));
const SECRET = 'community-in-a-bad-config';

/** A TCP listener standing in for every service: it counts the connections it is offered. */
interface Tripwire {
  url(scheme: string): string;
  connections(): number;
  close(): Promise<void>;
}

async function tripwire(): Promise<Tripwire> {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('tripwire has no port');
  return {
    url: (scheme) => `${scheme}://127.0.0.1:${String(address.port)}`,
    connections: () => connections,
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** Runs the system with this environment on top of the test's; resolves with how it ended. */
function runSystem(env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [MAIN],
      { env: { ...process.env, FAULTLINE_SIMULATE: '0', ...env }, timeout: 60_000 },
      (_error, stdout, stderr) => {
        resolve({ code: child.exitCode ?? -1, output: `${stdout}${stderr}` });
      },
    );
  });
}

describe('the system refuses to start on bad input', () => {
  let dir: string;
  let wire: Tripwire;
  let services: Record<string, string>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faultline-refuse-'));
    wire = await tripwire();
    services = {
      REDIS_URL: wire.url('redis'),
      MQTT_URL: wire.url('mqtt'),
      INFLUX_URL: wire.url('http'),
      DATABASE_URL: `${wire.url('postgres')}/faultline`,
      FAULTLINE_PREFIX: testSettings().prefix,
    };
  });

  afterAll(async () => {
    await wire.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('on a bad config: every problem by path, no secret echoed, no connection made', async () => {
    const config = join(dir, 'bad.yaml');
    await writeFile(
      config,
      [
        'snmp:',
        `  communities: { main: ${SECRET} }`,
        '  users: [{ name: ops, privKey: priv-key-123456 }]',
        'devices:',
        '  - name: r1',
        `    snmp: { version: 2c, community: ${SECRET} }`,
        '    interfaces: [{ ifIndex: one, name: eth0, speedMbps: 1000 }]',
        'pollers: 3',
        '',
      ].join('\n'),
    );
    const { code, output } = await runSystem({ ...services, FAULTLINE_CONFIG: config });
    expect(code).toBe(2);
    expect(output).toContain(`invalid config ${config}:`);
    expect(output).toContain('snmp.communities');
    for (const path of ['devices.0.address', 'devices.0.interfaces.0.ifIndex', 'pollers']) {
      expect(output).toContain(path);
    }
    expect(output).not.toContain(SECRET);
    expect(wire.connections()).toBe(0);
  });

  it('on cross-reference mistakes of an otherwise valid config', async () => {
    const config = join(dir, 'references.yaml');
    await writeFile(
      config,
      [
        'snmp:',
        '  users: [{ name: ops, privKey: priv-key-123456 }]',
        'devices:',
        '  - { name: r1, address: 127.0.0.10, snmp: { version: "3", user: nobody } }',
        'topology: { roots: [r9] }',
        '',
      ].join('\n'),
    );
    const { code, output } = await runSystem({ ...services, FAULTLINE_CONFIG: config });
    expect(code).toBe(2);
    for (const path of ['snmp.users.0.authKey', 'devices.0.snmp.user', 'topology.roots.0']) {
      expect(output).toContain(path);
    }
    expect(output).not.toContain('priv-key-123456');
    expect(wire.connections()).toBe(0);
  });

  it('on a missing config file or bad settings: each named, no connection made', async () => {
    const missing = await runSystem({ ...services, FAULTLINE_CONFIG: join(dir, 'none.yaml') });
    expect(missing.code).toBe(2);
    expect(missing.output).toContain(`cannot read ${join(dir, 'none.yaml')}`);
    const settings = await runSystem({
      ...services,
      FAULTLINE_HTTP_PORT: 'eighty',
      REDIS_URL: 'ftp://127.0.0.1:1',
      FAULTLINE_ADMIN_TOKEN: 'short',
    });
    expect(settings.code).toBe(2);
    expect(settings.output).toContain('invalid environment:');
    for (const name of ['FAULTLINE_HTTP_PORT', 'REDIS_URL', 'FAULTLINE_ADMIN_TOKEN']) {
      expect(settings.output).toContain(name);
    }
    expect(settings.output).not.toContain('short');
    expect(wire.connections()).toBe(0);
  });
});

describe('the system does not run half when a component cannot start', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  it('stops what it started and exits 1 when the trap port is taken', async () => {
    const taken = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => taken.bind(0, '127.0.0.1', resolve));
    const settings = testSettings();
    const { code, output } = await runSystem({
      FAULTLINE_CONFIG: fileURLToPath(new URL('../../../config/example.yaml', import.meta.url)),
      FAULTLINE_TRAP_PORT: String(taken.address().port),
      FAULTLINE_HTTP_PORT: String(await freeTcpPort()),
      FAULTLINE_PREFIX: settings.prefix,
      DATABASE_URL: database.url,
      LOG_LEVEL: 'info',
    });
    taken.close();
    expect(code).toBe(1);
    const lines = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg: string; component?: string });
    const said = (msg: string) => lines.filter((l) => l.msg === msg).map((l) => l.component);
    // The correlator started first and was stopped again; the api never started.
    expect(said('component started')).toEqual(['correlator']);
    expect(said('component failed to start')).toEqual(['collector']);
    expect(said('component stopped')).toEqual(['correlator']);
    expect(said('start failed; nothing is left running')).toHaveLength(1);
  });
});
