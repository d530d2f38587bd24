import type { Config, Device, DeviceInterface } from '@faultline/shared';

/** The customer service carried by one device interface. */
export interface CarriedService {
  readonly serviceId: string;
  readonly customerId: string;
}

/** Look-ups the collector makes on every trap and poll, built once from the config. */
export interface Inventory {
  readonly devices: readonly Device[];
  /** The device whose management address this is (IPv4-mapped IPv6 addresses are unwrapped). */
  deviceByAddress(address: string): Device | undefined;
  /** The device configured under this name. */
  deviceByName(name: string): Device | undefined;
  /** The configured interface with this ifIndex on the named device. */
  interfaceByIfIndex(device: string, ifIndex: number): DeviceInterface | undefined;
  /** The customer service carried by the named device interface, when one is configured. */
  serviceOn(device: string, interfaceName: string): CarriedService | undefined;
}

/** `::ffff:10.0.0.1` → `10.0.0.1`: a dual-stack socket reports IPv4 senders that way. */
export function normalizeAddress(address: string): string {
  const trimmed = address.trim().toLowerCase();
  return trimmed.startsWith('::ffff:') && trimmed.includes('.') ? trimmed.slice(7) : trimmed;
}

const key = (device: string, part: string | number): string => `${device}\u0000${String(part)}`;

/**
 * Indexes the configured devices, interfaces and services. Several devices may share an address
 * (agents on different ports); a trap carries no agent port, so the first one configured wins.
 * An interface that carries several services is tagged with the first one configured.
 */
export function createInventory(config: Pick<Config, 'devices' | 'customers'>): Inventory {
  const byAddress = new Map<string, Device>();
  const byName = new Map(config.devices.map((device) => [device.name, device]));
  const interfaces = new Map<string, DeviceInterface>();
  const services = new Map<string, CarriedService>();
  for (const device of config.devices) {
    const address = normalizeAddress(device.address);
    if (!byAddress.has(address)) byAddress.set(address, device);
    for (const iface of device.interfaces) interfaces.set(key(device.name, iface.ifIndex), iface);
  }
  for (const customer of config.customers) {
    for (const service of customer.services) {
      const k = key(service.device, service.interface);
      if (!services.has(k)) services.set(k, { serviceId: service.id, customerId: customer.id });
    }
  }
  return {
    devices: config.devices,
    deviceByAddress: (address) => byAddress.get(normalizeAddress(address)),
    deviceByName: (name) => byName.get(name),
    interfaceByIfIndex: (device, ifIndex) => interfaces.get(key(device, ifIndex)),
    serviceOn: (device, interfaceName) => services.get(key(device, interfaceName)),
  };
}
