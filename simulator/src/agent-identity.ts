import type { Config } from '@faultline/shared';
import type { DeviceAgentDeps } from './adapters/agent.js';
import { chassisMac } from './core/lldp.js';

/** Enterprise OID net-snmp uses for Linux agents; good enough for a simulated box. */
const SIMULATED_OBJECT_ID = '1.3.6.1.4.1.8072.3.2.10';

/**
 * What a device's agent says about itself and who may ask, from the config: its address and
 * port, v2c community or v3 user, system group and interface rows. Live values come separately.
 */
export function agentIdentity(
  config: Pick<Config, 'snmp'>,
  device: Config['devices'][number],
): Pick<
  DeviceAgentDeps,
  'address' | 'port' | 'credentials' | 'system' | 'chassisId' | 'interfaces'
> {
  const target = device.snmp;
  return {
    address: device.address,
    port: target.port ?? 161,
    credentials:
      target.version === '3'
        ? { community: undefined, user: config.snmp.users.find((u) => u.name === target.user) }
        : { community: target.community, user: undefined },
    system: {
      name: device.name,
      descr: `Faultline simulated ${device.kind ?? 'other'} device ${device.name}`,
      objectId: SIMULATED_OBJECT_ID,
      location: device.site ?? '',
      contact: '',
    },
    chassisId: chassisMac(device.name),
    interfaces: device.interfaces.map((i) => ({
      ifIndex: i.ifIndex,
      name: i.name,
      description: i.description ?? '',
      speedMbps: i.speedMbps,
    })),
  };
}
