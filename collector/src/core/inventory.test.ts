import { describe, expect, it } from 'vitest';
import { createInventory, normalizeAddress } from './inventory.js';
import { testInventoryConfig } from './testing/fixtures.js';

describe('createInventory', () => {
  const inventory = createInventory(testInventoryConfig());

  it.each([
    ['10.0.0.1', 'core-1'],
    ['::ffff:10.0.0.1', 'core-1'],
    [' 10.0.1.21 ', 'access-1'],
    ['10.0.0.9', undefined],
  ])('finds the device at %s', (address, expected) => {
    expect(inventory.deviceByAddress(address)?.name).toBe(expected);
  });

  it.each([
    ['core-1', 3, 'xe-0/0/2'],
    ['core-1', 7, 'ge-0/0/7'],
    ['core-1', 1, undefined],
    ['nope', 3, undefined],
  ])('names %s ifIndex %i', (device, ifIndex, expected) => {
    expect(inventory.interfaceByIfIndex(device, ifIndex)?.name).toBe(expected);
  });

  it('knows which service an interface carries', () => {
    expect(inventory.serviceOn('access-1', 'ge-0/0/1')).toEqual({
      serviceId: 'acme-transit',
      customerId: 'acme',
    });
    expect(inventory.serviceOn('core-1', 'xe-0/0/2')).toBeUndefined();
  });

  it('keeps the first device configured at a shared address', () => {
    const config = testInventoryConfig();
    const [first] = config.devices;
    if (!first) throw new Error('fixture has devices');
    const twin = { ...first, name: 'core-1-agent2', snmp: { ...first.snmp, port: 1161 } };
    const shared = createInventory({ ...config, devices: [...config.devices, twin] });
    expect(shared.deviceByAddress('10.0.0.1')?.name).toBe('core-1');
  });

  it.each([
    ['::FFFF:192.0.2.1', '192.0.2.1'],
    ['2001:db8::1', '2001:db8::1'],
    ['192.0.2.1', '192.0.2.1'],
  ])('normalizes %s', (address, expected) => {
    expect(normalizeAddress(address)).toBe(expected);
  });
});
