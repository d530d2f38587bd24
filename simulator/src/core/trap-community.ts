import type { Config } from '@faultline/shared';

/**
 * The community a device's v2c traps carry. Receivers accept the communities listed in
 * `snmp.communities`, so the device's own poll community is used when it is one of those, and the
 * first accepted community otherwise (a v3-only device still needs one for its v2c traps).
 */
export function trapCommunity(
  config: { readonly snmp: Pick<Config['snmp'], 'communities'> },
  device: Pick<Config['devices'][number], 'snmp'>,
): string {
  const accepted = config.snmp.communities;
  if (device.snmp.version !== '3' && accepted.includes(device.snmp.community)) {
    return device.snmp.community;
  }
  return accepted[0] ?? (device.snmp.version === '3' ? 'public' : device.snmp.community);
}
