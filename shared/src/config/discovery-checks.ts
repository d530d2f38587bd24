import { parseAddressRange, spanSize } from '../discovery/address-range.js';
import type { Problem } from '../validate.js';
import type { Config } from './schema.js';

/**
 * What the schema cannot say about `discovery`: every range and exclusion is a real IPv4 range,
 * the ranges together stay within `maxAddresses`, and each v3 credential names a user of
 * `snmp.users`.
 */
export function discoveryProblems(config: Pick<Config, 'discovery' | 'snmp'>): Problem[] {
  const discovery = config.discovery;
  if (discovery === undefined) return [];
  const problems: Problem[] = [];
  let total = 0;
  discovery.ranges.forEach((entry, r) => {
    const path = `discovery.ranges.${String(r)}`;
    const parsed = parseAddressRange(entry.range);
    if (parsed.ok) total += spanSize(parsed.span);
    else problems.push({ path: `${path}.range`, message: parsed.message });
    entry.exclude.forEach((text, e) => {
      const excluded = parseAddressRange(text);
      if (!excluded.ok)
        problems.push({ path: `${path}.exclude.${String(e)}`, message: excluded.message });
    });
  });
  if (total > discovery.maxAddresses) {
    problems.push({
      path: 'discovery.ranges',
      message: `the ranges hold ${String(total)} addresses, more than maxAddresses (${String(discovery.maxAddresses)})`,
    });
  }
  discovery.credentials.forEach((credential, c) => {
    if (credential.version === '3' && !config.snmp.users.some((u) => u.name === credential.user)) {
      problems.push({
        path: `discovery.credentials.${String(c)}.user`,
        message: `SNMPv3 user "${credential.user}" is not defined in snmp.users`,
      });
    }
  });
  return problems;
}
