import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCollector, type Collector } from '@faultline/collector';
import { createLogger } from '@faultline/shared';
import { snmptrap } from '../collector/snmp-tools.js';
import { createIncidentHarness, type IncidentHarness } from './incident-harness.js';

const LINK_DOWN = '1.3.6.1.6.3.1.1.5.3';
const LINK_UP = '1.3.6.1.6.3.1.1.5.4';
const IF_INDEX = '1.3.6.1.2.1.2.2.1.1';
const WAIT = { timeout: 20_000, interval: 50 };

/** A linkDown or linkUp trap from a device's own address, as the device would send it. */
async function linkTrap(
  target: string,
  deviceAddress: string,
  ifIndex: number,
  oid: string,
): Promise<void> {
  await snmptrap([
    '-v',
    '2c',
    '-c',
    'public',
    `--clientaddr=${deviceAddress}`,
    target,
    '',
    oid,
    `${IF_INDEX}.${String(ifIndex)}`,
    'i',
    String(ifIndex),
  ]);
}

describe('fibre cut from real traps (snmptrap → collector → events queue → correlator)', () => {
  let h: IncidentHarness;
  let collector: Collector | undefined;

  afterEach(async () => {
    await collector?.stop();
    await h.close();
  });

  it('opens one incident naming both agg-2 uplinks, then resolves it on linkUp', async () => {
    h = await createIncidentHarness({ holdS: 1 });
    collector = createCollector({
      runtime: {
        settings: { ...h.settings, trapHost: '127.0.0.1', trapPort: 0 },
        config: h.config,
        logger: createLogger({ level: 'silent' }),
      },
      schedulePolls: false,
    });
    await collector.start();
    const address = collector.trapAddress();
    if (address === undefined) throw new Error('trap receiver has no address');
    const target = `127.0.0.1:${String(address.port)}`;
    await h.startCorrelator();

    // core-1 (127.0.1.1) loses xe-0/0/2 (ifIndex 3), core-2 (127.0.1.2) loses xe-0/0/3 (ifIndex 4).
    await linkTrap(target, '127.0.1.1', 3, LINK_DOWN);
    await linkTrap(target, '127.0.1.2', 4, LINK_DOWN);

    const incident = await vi.waitFor(async () => {
      const rows = await h.query<{ id: string; title: string; impacted_services: unknown }>(
        'SELECT id, title, impacted_services FROM incidents',
      );
      if (rows.length === 0) throw new Error('no incident yet');
      return rows;
    }, WAIT);
    expect(incident).toEqual([
      {
        id: expect.any(String) as string,
        title: 'core-1:xe-0/0/2 and core-2:xe-0/0/3 down: access-3, agg-2 cut off',
        impacted_services: [{ customerId: 'initech', serviceId: 'initech-office' }],
      },
    ]);
    await vi.waitFor(() => {
      expect(h.pushes.map((p) => p.body.kind)).toEqual(['opened']);
    }, WAIT);
    expect(await h.query('SELECT service_id FROM outages WHERE ended_at IS NULL')).toEqual([
      { service_id: 'initech-office' },
    ]);

    await linkTrap(target, '127.0.1.1', 3, LINK_UP);
    await linkTrap(target, '127.0.1.2', 4, LINK_UP);
    await vi.waitFor(() => {
      expect(h.pushes.map((p) => p.body.kind)).toEqual(['opened', 'resolved']);
    }, WAIT);
    expect(await h.query('SELECT state FROM incidents')).toEqual([{ state: 'resolved' }]);
    expect(await h.query('SELECT service_id FROM outages WHERE ended_at IS NULL')).toEqual([]);
  });
});
