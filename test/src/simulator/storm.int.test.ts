import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sendTrapStorm, stormPacket } from '@faultline/simulator';
import { berOid, isV2cTrap, listenForTraps, type TrapListener } from './snmp-peers.js';
import { EVENTUALLY } from '../support/services.js';

const AUTHENTICATION_FAILURE = '1.3.6.1.6.3.1.1.5.5';

describe('trap storm', () => {
  let traps: TrapListener;

  beforeEach(async () => {
    // The sender runs in this process too: a large buffer holds what arrives while it sends.
    traps = await listenForTraps({ recvBufferSize: 4 * 1024 * 1024 });
  });

  afterEach(async () => {
    await traps.close();
  });

  it('delivers every trap of a bounded storm, from the device address, no faster than its rate', async () => {
    const count = 4_000;
    const ratePerS = 20_000;
    const source = '127.77.0.9';
    const result = await sendTrapStorm({
      ratePerS,
      count,
      sourceAddress: source,
      target: { host: '127.0.0.1', port: traps.port },
      packet: stormPacket({
        community: 'public',
        upTimeTicks: 4242,
        trap: 'authenticationFailure',
        ifIndex: undefined,
      }),
    });
    expect(result).toMatchObject({ sent: count, failed: 0, ended: 'done' });
    // The first trap leaves at once and each further one only when the rate allows it.
    expect(result.elapsedMs).toBeGreaterThanOrEqual(Math.floor(((count - 1) * 1000) / ratePerS));

    await vi.waitFor(() => {
      expect(traps.received).toHaveLength(count);
    }, EVENTUALLY);
    const trapOid = berOid(AUTHENTICATION_FAILURE);
    expect(
      traps.received.filter(
        (d) => d.address === source && isV2cTrap(d.buffer, 'public') && d.buffer.includes(trapOid),
      ),
    ).toHaveLength(count);
    // Only the request-id varies: every datagram is distinct.
    expect(new Set(traps.received.map((d) => d.buffer.toString('hex'))).size).toBe(count);
  });

  it('stops early when aborted', async () => {
    const controller = new AbortController();
    const storm = sendTrapStorm({
      ratePerS: 1_000,
      count: 1_000_000,
      sourceAddress: '127.77.0.10',
      target: { host: '127.0.0.1', port: traps.port },
      signal: controller.signal,
      packet: stormPacket({ community: 'public', upTimeTicks: 1, trap: 'linkDown', ifIndex: 3 }),
    });
    await vi.waitFor(() => {
      expect(traps.received.length).toBeGreaterThan(10);
    }, EVENTUALLY);
    controller.abort();
    const result = await storm;
    expect(result.ended).toBe('aborted');
    expect(result.sent).toBeLessThan(1_000_000);
  });

  it('refuses a target outside loopback', async () => {
    await expect(
      sendTrapStorm({
        ratePerS: 1,
        count: 1,
        sourceAddress: '127.0.0.1',
        target: { host: '192.0.2.1', port: 162 },
        packet: stormPacket({
          community: 'public',
          upTimeTicks: 1,
          trap: 'authenticationFailure',
          ifIndex: undefined,
        }),
      }),
    ).rejects.toThrow(/loopback/);
  });
});
