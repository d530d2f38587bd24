import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeAddress, type ProbeOptions, type ProbeResult } from '@faultline/collector';
import type { SnmpUser } from '@faultline/shared';
import { startSnmpd, type Snmpd } from '../collector/snmp-tools.js';

const AUTH = 'disco-auth-secret';
const PRIV = 'disco-priv-secret';

/** The users of `snmp.users` that discovery's v3 credentials name. */
const USERS: SnmpUser[] = [
  { name: 'disco', authProtocol: 'sha256', authKey: AUTH, privProtocol: 'aes', privKey: PRIV },
  // Known to the agent under this name, with other keys: its answers fail authentication.
  {
    name: 'stale',
    authProtocol: 'sha256',
    authKey: 'not-the-agents-key',
    privProtocol: 'aes',
    privKey: PRIV,
  },
];

/**
 * Discovery's credentials tried in order on a real snmpd that answers SNMPv3 only (authPriv,
 * SHA-256, AES): a community and a user with wrong keys get nothing, the third credential finds
 * the device and reads its interface table over v3.
 */
describe('discovery with SNMPv3 credentials (real snmpd, no community)', () => {
  let agent: Snmpd;

  beforeAll(async () => {
    agent = await startSnmpd({
      conf: () => [
        `createUser disco SHA-256 "${AUTH}" AES "${PRIV}"`,
        `createUser stale SHA-256 "stale-auth-secret" AES "${PRIV}"`,
        'rouser disco priv',
        'rouser stale priv',
      ],
    });
  });

  afterAll(async () => {
    await agent.stop();
  });

  /** Probes the agent with `credentials`, one try of half a second each. */
  const probe = (credentials: ProbeOptions['credentials']): Promise<ProbeResult> =>
    probeAddress('127.0.0.1', {
      port: agent.port,
      timeoutMs: 500,
      retries: 0,
      credentials,
      users: USERS,
    });

  it('tries a community and a wrong v3 user before the right one, and reads the device over v3', async () => {
    const result = await probe([
      { version: '2c', community: 'public' },
      { version: '3', user: 'stale' },
      { version: '3', user: 'disco' },
    ]);
    expect(result.kind).toBe('found');
    if (result.kind !== 'found') return;
    const { device } = result;
    // Which credential answered: its position in the list.
    expect(device.device.credential).toBe(2);
    expect(device.device.name).not.toBe('');
    expect(device.device.sysObjectId).toMatch(/^1\.3\.6\.1\.4\.1\./);
    // The loopback interface of the agent's host, from ifTable and ifXTable over v3.
    expect(device.device.interfaces.map((i) => i.name)).toContain('lo');
    // No LLDP on this agent: no chassis, no neighbours, nothing guessed.
    expect(device.remotes).toEqual([]);
  });

  it('finds nothing when no credential fits', async () => {
    const result = await probe([
      { version: '2c', community: 'public' },
      { version: '3', user: 'stale' },
    ]);
    expect(result).toEqual({ kind: 'silent' });
  });
});
