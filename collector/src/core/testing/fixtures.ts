import type { Config, Device } from '@faultline/shared';

/** A small network for unit tests: two devices, one customer service. */
export function testDevices(): Device[] {
  return [
    {
      name: 'core-1',
      address: '10.0.0.1',
      snmp: { version: '2c', community: 'public' },
      pollIntervalS: 60,
      interfaces: [
        { ifIndex: 3, name: 'xe-0/0/2', speedMbps: 10000 },
        { ifIndex: 7, name: 'ge-0/0/7', speedMbps: 1000 },
      ],
    },
    {
      name: 'access-1',
      address: '10.0.1.21',
      snmp: { version: '1', community: 'public' },
      pollIntervalS: 60,
      interfaces: [{ ifIndex: 1, name: 'ge-0/0/1', speedMbps: 1000 }],
    },
  ];
}

/** The devices and customers parts of a config, for `createInventory`. */
export function testInventoryConfig(): Pick<Config, 'devices' | 'customers'> {
  return {
    devices: testDevices(),
    customers: [
      {
        id: 'acme',
        name: 'ACME',
        currency: 'EUR',
        timeZone: 'UTC',
        billingAnchorDay: 1,
        services: [{ id: 'acme-transit', device: 'access-1', interface: 'ge-0/0/1', plan: 'p' }],
      },
    ],
  };
}
