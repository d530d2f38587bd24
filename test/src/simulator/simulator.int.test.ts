import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger, type Config } from '@faultline/shared';
import { createSimulator, type Simulator } from '@faultline/simulator';
import {
  berOid,
  berSmallInteger,
  isV2cTrap,
  listenForTraps,
  snmpTool,
  type TrapListener,
} from './snmp-peers.js';
import { isolatedExampleConfig } from './example-network.js';
import { EVENTUALLY } from '../support/services.js';

const SYS_UPTIME = '1.3.6.1.2.1.1.3.0';
const SYS_NAME = '1.3.6.1.2.1.1.5.0';
const IF_OPER_STATUS = '1.3.6.1.2.1.2.2.1.8';
const IF_IN_OCTETS = '1.3.6.1.2.1.2.2.1.10';
const IF_OUT_OCTETS = '1.3.6.1.2.1.2.2.1.16';
const IF_X_TABLE = '1.3.6.1.2.1.31.1.1';
const IF_NAME = '1.3.6.1.2.1.31.1.1.1.1';
const SNMP_ENGINE_BOOTS = '1.3.6.1.6.3.10.2.1.2.0';
const IF_HC_IN_OCTETS = '1.3.6.1.2.1.31.1.1.1.6';
const IF_HC_OUT_OCTETS = '1.3.6.1.2.1.31.1.1.1.10';
const COLD_START = '1.3.6.1.6.3.1.1.5.1';
const LINK_DOWN = '1.3.6.1.6.3.1.1.5.3';
const LINK_UP = '1.3.6.1.6.3.1.1.5.4';
const MINUTE_MS = 60_000;
/** Numeric OIDs in lexicographic order, as an agent must serve them. */
const byOid = (a: string, b: string): number => {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  }
  return x.length - y.length;
};

describe('simulator', () => {
  let config: Config;
  let traps: TrapListener;
  let simulator: Simulator;
  /** Wednesday 10:00 UTC: a busy hour. Tests advance it instead of sleeping. */
  let nowMs: number;

  const device = (name: string): Config['devices'][number] => {
    const found = config.devices.find((d) => d.name === name);
    if (found === undefined) throw new Error(`no device ${name}`);
    return found;
  };
  const target = (name: string): string =>
    `${device(name).address}:${String(device(name).snmp.port ?? 161)}`;
  const get = async (name: string, oids: string[]): Promise<Map<string, string>> =>
    snmpTool('snmpget', target(name), oids);
  const trapsFrom = (name: string, trapOid: string) =>
    traps.received.filter(
      (d) =>
        d.address === device(name).address &&
        isV2cTrap(d.buffer, 'public') &&
        d.buffer.includes(berOid(trapOid)),
    );

  beforeEach(async () => {
    config = await isolatedExampleConfig();
    traps = await listenForTraps();
    nowMs = Date.UTC(2026, 10, 25, 10);
    simulator = createSimulator({
      config,
      trapTarget: { host: '127.0.0.1', port: traps.port },
      logger: createLogger({ level: 'silent' }),
      clock: () => nowMs,
    });
    await simulator.start();
  });

  afterEach(async () => {
    await simulator.stop();
    await traps.close();
  });

  it('answers snmpget of sysName with the device name, on each device address', async () => {
    for (const name of ['core-1', 'agg-2', 'access-3']) {
      const values = await get(name, [SYS_NAME]);
      expect(values.get(SYS_NAME)).toBe(name);
    }
  });

  it('counts sysUpTime in hundredths of a second of the injected clock', async () => {
    nowMs += 123_450;
    expect((await get('core-2', [SYS_UPTIME])).get(SYS_UPTIME)).toBe('12345');
  });

  it('walks one ifHCInOctets row per configured interface, growing as time passes', async () => {
    const walk = async (): Promise<Map<string, string>> =>
      snmpTool('snmpwalk', target('agg-1'), [IF_HC_IN_OCTETS]);
    nowMs += 5 * MINUTE_MS;
    const first = await walk();
    const ifIndexes = device('agg-1').interfaces.map((i) => i.ifIndex);
    expect([...first.keys()].sort()).toEqual(
      ifIndexes.map((i) => `${IF_HC_IN_OCTETS}.${String(i)}`).sort(),
    );
    nowMs += 5 * MINUTE_MS;
    const second = await walk();
    for (const [oid, value] of first) {
      expect(BigInt(second.get(oid) ?? '0')).toBeGreaterThan(BigInt(value));
    }
  });

  it('serves the ifXTable through GetBulk (snmpbulkwalk) too, ending cleanly', async () => {
    const table = await snmpTool('snmpbulkwalk', target('access-1'), [IF_X_TABLE]);
    const names = [...table].filter(([oid]) => oid.startsWith(`${IF_NAME}.`)).map(([, v]) => v);
    expect(new Set(names)).toEqual(new Set(device('access-1').interfaces.map((i) => i.name)));
    // ifName, ifHCInOctets, ifHCOutOctets, ifHighSpeed and ifAlias for each interface.
    expect(table.size).toBe(5 * device('access-1').interfaces.length);
    expect([...table.values()].filter((v) => v.includes('No more variables'))).toEqual([]);
  });

  it('walks mib-2 in OID order, the same with GetNext and GetBulk, ending cleanly', async () => {
    nowMs += 5 * MINUTE_MS;
    const walked = await snmpTool('snmpwalk', target('access-1'), ['1.3.6.1.2.1']);
    const bulk = await snmpTool('snmpbulkwalk', target('access-1'), ['1.3.6.1.2.1']);
    const oids = [...walked.keys()];
    expect(oids).toEqual([...oids].sort(byOid));
    // Six system objects and ifNumber, then 13 ifTable and 5 ifXTable columns per interface.
    expect(oids).toHaveLength(7 + 18 * device('access-1').interfaces.length);
    expect(walked.get('1.3.6.1.2.1.2.1.0')).toBe(String(device('access-1').interfaces.length));
    expect([...bulk]).toEqual([...walked]);
    expect([...walked.values()].filter((v) => v.includes('No more variables'))).toEqual([]);
  });

  it('tells a missing instance from an object it does not serve, and refuses a Set', async () => {
    const ifIndex = String(device('core-1').interfaces[0]?.ifIndex);
    const missing = ['1.3.6.1.2.1.1.5.1', `${IF_OPER_STATUS}.999999`, '1.3.6.1.2.1.1.9.0'];
    const values = await get('core-1', [`${IF_OPER_STATUS}.${ifIndex}`, ...missing]);
    expect(missing.map((oid) => values.get(oid))).toEqual([
      'No Such Instance currently exists at this OID',
      'No Such Instance currently exists at this OID',
      'No Such Object available on this agent at this OID',
    ]);
    expect(values.get(`${IF_OPER_STATUS}.${ifIndex}`)).toBe('1');
    const set = (oid: string) =>
      promisify(execFile)('snmpset', ['-v2c', '-c', 'public', target('core-1'), oid, 's', 'x']);
    await expect(set(SYS_NAME)).rejects.toThrow(/notWritable/);
    await expect(set('1.3.6.1.2.1.1.9.0')).rejects.toThrow(/noCreation/);
    expect((await get('core-1', [SYS_NAME])).get(SYS_NAME)).toBe('core-1');
  });

  it('serves 32-bit octet counters equal to the 64-bit ones mod 2^32, after they wrapped', async () => {
    nowMs += 24 * 60 * MINUTE_MS;
    const ifIndex = String(device('core-1').interfaces[0]?.ifIndex);
    const values = await get('core-1', [
      `${IF_IN_OCTETS}.${ifIndex}`,
      `${IF_HC_IN_OCTETS}.${ifIndex}`,
      `${IF_OUT_OCTETS}.${ifIndex}`,
      `${IF_HC_OUT_OCTETS}.${ifIndex}`,
    ]);
    const hcIn = BigInt(values.get(`${IF_HC_IN_OCTETS}.${ifIndex}`) ?? '-1');
    const hcOut = BigInt(values.get(`${IF_HC_OUT_OCTETS}.${ifIndex}`) ?? '-1');
    expect(hcIn).toBeGreaterThan(2n ** 32n);
    expect(BigInt(values.get(`${IF_IN_OCTETS}.${ifIndex}`) ?? '-1')).toBe(hcIn % 2n ** 32n);
    expect(BigInt(values.get(`${IF_OUT_OCTETS}.${ifIndex}`) ?? '-1')).toBe(hcOut % 2n ** 32n);
  });

  it('takes a link down: ifOperStatus 2 and a linkDown trap from the device address', async () => {
    const ifIndex = device('access-1').interfaces.find((i) => i.name === 'ge-0/0/1')?.ifIndex ?? 0;
    const operStatus = `${IF_OPER_STATUS}.${String(ifIndex)}`;
    expect((await get('access-1', [operStatus])).get(operStatus)).toBe('1');

    await simulator.setLinkState('access-1', 'ge-0/0/1', false);

    expect((await get('access-1', [operStatus])).get(operStatus)).toBe('2');
    await vi.waitFor(() => {
      expect(trapsFrom('access-1', LINK_DOWN)).toHaveLength(1);
    }, EVENTUALLY);
    const [linkDown] = trapsFrom('access-1', LINK_DOWN);
    const varbind = Buffer.concat([berOid(operStatus), berSmallInteger(2)]);
    expect(linkDown?.buffer.includes(varbind)).toBe(true);
    expect(linkDown?.buffer.includes(berOid(`1.3.6.1.2.1.2.2.1.1.${String(ifIndex)}`))).toBe(true);

    await simulator.setLinkState('access-1', 'ge-0/0/1', true);

    expect((await get('access-1', [operStatus])).get(operStatus)).toBe('1');
    await vi.waitFor(() => {
      expect(trapsFrom('access-1', LINK_UP)).toHaveLength(1);
    }, EVENTUALLY);
  });

  it('freezes the counters of a down link', async () => {
    const oid = `${IF_HC_IN_OCTETS}.${String(device('access-2').interfaces[1]?.ifIndex)}`;
    await simulator.setLinkState('access-2', device('access-2').interfaces[1]?.name ?? '', false);
    nowMs += MINUTE_MS;
    const before = (await get('access-2', [oid])).get(oid);
    nowMs += 10 * MINUTE_MS;
    expect((await get('access-2', [oid])).get(oid)).toBe(before);
  });

  it('reboots a device: sysUpTime and counters restart, and it sends coldStart', async () => {
    const oid = `${IF_HC_IN_OCTETS}.${String(device('agg-2').interfaces[0]?.ifIndex)}`;
    await vi.waitFor(() => {
      expect(trapsFrom('agg-2', COLD_START)).toHaveLength(1);
    }, EVENTUALLY);
    nowMs += 60 * MINUTE_MS;
    const before = await get('agg-2', [SYS_UPTIME, oid]);
    expect(before.get(SYS_UPTIME)).toBe('360000');

    await simulator.reboot('agg-2');
    nowMs += 1000;

    const after = await get('agg-2', [SYS_UPTIME, oid, SNMP_ENGINE_BOOTS]);
    expect(after.get(SYS_UPTIME)).toBe('100');
    expect(after.get(SNMP_ENGINE_BOOTS)).toBe('2');
    expect(BigInt(after.get(oid) ?? '-1')).toBeLessThan(BigInt(before.get(oid) ?? '0'));
    await vi.waitFor(() => {
      expect(trapsFrom('agg-2', COLD_START)).toHaveLength(2);
    }, EVENTUALLY);
  });

  it('rejects unknown devices and interfaces', async () => {
    await expect(simulator.setLinkState('nope', 'ge-0/0/1', false)).rejects.toThrow(
      /unknown device/,
    );
    await expect(simulator.setLinkState('access-1', 'ge-9/9/9', false)).rejects.toThrow(
      /no interface/,
    );
  });

  it('does not answer a wrong community', async () => {
    await expect(
      snmpTool('snmpget', target('core-1'), [SYS_NAME], {
        community: 'wrong',
        timeoutS: 1,
        retries: 0,
      }),
    ).rejects.toThrow(/Timeout/);
  });

  it('fails to start, leaving nothing bound, when a device address and port are taken', async () => {
    const second = createSimulator({
      config,
      trapTarget: { host: '127.0.0.1', port: traps.port },
      logger: createLogger({ level: 'silent' }),
    });
    await expect(second.start()).rejects.toThrow(/cannot bind/);
    expect((await get('core-1', [SYS_NAME])).get(SYS_NAME)).toBe('core-1');
  });
});

describe('simulator with an SNMPv3 device and random faults', () => {
  const user = { name: 'sim-v3', authKey: 'auth-secret-1', privKey: 'priv-secret-1' };
  let config: Config;
  let traps: TrapListener;
  let simulator: Simulator | undefined;

  beforeEach(async () => {
    const base = await isolatedExampleConfig();
    config = {
      ...base,
      snmp: {
        ...base.snmp,
        users: [{ ...user, authProtocol: 'sha', privProtocol: 'aes' }],
      },
      devices: base.devices.map((d) =>
        d.name === 'core-1'
          ? { ...d, snmp: { version: '3' as const, user: user.name, port: d.snmp.port ?? 161 } }
          : d,
      ),
    };
    traps = await listenForTraps();
  });

  afterEach(async () => {
    await simulator?.stop();
    simulator = undefined;
    await traps.close();
  });

  const start = async (faults?: { meanIntervalMs: number }): Promise<Simulator> => {
    // Draws cycle through fixed values, so the flapped port and timings are reproducible.
    let draw = 0;
    const draws = [0.2, 0.4, 0.6];
    simulator = createSimulator({
      config,
      trapTarget: { host: '127.0.0.1', port: traps.port },
      logger: createLogger({ level: 'silent' }),
      random: () => draws[draw++ % draws.length] ?? 0,
      ...(faults === undefined ? {} : { faults }),
    });
    await simulator.start();
    return simulator;
  };

  it('answers the configured v3 user with authentication and privacy, Get and GetBulk', async () => {
    await start();
    const core = config.devices.find((d) => d.name === 'core-1');
    const target = `${core?.address ?? ''}:${String(core?.snmp.port)}`;
    const values = await snmpTool('snmpget', target, [SYS_NAME], {
      v3: { user: user.name, authKey: user.authKey, privKey: user.privKey },
    });
    expect(values.get(SYS_NAME)).toBe('core-1');
    const counters = await snmpTool('snmpbulkwalk', target, [IF_HC_OUT_OCTETS], {
      v3: { user: user.name, authKey: user.authKey, privKey: user.privKey },
    });
    expect([...counters.keys()]).toEqual(
      (core?.interfaces ?? []).map((i) => `${IF_HC_OUT_OCTETS}.${String(i.ifIndex)}`).sort(byOid),
    );
    expect([...counters.values()].every((v) => /^\d+$/.test(v))).toBe(true);
    await expect(
      snmpTool('snmpget', target, [SYS_NAME], { community: 'public', timeoutS: 1, retries: 0 }),
    ).rejects.toThrow(/Timeout/);
  });

  it('flaps a customer port of an access device now and then: linkDown, then linkUp', async () => {
    await start({ meanIntervalMs: 100 });
    const access = new Set(config.devices.filter((d) => d.kind === 'access').map((d) => d.address));
    const fromAccess = (trapOid: string) =>
      traps.received.filter(
        (d) =>
          access.has(d.address) &&
          isV2cTrap(d.buffer, 'public') &&
          d.buffer.includes(berOid(trapOid)),
      );
    await vi.waitFor(
      () => {
        expect(fromAccess(LINK_DOWN).length).toBeGreaterThan(0);
        expect(fromAccess(LINK_UP).length).toBeGreaterThan(0);
      },
      { timeout: 10_000 },
    );
    // Uplinks (ifIndex 24 on every access switch) are in links, so they never flap.
    const uplinkOperStatus = berOid('1.3.6.1.2.1.2.2.1.8.24');
    expect(fromAccess(LINK_DOWN).filter((d) => d.buffer.includes(uplinkOperStatus))).toEqual([]);
  });
});
